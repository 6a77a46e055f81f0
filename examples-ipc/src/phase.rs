//! Phases of worker processes for the manager lessons: start one worker per argument, join them
//! all under one deadline, and collect what each returned.
//!
//! A worker task returns `Result<R, E>` with a serde error type (the manager's `ManagerError`), so
//! the parent learns why a worker failed, not only that it did.

use multiproc::{Process, Task, spawn};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::error::Error;
use std::time::{Duration, Instant};

/// Starts one process per argument and joins them all; returns each worker's result and the wall
/// time from the first start to the last exit. A worker still running at `deadline` (a manager
/// that stopped answering would leave it waiting) counts as failed: its handle, dropped, kills and
/// reaps it, so the lesson ends instead of hanging.
pub fn run_phase<A, R, E>(
    task: &'static Task<A, Result<R, E>>,
    args: impl IntoIterator<Item = A>,
    deadline: Duration,
) -> (Vec<lesson::Result<R>>, Duration)
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned + Send + 'static,
    E: Error + Serialize + DeserializeOwned + Send + 'static,
{
    let start = Instant::now();
    let children: Vec<_> = args.into_iter().map(|a| spawn(task, a)).collect();
    let results = children
        .into_iter()
        .map(|child| {
            let left = deadline.saturating_sub(start.elapsed());
            finish(child?, left, deadline)
        })
        .collect();
    (results, start.elapsed())
}

/// Waits up to `left` for one worker, then takes its result.
fn finish<R, E>(
    mut child: Process<Result<R, E>>,
    left: Duration,
    deadline: Duration,
) -> lesson::Result<R>
where
    R: Serialize + DeserializeOwned + Send + 'static,
    E: Error + Serialize + DeserializeOwned + Send + 'static,
{
    let Some(exit) = child.join_timeout(left)? else {
        return Err(lesson::Failure::msg(format!(
            "worker {} still running after {deadline:?}",
            child.pid()
        )));
    };
    match child.take_result() {
        Some(result) => Ok(result?),
        None => Err(lesson::Failure::msg(format!(
            "worker {} ended without a result ({exit})",
            child.pid()
        ))),
    }
}

/// The deadline for one phase: no healthy run comes near it. 30 s, plus 100 µs for every call of
/// every worker, where a round trip measured about 6 µs.
pub fn deadline(calls: usize) -> Duration {
    Duration::from_secs(30) + Duration::from_micros(100 * calls as u64)
}

/// Operations per second, in thousands or millions.
pub fn per_second(ops: usize, took: Duration) -> String {
    let rate = ops as f64 / took.as_secs_f64().max(1e-9);
    if rate >= 1e6 {
        format!("{:.2}M ops/s", rate / 1e6)
    } else {
        format!("{:.0}k ops/s", rate / 1e3)
    }
}
