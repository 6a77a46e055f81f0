//! How a lesson reports a timed run: its figures only if it finished with the right answer. A run that failed (a wrong answer, a request that got no reply, a child that died) has
//! a row that says "failed" and shows no time, speed-up or throughput, because such a figure
//! describes nothing; its check fails, so the lesson exits with code 1.

use std::env;
use std::fmt::Display;
use std::time::Duration;

use crate::{human, timed};

/// Test hook: the names of runs (comma-separated, as the lesson names them to [`Run::judged`])
/// that a test wants judged failed, so that it can see what a lesson prints for a failed run.
/// Threads leave nothing to kill from outside, so this is where a failure can be forced. Never
/// set outside tests.
pub const FAIL_VAR: &str = "EXAMPLES_TEST_FAIL";

/// One timed run, as a lesson's table reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// How long it took, kept only if it finished with the right answer.
    time: Option<Duration>,
}

impl Run {
    /// The run called `name` took `time` and its answer was `right` or not (unless [`FAIL_VAR`]
    /// names it: then it failed).
    pub fn judged(name: &str, time: Duration, right: bool) -> Self {
        let forced = env::var(FAIL_VAR).is_ok_and(|names| names.split(',').any(|n| n == name));
        Run {
            time: (right && !forced).then_some(time),
        }
    }

    /// A run that took `time` and ended well with the right answer, or not.
    pub fn new(time: Duration, right: bool) -> Self {
        Run {
            time: right.then_some(time),
        }
    }

    /// A run that did not finish at all.
    pub fn failed() -> Self {
        Run { time: None }
    }

    /// Whether it finished with the right answer.
    pub fn right(&self) -> bool {
        self.time.is_some()
    }

    /// Its time, if it finished with the right answer.
    pub fn time(&self) -> Option<Duration> {
        self.time
    }

    /// Its time for a table, `1.23 s`, or `failed`.
    pub fn shown(&self) -> String {
        self.time.map_or_else(|| "failed".to_string(), human)
    }

    /// `took 1.23 s`, or `failed`: the end of a sentence that narrates the run.
    pub fn took(&self) -> String {
        self.time
            .map_or_else(|| "failed".to_string(), |t| format!("took {}", human(t)))
    }

    /// `in 1.23 s`, or `failed`: how a sentence that narrates the run says how it went.
    pub fn in_time(&self) -> String {
        (self.time).map_or_else(|| "failed".to_string(), |t| format!("in {}", human(t)))
    }

    /// A figure of this run (a throughput, a finish time) for a table, or `-` if the run failed.
    pub fn figure(&self, figure: impl Display) -> String {
        match self.time {
            Some(_) => figure.to_string(),
            None => "-".to_string(),
        }
    }

    /// How many times faster than `baseline` it ran, `2.00x` with `digits` decimals, or `-` if
    /// either run failed.
    pub fn speedup(&self, baseline: &Run, digits: usize) -> String {
        match (self.time, baseline.time) {
            (Some(time), Some(base)) => {
                format!("{:.digits$}x", base.as_secs_f64() / time.as_secs_f64())
            }
            _ => "-".to_string(),
        }
    }
}

/// The fastest of `repeat` runs of `f`, with what it returned: a timing that filters out one-off
/// hiccups of a busy machine.
pub fn best_of<T>(repeat: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    let first = timed(&mut f);
    (1..repeat)
        .map(|_| timed(&mut f))
        .fold(first, |best, run| if run.1 < best.1 { run } else { best })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_run_shows_no_figure() {
        let base = Run::judged("serial", Duration::from_secs(2), true);
        let fast = Run::judged("fast", Duration::from_secs(1), true);
        let wrong = Run::judged("wrong", Duration::from_secs(1), false);
        assert_eq!(fast.speedup(&base, 2), "2.00x");
        assert_eq!(fast.shown(), "1.00 s");
        assert_eq!(wrong.shown(), "failed");
        assert_eq!(
            (fast.in_time().as_str(), wrong.in_time().as_str()),
            ("in 1.00 s", "failed")
        );
        assert_eq!(Run::new(Duration::from_secs(1), false), Run::failed());
        assert_eq!(
            (fast.took().as_str(), wrong.took().as_str()),
            ("took 1.00 s", "failed")
        );
        assert_eq!(wrong.speedup(&base, 2), "-");
        assert_eq!(
            fast.speedup(&wrong, 2),
            "-",
            "nothing is faster than a failure"
        );
        assert_eq!(wrong.figure("3 ms"), "-");
        assert_eq!(Run::failed().time(), None);
        assert!(fast.right() && !wrong.right());
    }
}
