//! Solution: atomic_counter.

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
        self.value.fetch_add(1, Ordering::Relaxed)
    }

    /// The current value.
    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}

/// The same contract as `fix_the_race::count_with_lock`: `threads` scoped threads each call
/// [`Counter::increment`] `increments` times on one shared counter, and the result is exactly
/// `threads * increments`.
pub fn count_with_atomic(threads: usize, increments: u64) -> u64 {
    let counter = Counter::new();
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..increments {
                    counter.increment();
                }
            });
        }
    });
    counter.get()
}
