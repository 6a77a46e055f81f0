//! Python's `threading.Event` in Rust: worker threads wait until the main thread sets it. The
//! standard library has no `Event`, so the crate builds one from a `Mutex<bool>` and a `Condvar`
//! (`examples_sync::Event`). The lesson counts the workers that got past before the set (none may
//! have), and checks that every one woke because the Event was set, not because its wait timed
//! out. Every wait is bounded, so a broken Event fails a check instead of hanging the lesson.
//!
//! Rust only: the tutorials show only `Lock`; `std` has no `Event`, so this one is built from a `Mutex` and a `Condvar`.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use examples_sync::{Event, PATIENCE};
use lesson::{Checks, usize_in};

#[derive(Parser, Debug)]
#[command(about = "An Event: worker threads wait until the main thread sets it")]
struct Args {
    /// How many worker threads wait on the Event
    #[arg(long, default_value_t = 4, value_parser = usize_in(2, 16))]
    workers: usize,
}

/// How long the main thread lets the workers settle into their wait before it counts them: long
/// enough that a broken Event would have let them through.
const SETTLE: Duration = Duration::from_millis(50);

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let workers = args.workers;
    lesson::header("event: workers wait until the Event is set");
    println!("\n-- Event: {workers} workers wait for the main thread's go --");
    // ANCHOR: event_scene
    let go = Arc::new(Event::new());
    let passed = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (go, passed) = (Arc::clone(&go), Arc::clone(&passed));
            thread::spawn(move || {
                let set = go.wait_timeout(PATIENCE);
                passed.fetch_add(1, Ordering::SeqCst);
                (set, Instant::now())
            })
        })
        .collect();
    thread::sleep(SETTLE); // the workers are all waiting by now
    let before = passed.load(Ordering::SeqCst);
    let set_at = Instant::now();
    go.set();
    let woke: Vec<(bool, Instant)> = handles
        .into_iter()
        .map(|h| h.join().expect("a waiting worker does not panic"))
        .collect();
    // ANCHOR_END: event_scene
    println!(
        "passed before set: {before}; after: {}",
        passed.load(Ordering::SeqCst)
    );
    let mut checks = Checks::new();
    checks.check(
        "no worker went past the Event before it was set",
        before == 0,
    );
    checks.check(
        "every worker woke because the Event was set, after it was set",
        woke.iter().all(|&(set, at)| set && at >= set_at),
    );
    checks.finish()
}
