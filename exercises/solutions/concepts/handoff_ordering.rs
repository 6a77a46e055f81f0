//! Solution: handoff_ordering.

// loom's atomics behave like std's, and under `loom::model` they also show every result the
// memory model allows, including a stale read a real machine shows only once in a long while.
use loom::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// One value handed from a writer thread to a reader thread: the data, and a flag saying the
/// data is there.
#[derive(Debug)]
pub struct Handoff {
    data: AtomicU64,
    ready: AtomicBool,
}

impl Handoff {
    /// Empty: no data, flag down.
    pub fn new() -> Handoff {
        Handoff {
            data: AtomicU64::new(0),
            ready: AtomicBool::new(false),
        }
    }

    /// The writer: stores `value`, then raises the flag.
    pub fn publish(&self, value: u64) {
        self.data.store(value, Ordering::Relaxed);
        // Release: every write before this store is visible to whoever reads `true` with Acquire.
        self.ready.store(true, Ordering::Release);
    }

    /// The reader: `Some(value)` if the flag is up, `None` if not yet. Must never return the
    /// data from before `publish` once it has seen the flag.
    pub fn try_take(&self) -> Option<u64> {
        // Acquire pairs with the writer's Release: seeing the flag means seeing the data too.
        if self.ready.load(Ordering::Acquire) {
            Some(self.data.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}

impl Default for Handoff {
    fn default() -> Self {
        Handoff::new()
    }
}
