//! A reader-writer lock, which Python's `threading` does not have: `std::sync::RwLock` lets any
//! number of readers in together, and a writer only alone. Several reader threads take the read
//! lock and hold it for a while; once all of them are inside, the main thread asks for the write
//! lock, which it gets only after the last reader has left. The lesson checks that the readers
//! really held the lock at the same time, that no reader was inside while the writer was, and
//! that the readers saw the old value and the write landed. The scene runs under a deadline.
//!
//! Rust only: Python's `threading` has no reader-writer lock; `std::sync::RwLock` lets readers in together and a writer alone.

use std::process::ExitCode;
use std::sync::RwLock;
use std::thread;
use std::time::Duration;

use clap::Parser;
use examples_sync::{Occupancy, PATIENCE, bounded, wait_until};
use lesson::{Checks, usize_in};

#[derive(Parser, Debug)]
#[command(about = "An RwLock: readers together, the writer alone")]
struct Args {
    /// How many reader threads hold the read lock together
    #[arg(long, default_value_t = 4, value_parser = usize_in(2, 16))]
    readers: usize,
}

/// How long each reader holds the read lock: long enough for all of them to be inside at once.
const LONG_READ: Duration = Duration::from_millis(50);

/// What the scene saw, for the checks.
struct Seen {
    all_readers_in: bool,
    most_readers: usize,
    readers_while_writing: usize,
    values_read: Vec<String>,
    after_write: String,
}

fn scene(readers: usize) -> Seen {
    // ANCHOR: rwlock_scene
    let config = RwLock::new(String::from("v1"));
    let reading = Occupancy::new();
    let (mut readers_while_writing, mut all_readers_in) = (usize::MAX, false);
    let values_read = thread::scope(|s| {
        let handles: Vec<_> = (0..readers)
            .map(|_| {
                s.spawn(|| {
                    let value = config.read().unwrap();
                    reading.enter();
                    thread::sleep(LONG_READ);
                    reading.leave();
                    value.clone()
                })
            })
            .collect();
        // Wait until every reader holds the lock, then write: the write waits for them all.
        all_readers_in = wait_until(PATIENCE, || reading.now() == readers);
        let mut value = config.write().unwrap();
        readers_while_writing = reading.now();
        *value = String::from("v2");
        drop(value);
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let after_write = config.read().unwrap().clone();
    // ANCHOR_END: rwlock_scene
    Seen {
        all_readers_in,
        most_readers: reading.most(),
        readers_while_writing,
        values_read,
        after_write,
    }
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let readers = args.readers;
    lesson::header("rwlock: readers together, the writer alone");
    println!("\n-- RwLock: {readers} readers, then a writer --");
    let mut checks = Checks::new();
    let Some(seen) = bounded(PATIENCE, move || scene(readers)) else {
        checks.check("the RwLock scene finished in time", false);
        return checks.finish();
    };
    println!(
        "readers inside at once: {}; readers inside while the writer held it: {}",
        seen.most_readers, seen.readers_while_writing
    );
    println!(
        "readers saw {:?}; after the write: {:?}",
        seen.values_read, seen.after_write
    );
    checks.check(
        format!("all {readers} readers held the read lock at the same time"),
        seen.all_readers_in && seen.most_readers == readers,
    );
    checks.check(
        "the writer was alone: no reader inside while it wrote",
        seen.readers_while_writing == 0,
    );
    checks.check(
        "readers saw the old value, and the write landed",
        seen.values_read.iter().all(|v| v == "v1") && seen.after_write == "v2",
    );
    checks.finish()
}
