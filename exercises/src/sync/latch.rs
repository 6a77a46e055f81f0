//! Exercise: a latch from a `Mutex` and a `Condvar`: threads wait, without burning a core, until
//! `n` events have happened. Lesson: `condvar`.
//! Hints: `cargo run -p exercises --bin course -- hint latch`.
//! Check: `cargo run -p exercises --bin course -- check latch`

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// A one-shot gate: it opens when `count_down` has been called `n` times, and then stays open.
/// Java calls it a `CountDownLatch`; Python would build it from a `threading.Condition`.
#[derive(Debug)]
pub struct Latch {
    remaining: Mutex<usize>,
    opened: Condvar,
}

impl Latch {
    /// A latch that opens after `n` calls to [`Latch::count_down`] (at once if `n` is 0).
    pub fn new(n: usize) -> Latch {
        Latch {
            remaining: Mutex::new(n),
            opened: Condvar::new(),
        }
    }

    /// One of the `n` events has happened. Calls after the latch opened change nothing.
    pub fn count_down(&self) {
        // TODO: under the lock, take one off what remains (never below zero); if that opened
        //       the latch, wake the threads waiting on the condvar.
        todo!("count_down")
    }

    /// Waits until the latch is open or `timeout` has passed; returns whether it is open. Returns
    /// at once if it already is, and never before `timeout` if it is not.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        // TODO: under the lock, sleep on the condvar while the latch is closed, but no longer
        //       than `timeout` in all, even if the thread wakes up for no reason on the way.
        todo!("wait_timeout")
    }
}
