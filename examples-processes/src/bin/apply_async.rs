//! `apply_async` submits one task and returns at once; when the task is done the pool calls a
//! callback with its result, or an error callback with its error. The callbacks run on a thread
//! of the pool in the parent process, never in a worker, so they may record into the parent's
//! data. The lesson hashes files as `process_pool` does, one `apply_async` per file plus one path
//! that does not exist, whose error reaches the error callback, and checks every hash against one
//! computed serially.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Process Pools for Parallel Workloads", `apply_async` with a callback and an error callback.

use clap::Parser;
use examples_processes::report::Run;
use examples_processes::{HASH_FILE, files_under, hash_file};
use lesson::{Checks, Failure, usize_in};
use multiproc::{Pool, TaskError, init};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

/// The largest pool the lesson starts.
const MAX_WORKERS: usize = 64;
/// A path that does not exist, under `--dir`: its task fails in the worker.
const MISSING: &str = "no-such-file.txt";

#[derive(Parser)]
#[command(
    about = "Hash files with apply_async: a callback per result, an error callback per failure"
)]
struct Args {
    /// Directory to hash, recursively (hidden directories and `target` are skipped).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/.."))]
    dir: PathBuf,
    /// Worker processes (default: one per core, like Python's `Pool()`).
    #[arg(long, default_value_t = multiproc::cores().min(MAX_WORKERS), value_parser = usize_in(1, MAX_WORKERS))]
    workers: usize,
}

/// What the callbacks record, in the parent: Python's `results` dict and `errors` list, and the
/// thread each callback ran on.
#[derive(Default)]
struct Collected {
    hashes: BTreeMap<PathBuf, String>,
    errors: Vec<String>,
    callback_threads: Vec<ThreadId>,
}

impl Collected {
    fn on_success(&mut self, path: PathBuf, hash: String) {
        self.hashes.insert(path, hash);
        self.callback_threads.push(thread::current().id());
    }

    fn on_error(&mut self, err: TaskError) {
        self.errors.push(err.to_string());
        self.callback_threads.push(thread::current().id());
    }
}

// ANCHOR: callbacks
/// The tutorial's `process_with_callbacks`: one `apply_async` per path, then a wait for each.
/// The callbacks run on a pool thread, so the compiler asks for an `Arc` to share what they
/// record and a `Mutex` to write it; Python's rely on the GIL instead.
fn with_callbacks<'a>(
    pool: &Pool<PathBuf, String>,
    paths: impl Iterator<Item = &'a PathBuf>,
) -> Collected {
    let collected: Arc<Mutex<Collected>> = Arc::default();
    let pending: Vec<_> = paths
        .map(|path| {
            let (ok, failed, key) = (Arc::clone(&collected), Arc::clone(&collected), path.clone());
            pool.apply_async(
                path.clone(),
                move |hash| ok.lock().unwrap().on_success(key, hash),
                move |err| failed.lock().unwrap().on_error(err),
            )
        })
        .collect(); // every task is submitted before the first wait
    pending.iter().for_each(|p| p.wait()); // Python's `ar.wait()` for each
    std::mem::take(&mut *collected.lock().unwrap())
}
// ANCHOR_END: callbacks

fn main() -> ExitCode {
    init(&[&HASH_FILE]);
    let args: Args = lesson::parse_args();
    let files = files_under(&args.dir).unwrap_or_else(|err| {
        lesson::usage_error(format!("cannot read --dir {}: {err}", args.dir.display()))
    });
    lesson::header("apply_async: callbacks for results and errors");
    let serial: Vec<_> = files.iter().cloned().map(hash_file).collect();
    let pool = match Pool::new(&HASH_FILE, args.workers) {
        Ok(pool) => pool,
        Err(err) => return Failure::from(err).report(),
    };
    let missing = args.dir.join(MISSING);
    println!(
        "{} files and one missing path, {} workers",
        files.len(),
        args.workers
    );

    let (collected, took) = lesson::timed(|| with_callbacks(&pool, files.iter().chain([&missing])));

    let Collected {
        hashes,
        errors,
        callback_threads,
    } = &collected;
    let by_callback = (files.iter().zip(&serial))
        .all(|(file, expected)| hashes.get(file) == expected.as_ref().ok());
    let unreadable = serial.iter().filter(|r| r.is_err()).count();
    let missing_name = missing.display().to_string();
    let errors_right =
        errors.len() == unreadable + 1 && errors.iter().any(|e| e.contains(&missing_name));
    let threads: HashSet<_> = callback_threads.iter().collect();
    let on_pool_threads =
        callback_threads.len() == files.len() + 1 && !threads.contains(&thread::current().id());
    let run = Run::new(took, by_callback && errors_right && on_pool_threads);
    println!(
        "{} tasks {}: the callback got {} hashes, the error callback {} error(s)",
        files.len() + 1,
        run.in_time(),
        hashes.len(),
        errors.len()
    );
    for err in errors {
        println!("error callback got: {err}");
    }
    println!(
        "the callbacks ran in this process on {} pool thread(s)",
        threads.len()
    );

    let mut checks = Checks::new();
    checks.check(
        "the callbacks saw every hash the serial pass computed",
        by_callback,
    );
    checks.check(
        "the missing file, and only what the serial pass could not read, went to the error callback",
        errors_right,
    );
    checks.check(
        "every task called one callback, on a pool thread, never the main thread",
        on_pool_threads,
    );
    checks.finish()
}
