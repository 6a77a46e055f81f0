//! Exercise: a counter shared by many threads loses updates, because each thread reads it and then
//! writes it back in two steps. Fix the race with a lock. Lesson: `thread_counter`.
//! Hints: `cargo run -p exercises --bin course -- hint fix_the_race`.
//! Check: `cargo run -p exercises --bin course -- check fix_the_race`

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

/// The broken version, to run and read, not to copy: `threads` threads each add 1 to a shared
/// counter `increments` times. Between a thread's `load` and its `store`, another thread may store
/// too; both then write the same `seen + 1` and one increment is lost. The total often comes up
/// short, and sometimes it does not, which is what makes races so hard to catch by testing.
pub fn racy_count(threads: usize, increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..increments {
                    let seen = counter.load(Ordering::Relaxed);
                    counter.store(seen + 1, Ordering::Relaxed); // The race: two separate steps.
                }
            });
        }
    });
    counter.into_inner()
}

/// The same contract as [`racy_count`], without the race: `threads` scoped threads each add 1 to
/// one shared counter `increments` times, and the result is exactly `threads * increments`
/// (0 threads count to 0). The counter is a `Mutex<u64>`, so each read-add-write happens while the
/// thread holds the lock, and no other thread can slip in between.
pub fn count_with_lock(threads: usize, increments: u64) -> u64 {
    // TODO: the same threads and loops as `racy_count`, but the counter lives inside a lock,
    //       and each thread does its read, add and write while it holds the lock.
    // TODO: once every thread has finished, take the total out of the lock and return it.
    todo!("count_with_lock")
}
