//! What can cross a process boundary, and what it costs. Serde types cross (serialized, sent,
//! rebuilt); closures cannot, and where Python fails at run time with `Can't pickle <lambda>`,
//! Rust fails to compile (the compile_fail doctests in the toolkit's `lib.rs` hold the real
//! messages). Then the price of sending data: a large array sent by value, the path of a file
//! holding it, and a shared-memory segment. Translates tutorial 002's pickling pitfall and its
//! advice to pass file paths instead of large data.

use clap::Parser;
use ipc_channel::ipc::IpcSharedMemory;
use lesson::{Checks, Table};
use multiproc::{Task, init, spawn};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Serde types cross processes, closures do not; large data is cheaper as a path")]
struct Args {
    /// Size of the large array, in MiB.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=256))]
    mib: u32,
}

// ANCHOR: types
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
enum Status {
    Open,
    Shipped { tracking: String },
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Order {
    id: u64,
    customer: String,
    lines: Vec<(String, u32)>,
    prices: BTreeMap<String, f64>,
    status: Status,
}

fn echo(order: Order) -> Order {
    order // rebuilt in the child from bytes, serialized again on the way back
}
static ECHO: Task<Order, Order> = Task::new("echo", echo);
// ANCHOR_END: types

/// FNV-1a over the bytes: cheap, so the timings below are about moving data, not using it.
fn checksum(bytes: &[u8]) -> u64 {
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

/// Starts `task(arg)`, waits, and returns its result: start-up, transfer and work all timed.
fn run_child<A, R>(task: &'static Task<A, R>, arg: A) -> Result<R, String>
where
    A: Serialize + serde::de::DeserializeOwned,
    R: Serialize + serde::de::DeserializeOwned + Send + 'static,
{
    let mut child = spawn(task, arg).map_err(|e| e.to_string())?;
    let exit = child.join().map_err(|e| e.to_string())?;
    child
        .take_result()
        .ok_or(format!("the child ended with {exit} and no result"))
}

fn main() -> ExitCode {
    init(&[&ECHO, &BY_VALUE, &BY_PATH, &BY_SHM]);
    let args: Args = lesson::parse_args();
    lesson::header("serialization: what crosses a process boundary, and at what cost");
    let mut checks = Checks::new();
    let order = Order {
        id: 7,
        customer: "Ada".into(),
        lines: vec![("tea".into(), 2), ("scone".into(), 3)],
        prices: BTreeMap::from([("tea".into(), 2.5), ("scone".into(), 1.75)]),
        status: Status::Shipped {
            tracking: "ZX-81".into(),
        },
    };
    let echoed = run_child(&ECHO, order.clone());
    println!("sent {order:?}\ngot  {echoed:?}");
    checks.check(
        "a struct with strings, a map and an enum came back equal",
        echoed.as_ref() == Ok(&order),
    );
    println!(
        "closures cannot cross: `spawn(&APPLY, Box::new(|x| x * 2))` fails to compile with\n  \
        error[E0277]: the trait bound `dyn Fn(u64) -> u64: serde::Serialize` is not satisfied\n\
        and a capturing closure cannot be a task:\n  error[E0308]: mismatched types: expected fn pointer, found closure\n  \
        note: closures can only be coerced to `fn` types if they do not capture any variables\n\
        (checked by the compile_fail doctests: cargo test --doc -p examples-processes)\n"
    );

    let len = args.mib as usize * 1024 * 1024;
    let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    let (expected, local) = lesson::timed(|| checksum(&data));
    let path =
        std::env::temp_dir().join(format!("serialization-lesson-{}.bin", std::process::id()));
    if let Err(err) = std::fs::write(&path, &data) {
        lesson::usage_error(format!("cannot write {}: {err}", path.display()));
    }
    // ANCHOR: measure
    let copy = data.clone(); // made outside the timing: `spawn` takes its argument by value
    let (value, value_time) = lesson::timed(|| run_child(&BY_VALUE, copy));
    let (file, path_time) = lesson::timed(|| run_child(&BY_PATH, path.clone()).and_then(|r| r));
    let (shm, shm_time) = lesson::timed(|| run_child(&BY_SHM, IpcSharedMemory::from_bytes(&data)));
    // ANCHOR_END: measure
    let _ = std::fs::remove_file(&path);

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
        format!("the array itself ({} MiB)", args.mib),
        format!("{len} + framing"),
        lesson::human(value_time),
    ]);
    table.row([
        "the file's path".to_string(),
        path.as_os_str().len().to_string(),
        lesson::human(path_time),
    ]);
    table.row([
        "a shared-memory segment".to_string(),
        "a file descriptor".into(),
        lesson::human(shm_time),
    ]);
    println!("{table}");
    checks.check(
        "the child summed the array sent by value correctly",
        value == Ok(expected),
    );
    checks.check(
        "the child summed the file behind the path correctly",
        file == Ok(expected),
    );
    checks.check(
        "the child summed the shared memory correctly",
        shm == Ok(expected),
    );
    checks.finish()
}
