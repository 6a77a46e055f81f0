//! What sending a large value to another process costs. A child checksums a 32 MiB array that
//! reaches it three ways: by value (serialized through the channel and rebuilt), as the path of a
//! file holding it (the child reads the file), and as a shared-memory segment (a file descriptor
//! crosses and the child maps the same pages). Each run is timed from start to join.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Common Pitfalls and Best Practices", file paths instead of large data.

use clap::Parser;
use examples_processes::report::{Run, die_if_asked};
use examples_processes::{heavy, remove_on_ctrl_c, run_child};
use ipc_channel::ipc::IpcSharedMemory;
use lesson::{Checks, Failure, Table, usize_in};
use multiproc::{Task, init};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const MIB: usize = 1024 * 1024;
/// The array's bytes repeat with this period, so a misplaced byte changes the checksum.
const PATTERN_PERIOD: usize = 251;

#[derive(Parser)]
#[command(about = "Send a large array to a child by value, by path and in shared memory, timed")]
struct Args {
    /// Size of the array, in MiB.
    #[arg(long, default_value_t = 32, value_parser = usize_in(1, 256))]
    mib: usize,
}

/// FNV-1a over the bytes: cheap, so the timings below are about moving data, not using it.
fn checksum(bytes: &[u8]) -> u64 {
    die_if_asked("checksum"); // a test hook that can make the children die; no-op otherwise
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
// ANCHOR: senders
fn by_value(data: Vec<u8>) -> u64 {
    checksum(&data)
}
fn by_path(path: PathBuf) -> Result<u64, String> {
    std::fs::read(&path)
        .map(|d| checksum(&d))
        .map_err(|e| e.to_string())
}
fn by_shared_memory(shm: IpcSharedMemory) -> u64 {
    checksum(&shm)
}
static BY_VALUE: Task<Vec<u8>, u64> = Task::new("by_value", by_value);
static BY_PATH: Task<PathBuf, Result<u64, String>> = Task::new("by_path", by_path);
static BY_SHM: Task<IpcSharedMemory, u64> = Task::new("by_shared_memory", by_shared_memory);
// ANCHOR_END: senders

fn main() -> ExitCode {
    init(&[&BY_VALUE, &BY_PATH, &BY_SHM]);
    let args: Args = lesson::parse_args();
    heavy::warn_if_heavy(heavy::large_data(args.mib));
    lesson::header("large_data: sending a large array to a child, three ways");
    let len = args.mib * MIB;
    let data: Vec<u8> = (0..len).map(|i| (i % PATTERN_PERIOD) as u8).collect();
    let (expected, local) = lesson::timed(|| checksum(&data));
    // Removed when `file` is dropped, however main returns, and on Ctrl-C.
    let file = match tempfile::NamedTempFile::with_prefix("large_data-")
        .and_then(|f| remove_on_ctrl_c(f.path().to_path_buf()).map(|()| f))
        .and_then(|mut f| f.write_all(&data).map(|()| f))
    {
        Ok(file) => file,
        Err(err) => return Failure::from(err).report(),
    };
    let path = file.path().to_path_buf();
    println!(
        "{} MiB; each child starts, gets the array, checksums it and sends the sum back",
        args.mib
    );
    // ANCHOR: measure
    let copy = data.clone(); // made outside the timing: `spawn` takes its argument by value
    let (value, value_time) = lesson::timed(|| run_child(&BY_VALUE, copy));
    let (read, path_time) = lesson::timed(|| run_child(&BY_PATH, path.clone()));
    let (shm, shm_time) = lesson::timed(|| run_child(&BY_SHM, IpcSharedMemory::from_bytes(&data)));
    // ANCHOR_END: measure
    let read = read.and_then(|sum| sum.map_err(Failure::msg));
    let run = |sum: &lesson::Result<u64>, took| {
        Run::new(took, sum.as_ref().is_ok_and(|&s| s == expected))
    };
    let runs = [
        run(&value, value_time),
        run(&read, path_time),
        run(&shm, shm_time),
    ];

    print_table(args.mib, path.as_os_str().len(), local, &runs);

    let mut checks = Checks::new();
    let sums = [value, read, shm];
    for ((what, sum), run) in [
        "the array sent by value",
        "the file behind the path",
        "the shared memory",
    ]
    .into_iter()
    .zip(sums)
    .zip(runs)
    {
        if let Err(failure) = &sum {
            println!("{what}: {failure}");
        }
        checks.check(format!("the child summed {what} correctly"), run.right());
    }
    checks.finish()
}

/// The three runs beside the checksum computed in place; a run that failed shows no time.
fn print_table(mib: usize, path_len: usize, local: Duration, runs: &[Run; 3]) {
    let mut table = Table::new([
        "what crossed",
        "bytes through the channel",
        "time (start, send, checksum, join)",
    ]);
    table.row([
        "nothing: checksum in the parent".to_string(),
        "0".into(),
        lesson::human(local),
    ]);
    table.row([
        format!("the array itself ({mib} MiB)"),
        format!("{} + framing", mib * MIB),
        runs[0].shown(),
    ]);
    table.row([
        "the file's path".to_string(),
        path_len.to_string(),
        runs[1].shown(),
    ]);
    table.row([
        "a shared-memory segment".to_string(),
        "a file descriptor".into(),
        runs[2].shown(),
    ]);
    println!("\n{table}");
}
