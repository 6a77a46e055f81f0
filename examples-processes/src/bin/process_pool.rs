//! A pool of worker processes hashing real files with SHA-256: `map` returns the hashes in input
//! order, `imap_unordered` yields them as they finish, each with the index of its input. The
//! parent hashes every file itself first, so each pooled answer is checked against a serial one.
//! (`apply_async` and its callbacks have a lesson of their own.)
//!
//! Translates: "Python multiprocessing: True Parallelism", "Process Pools for Parallel Workloads", `Pool.map` of file hashes.

use clap::Parser;
use examples_processes::report::Run;
use examples_processes::{HASH_FILE, files_under, hash_file};
use lesson::{Checks, Failure, Table, usize_in};
use multiproc::{Pool, TaskError, init};
use std::path::PathBuf;
use std::process::ExitCode;

/// The largest pool the lesson starts.
const MAX_WORKERS: usize = 64;
/// How many hashes, and how many arrivals, the narration shows.
const SHOWN: usize = 3;
const SHOWN_ARRIVALS: usize = 8;

#[derive(Parser)]
#[command(about = "Hash every file under a directory with a process pool: map and imap_unordered")]
struct Args {
    /// Directory to hash, recursively (hidden directories and `target` are skipped).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/.."))]
    dir: PathBuf,
    /// Worker processes (default: one per core, like Python's `Pool()`).
    #[arg(long, default_value_t = multiproc::cores().min(MAX_WORKERS), value_parser = usize_in(1, MAX_WORKERS))]
    workers: usize,
    /// Files per message for `map`; 0 picks Python's default (about four chunks per worker).
    #[arg(long, default_value_t = 0, value_parser = usize_in(0, 1_000_000))]
    chunksize: usize,
}

fn main() -> ExitCode {
    init(&[&HASH_FILE]);
    let args: Args = lesson::parse_args();
    let files = files_under(&args.dir).unwrap_or_else(|err| {
        lesson::usage_error(format!("cannot read --dir {}: {err}", args.dir.display()))
    });
    let dir = args.dir.canonicalize().unwrap_or_else(|_| args.dir.clone());
    lesson::header("process_pool: hashing files with a pool of worker processes");
    println!("{} files under {}", files.len(), dir.display());
    let (serial, serial_time) =
        lesson::timed(|| files.iter().cloned().map(hash_file).collect::<Vec<_>>());
    let pool = match Pool::new(&HASH_FILE, args.workers) {
        Ok(pool) => pool,
        Err(err) => return Failure::from(err).report(),
    };
    println!(
        "pool of {} workers: PIDs {:?}",
        args.workers,
        pool.worker_pids()
    );
    let chunksize = match args.chunksize {
        0 => pool.default_chunksize(files.len()),
        chosen => chosen,
    };

    // ANCHOR: map
    let (mapped, map_time) = lesson::timed(|| pool.map_chunked(files.clone(), chunksize));
    for (file, hash) in files.iter().zip(&mapped).take(SHOWN) {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "  {name}: {}...",
            hash.as_deref().map_or("error", |h| &h[..16])
        );
    }
    // ANCHOR_END: map
    // ANCHOR: imap_unordered
    let (unordered, imap_time) =
        lesson::timed(|| pool.imap_unordered(files.clone(), 1).collect::<Vec<_>>());
    let arrival: Vec<usize> = unordered.iter().map(|(index, _)| *index).collect();
    println!(
        "imap_unordered, first arrivals by input index: {:?}",
        &arrival[..arrival.len().min(SHOWN_ARRIVALS)]
    );
    // ANCHOR_END: imap_unordered

    let mut sorted = unordered;
    sorted.sort_by_key(|(index, _)| *index);
    let (indices, by_index): (Vec<usize>, Vec<_>) = sorted.into_iter().unzip();
    let expected: Vec<Result<String, TaskError>> = (serial.iter().cloned())
        .map(|r| r.map_err(TaskError::Failed))
        .collect();
    let map_run = Run::new(map_time, mapped == expected);
    let every_file_once = indices.into_iter().eq(0..files.len());
    let imap_run = Run::new(imap_time, every_file_once && by_index == expected);

    let mut table = Table::new(["method", "files", "errors", "time"]);
    let serial_run = Run::new(serial_time, true); // the reference
    row(&mut table, "serial, in the parent", &serial, serial_run);
    let map_method = format!("map, chunksize {chunksize}");
    row(&mut table, &map_method, &mapped, map_run);
    row(
        &mut table,
        "imap_unordered, chunksize 1",
        &by_index,
        imap_run,
    );
    println!("\n{table}");

    let mut checks = Checks::new();
    checks.check(
        "map returned every hash in input order, equal to the serial ones",
        map_run.right(),
    );
    checks.check(
        "imap_unordered delivered every file once, same hashes",
        imap_run.right(),
    );
    checks.finish()
}

/// One line of the table: how many files a method hashed, how many of them failed, how long
/// (if its run counts: every hash as the serial pass computed it).
fn row<T, E>(table: &mut Table, method: &str, results: &[Result<T, E>], run: Run) {
    let failed = results.iter().filter(|r| r.is_err()).count();
    table.row([
        method.to_string(),
        results.len().to_string(),
        failed.to_string(),
        run.shown(),
    ]);
}
