//! What the chapter's long-running lessons cost, estimated from their flags for [`lesson::heavy`]
//! (which decides whether that is worth a warning and words it): the work the flags ask for
//! divided by a rate measured on the course's 2-core machine (see the lessons' measured outputs
//! in the book). A rough figure, not a promise.

use std::time::Duration;

pub use lesson::heavy::{Cost, warn_if_heavy};

/// Manager calls per second, one round trip each, from several workers at once (measured: 136k to
/// 180k).
pub const MANAGER_CALLS_PER_SEC: f64 = 130_000.0;

/// Manager calls per second when they travel in batches (measured: about 4M).
pub const BATCHED_CALLS_PER_SEC: f64 = 3_000_000.0;

/// Single numbers per second through ipc-channel between two processes (measured: about 600k).
pub const IPC_MESSAGES_PER_SEC: f64 = 500_000.0;

/// Single numbers per second through a channel between two threads (measured: 29M to 57M).
pub const THREAD_MESSAGES_PER_SEC: f64 = 25_000_000.0;

/// Manager calls: `one_at_a_time` as round trips, `batched` in batches.
pub fn manager_calls(one_at_a_time: usize, batched: usize) -> Cost {
    Cost {
        seconds: one_at_a_time as f64 / MANAGER_CALLS_PER_SEC
            + batched as f64 / BATCHED_CALLS_PER_SEC,
        bytes: 0.0,
    }
}

/// Single messages: `between_processes` through ipc-channel, `between_threads` through thread
/// channels.
pub fn messages(between_processes: usize, between_threads: usize) -> Cost {
    Cost {
        seconds: between_processes as f64 / IPC_MESSAGES_PER_SEC
            + between_threads as f64 / THREAD_MESSAGES_PER_SEC,
        bytes: 0.0,
    }
}

/// Time spent waiting on purpose (simulated work), which no machine shortens.
pub fn sleeping(total: Duration) -> Cost {
    Cost {
        seconds: total.as_secs_f64(),
        bytes: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_runs_are_announced() {
        assert_eq!(sleeping(Duration::from_secs(1)).warning("--x"), None);
        assert!(manager_calls(1_000_000_000, 0).warning("--ops 9").is_some());
        assert!(messages(usize::MAX, 0).warning("--messages 9").is_some());
    }
}
