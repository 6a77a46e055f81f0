//! Exercise: memory ordering. A writer stores some data, then raises a flag; a reader that sees
//! the flag reads the data. With the wrong orderings the reader may see the flag *and stale data*:
//! on x86 almost never, on ARM now and then, and under loom's model checker every time it can.
//! Lesson: `memory_ordering`.
//! Hints: `cargo run -p exercises --bin course -- hint handoff_ordering`.
//! Check: `cargo run -p exercises --bin course -- check handoff_ordering`

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
        // TODO: choose the ordering of the flag's store. Which one makes the data written above
        //       visible to a reader that sees the flag?
        self.ready.store(true, Ordering::Relaxed);
    }

    /// The reader: `Some(value)` if the flag is up, `None` if not yet. Must never return the
    /// data from before `publish` once it has seen the flag.
    pub fn try_take(&self) -> Option<u64> {
        // TODO: and the ordering of the flag's load, the other half of the pair.
        if self.ready.load(Ordering::Relaxed) {
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
