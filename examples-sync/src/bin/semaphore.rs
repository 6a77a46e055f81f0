//! Python's `threading.Semaphore` in Rust: at most N workers inside at once. The standard library
//! has no semaphore, so the crate builds one from a counter behind a `Mutex` and a `Condvar`
//! (`examples_sync::Semaphore`); acquiring returns a `Permit`, and dropping the permit gives it
//! back, so no path through a worker can forget to release it. The lesson counts how many workers
//! are inside at any moment and checks that it never exceeded the permits, and that every worker
//! got in in the end. Every wait is bounded, so a broken semaphore fails a check, never hangs.
//!
//! Rust only: the tutorials show only `Lock`; `std` has no semaphore, so this one is built from a `Mutex` and a `Condvar`, its permit given back on drop.

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use clap::Parser;
use examples_sync::{Occupancy, PATIENCE, Semaphore};
use lesson::{Checks, usize_in};

#[derive(Parser, Debug)]
#[command(about = "A Semaphore: at most N workers inside at once")]
struct Args {
    /// How many worker threads want in
    #[arg(long, default_value_t = 4, value_parser = usize_in(2, 16))]
    workers: usize,
    /// How many threads the semaphore lets in at once
    #[arg(long, default_value_t = 2, value_parser = usize_in(1, 8))]
    permits: usize,
}

/// How long each worker holds its permit: a slow resource, so the others really queue up.
const SLOW_RESOURCE: Duration = Duration::from_millis(20);

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let (workers, permits) = (args.workers, args.permits);
    lesson::header("semaphore: at most N inside at once");
    println!("\n-- Semaphore: {workers} workers, {permits} permits --");
    // ANCHOR: semaphore_scene
    let semaphore = Semaphore::new(permits);
    let inside = Occupancy::new();
    let got_in = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                if let Some(_permit) = semaphore.acquire_timeout(PATIENCE) {
                    inside.enter();
                    got_in.fetch_add(1, Ordering::SeqCst);
                    thread::sleep(SLOW_RESOURCE);
                    inside.leave();
                } // `_permit` dropped here: the next waiter gets in
            });
        }
    });
    // ANCHOR_END: semaphore_scene
    let (most, got_in) = (inside.most(), got_in.into_inner());
    println!("{got_in} of {workers} workers got in; at most {most} inside at once");
    let mut checks = Checks::new();
    checks.check("every worker got a permit in the end", got_in == workers);
    checks.check(
        format!("never more than {permits} inside at once"),
        most <= permits,
    );
    checks.finish()
}
