//! Phases of worker processes for the manager lessons: start one worker per argument, join them
//! all under one deadline, and collect what each returned.
//!
//! A worker task returns `Result<R, E>` with a serde error type (the manager's `ManagerError`), so
//! the parent learns why a worker failed, not only that it did. A phase in which any worker failed
//! is a failed run: [`succeeded`] turns it into one line saying why (a dead server first), and the
//! lesson prints no figure and no check from it.

use multiproc::manager::Manager;
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

/// Every worker's value if the whole phase succeeded. Otherwise the reason it failed: the
/// manager's server died (a worker that lost it says only "the manager is gone"), or the first
/// worker's own error, with how many failed.
pub fn succeeded<R>(
    manager: &mut Manager,
    results: Vec<lesson::Result<R>>,
) -> lesson::Result<Vec<R>> {
    let workers = results.len();
    let mut values = Vec::with_capacity(workers);
    let mut failures = Vec::new();
    for (id, result) in results.into_iter().enumerate() {
        match result {
            Ok(value) => values.push(value),
            Err(why) => failures.push((id, why)),
        }
    }
    still_serving(manager, !failures.is_empty())?;
    match failures.into_iter().next() {
        None => Ok(values),
        Some((id, why)) => Err(lesson::Failure::msg(format!(
            "worker {id} failed ({why}), and {} of {workers} in all",
            workers - values.len()
        ))),
    }
}

/// Fails the run if the manager's server has died: what a worker then reports (a refusal
/// included) is not the manager's answer. After a worker failed, a dying server gets a moment to
/// be seen dead: its sockets close a little before its parent can reap it.
pub fn still_serving(manager: &mut Manager, worker_failed: bool) -> lesson::Result<()> {
    let patience = if worker_failed {
        DEATH_PATIENCE
    } else {
        Duration::ZERO
    };
    let start = Instant::now();
    loop {
        if let Some(exit) = manager.server_exit() {
            return Err(lesson::Failure::msg(format!(
                "the manager server (PID {}) died mid-run ({exit})",
                manager.pid()
            )));
        }
        if start.elapsed() >= patience {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// How long a failed phase waits to see whether the manager's server died.
const DEATH_PATIENCE: Duration = Duration::from_millis(200);

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
