//! A warning before a run that will take long: the flags' ranges allow runs of many minutes, and a
//! student who asks for one should know before it starts, not after a silent quarter of an hour.
//!
//! The estimate is deliberately cheap: the work the flags ask for divided by a rate measured on
//! the course's 2-core machine (see the lessons' measured outputs in the book). It is a rough
//! figure, not a promise; it only decides whether to say something.

use std::time::Duration;

/// Runs estimated to take longer than this get a warning on stderr before they start.
pub const LONG_RUN: Duration = Duration::from_secs(120);

/// Manager calls per second, one round trip each, from several workers at once (measured: 136k to
/// 180k).
pub const MANAGER_CALLS_PER_SEC: f64 = 130_000.0;

/// Manager calls per second when they travel in batches (measured: about 4M).
pub const BATCHED_CALLS_PER_SEC: f64 = 3_000_000.0;

/// Single numbers per second through ipc-channel between two processes (measured: about 600k).
pub const IPC_MESSAGES_PER_SEC: f64 = 500_000.0;

/// Single numbers per second through a channel between two threads (measured: 29M to 57M).
pub const THREAD_MESSAGES_PER_SEC: f64 = 25_000_000.0;

/// The work a run's flags ask for, in seconds on the course's machine, and what was counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    pub seconds: f64,
    pub what: String,
}

/// Manager calls: `one_at_a_time` as round trips, `batched` in batches.
pub fn manager_calls(one_at_a_time: usize, batched: usize) -> Work {
    let what = if batched == 0 {
        format!("{one_at_a_time} manager calls")
    } else {
        format!("{one_at_a_time} manager calls one at a time, {batched} in batches")
    };
    Work {
        seconds: one_at_a_time as f64 / MANAGER_CALLS_PER_SEC
            + batched as f64 / BATCHED_CALLS_PER_SEC,
        what,
    }
}

/// Single messages: `between_processes` through ipc-channel, `between_threads` through thread
/// channels.
pub fn messages(between_processes: usize, between_threads: usize) -> Work {
    Work {
        seconds: between_processes as f64 / IPC_MESSAGES_PER_SEC
            + between_threads as f64 / THREAD_MESSAGES_PER_SEC,
        what: format!(
            "{between_processes} messages between processes, {between_threads} between threads"
        ),
    }
}

/// Time spent waiting on purpose (simulated work), which no machine shortens.
pub fn sleeping(total: Duration) -> Work {
    Work {
        seconds: total.as_secs_f64(),
        what: "the simulated work alone".to_string(),
    }
}

impl Work {
    /// How long the run will take, or `None` if it is not a long run.
    pub fn long_run(&self) -> Option<Duration> {
        let estimate = Duration::try_from_secs_f64(self.seconds).unwrap_or(Duration::MAX);
        (estimate > LONG_RUN).then_some(estimate)
    }

    /// Prints one line on stderr if this is a long run. Returns whether it warned.
    pub fn warn_if_long(&self) -> bool {
        let Some(estimate) = self.long_run() else {
            return false;
        };
        eprintln!(
            "warning: these flags make a long run, about {} ({}, on the course's 2-core \
             machine); Ctrl-C stops it",
            in_words(estimate),
            self.what
        );
        true
    }
}

/// Minutes or hours, rounded: the estimate is no more precise than that.
fn in_words(d: Duration) -> String {
    let minutes = d.as_secs_f64() / 60.0;
    if minutes < 120.0 {
        format!("{minutes:.0} minutes")
    } else {
        format!("{:.0} hours", minutes / 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_runs_are_long() {
        assert_eq!(sleeping(Duration::from_secs(1)).long_run(), None);
        assert_eq!(sleeping(LONG_RUN).long_run(), None);
        assert!(manager_calls(1_000_000_000, 0).long_run().is_some());
        assert!(messages(usize::MAX, 0).long_run().is_some());
        assert_eq!(in_words(Duration::from_secs(600)), "10 minutes");
        assert_eq!(in_words(Duration::from_secs(4 * 3600)), "4 hours");
    }
}
