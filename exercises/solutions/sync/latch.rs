//! Solution: latch.

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
        let mut remaining = self.remaining.lock().unwrap();
        if *remaining > 0 {
            *remaining -= 1;
            if *remaining == 0 {
                // Every waiter must wake, not one: they all wait for the same thing.
                self.opened.notify_all();
            }
        }
    }

    /// Waits until the latch is open or `timeout` has passed; returns whether it is open. Returns
    /// at once if it already is, and never before `timeout` if it is not.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let remaining = self.remaining.lock().unwrap();
        // `wait_timeout_while` sleeps again after a spurious wake-up and counts down the timeout.
        let (remaining, _) = self
            .opened
            .wait_timeout_while(remaining, timeout, |remaining| *remaining > 0)
            .unwrap();
        *remaining == 0
    }
}
