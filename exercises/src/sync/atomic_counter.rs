//! Exercise: the counter of `fix_the_race` again, without a lock: one atomic read-modify-write,
//! `fetch_add`, does the read, the add and the write as a single step no thread can split.
//! Lesson: `thread_counter`. Hints: `cargo run -p exercises --bin course -- hint atomic_counter`.
//! Check: `cargo run -p exercises --bin course -- check atomic_counter`

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

/// A counter any number of threads may increment at once through a shared `&Counter`.
#[derive(Debug, Default)]
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    /// A counter at 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds 1 and returns the value from just before: of all the calls, from all the threads,
    /// each one gets a different value, so the values handed out are exactly `0..calls`.
    pub fn increment(&self) -> u64 {
        // TODO: read, add one and write back as ONE step no other thread can split, and return
        //       what was there before. Which memory ordering does a plain count need?
        todo!("increment")
    }

    /// The current value.
    pub fn get(&self) -> u64 {
        // TODO: read the value.
        todo!("get")
    }
}

/// The same contract as `fix_the_race::count_with_lock`: `threads` scoped threads each call
/// [`Counter::increment`] `increments` times on one shared counter, and the result is exactly
/// `threads * increments`.
pub fn count_with_atomic(threads: usize, increments: u64) -> u64 {
    // TODO: one `Counter` shared by `threads` scoped threads, each incrementing it `increments`
    //       times; once they have all finished, return its value.
    todo!("count_with_atomic")
}
