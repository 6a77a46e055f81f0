//! Exercise: a thread panics while it holds a `std::sync::Mutex`, and the lock is *poisoned*:
//! every later `lock()` returns `Err(PoisonError)`. Keep going with the data anyway, knowingly.
//! Python's `with lock:` simply releases the lock on an exception and says nothing.
//! Lesson: `poisoning`. Hints: `cargo run -p exercises --bin course -- hint poisoned_lock`.
//! Check: `cargo run -p exercises --bin course -- check poisoned_lock`

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
                    // TODO: once a thread has panicked holding the lock, this `unwrap` panics in
                    //       every thread after it. Get the guard out of the error instead.
                    let mut log = log.lock().unwrap();
                    log.push(check(x));
                });
                (x, handle)
            })
            .collect();
        for (x, handle) in handles {
            // TODO: if the thread panicked, note its item in `panicked`.
            let _ = handle.join();
        }
    });
    // TODO: the same here: `into_inner` on a poisoned lock is an `Err` too.
    let mut kept = log.into_inner().unwrap();
    kept.sort_unstable();
    panicked.sort_unstable();
    Recorded { kept, panicked }
}
