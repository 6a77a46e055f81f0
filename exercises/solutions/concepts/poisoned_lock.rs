//! Solution: poisoned_lock.

use std::sync::{Mutex, PoisonError};
use std::thread;

/// The work on one item (given): it panics on some inputs, and the caller holds the lock then.
pub fn check(x: u64) -> u64 {
    assert!(x % 7 != 3, "item {x} is malformed");
    x * x
}

/// What [`record_all`] returns.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    /// `check(x)` of every item that passed, sorted.
    pub kept: Vec<u64>,
    /// Every item whose thread panicked, sorted.
    pub panicked: Vec<u64>,
}

/// Runs each item on a scoped thread of its own; the thread locks one shared log and, still
/// holding the lock, pushes `check(item)`. An item that panics poisons the lock: every item that
/// does not panic must still be recorded, and the panicked ones counted.
pub fn record_all(items: &[u64]) -> Recorded {
    let log = Mutex::new(Vec::new());
    let mut panicked = Vec::new();
    thread::scope(|scope| {
        let handles: Vec<_> = items
            .iter()
            .map(|&x| {
                let log = &log;
                let handle = scope.spawn(move || {
                    // A poisoned lock still hands over its data: a panic elsewhere left the log
                    // whole (a push either happened or did not), so recovering is safe here.
                    let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
                    log.push(check(x));
                });
                (x, handle)
            })
            .collect();
        for (x, handle) in handles {
            if handle.join().is_err() {
                panicked.push(x);
            }
        }
    });
    let mut kept = log.into_inner().unwrap_or_else(PoisonError::into_inner);
    kept.sort_unstable();
    panicked.sort_unstable();
    Recorded { kept, panicked }
}
