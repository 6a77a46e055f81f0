//! How the chapter's lessons report a timed run: its figures only if it finished with the right
//! answer. A run that failed (a worker that died, a wrong answer, an error) has a row that says
//! "failed" and shows no time, speed-up or throughput, because such a figure describes nothing;
//! its check fails, so the lesson exits with code 1. [`DIE_VAR`] is the test hook that makes a
//! worker die for real, so that a test can see it.

use std::env;
use std::fmt::Display;
use std::time::Duration;

use lesson::human;

/// Test hook: the names of tasks (comma-separated) whose worker processes die as a task starts,
/// killed as the out-of-memory killer would kill them, so that a test can see what a lesson
/// prints when a worker dies mid-run. Killing one from the test instead would race with the
/// task's end (see `crash_resilience`). Never set outside tests.
pub const DIE_VAR: &str = "EXAMPLES_TEST_DIE";

/// Called by a worker as it starts `task`: if [`DIE_VAR`] names the task, the worker process
/// sends itself `SIGKILL` and is gone, leaving no result and no message. The parent, which may
/// call the same function for its own answer, never dies of it.
pub fn die_if_asked(task: &str) {
    let in_worker = env::var_os(multiproc::ROLE_VAR).is_some();
    if in_worker && env::var(DIE_VAR).is_ok_and(|names| names.split(',').any(|n| n == task)) {
        let _ = multiproc::signal::send(std::process::id(), multiproc::signal::KILL);
        std::process::abort(); // not reached: SIGKILL to oneself lands before `send` returns
    }
}

/// One timed run, as a lesson's table reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// How long it took, kept only if it finished with the right answer.
    time: Option<Duration>,
}

impl Run {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_run_shows_no_figure() {
        let base = Run::new(Duration::from_secs(2), true);
        let fast = Run::new(Duration::from_secs(1), true);
        let wrong = Run::new(Duration::from_secs(1), false);
        assert_eq!(fast.speedup(&base, 2), "2.00x");
        assert_eq!(fast.shown(), "1.00 s");
        assert_eq!(wrong.shown(), "failed");
        assert_eq!(
            (fast.in_time().as_str(), wrong.in_time().as_str()),
            ("in 1.00 s", "failed")
        );
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
