//! Exercise: run a batch on a pool whose tasks sometimes crash their worker process, and report
//! what happened to each input: the batch must still complete. Lesson: `crash_resilience`.
//!
//! Hints: `cargo run -p exercises --bin course -- hint crashed_worker`.
//! Check: `cargo run -p exercises --bin course -- check crashed_worker`

use multiproc::{Exit, Pool, Task, TaskError};
use std::collections::BTreeMap;

/// The task (given): squares `x`, unless `x` is unlucky. Ends in 7: the worker aborts (as a crash
/// in native code would: no message, the process is gone). Ends in 3: it panics. 99: the worker
/// calls `exit(3)`. A multiple of 5: it returns an error. The tests register it.
pub fn inspect(x: u64) -> Result<u64, String> {
    match x {
        x if x % 10 == 7 => std::process::abort(),
        x if x % 10 == 3 => panic!("{x} ends in 3"),
        99 => std::process::exit(3),
        x if x % 5 == 0 => Err(format!("{x} is a multiple of 5")),
        x => Ok(x * x),
    }
}
pub static INSPECT: Task<u64, Result<u64, String>> = Task::new("inspect", inspect);

/// What happened to every input of a batch; each input is in exactly one map.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The task returned `Ok(value)`: input to value.
    pub succeeded: BTreeMap<u64, u64>,
    /// The task returned `Err(message)` ([`TaskError::Failed`]): input to message.
    pub failed: BTreeMap<u64, String>,
    /// The task panicked ([`TaskError::Panicked`]): input to the panic's message.
    pub panicked: BTreeMap<u64, String>,
    /// The worker died running it ([`TaskError::WorkerDied`]): input to how the worker ended.
    pub crashed: BTreeMap<u64, Option<Exit>>,
}

/// Runs `inspect` on every input with `pool` and reports the outcome of each. A crash must cost
/// only the input that caused it, never a neighbour that happened to travel with it.
pub fn crash_report(pool: &Pool<u64, u64>, inputs: &[u64]) -> Report {
    let mut report = Report::default();
    // TODO: run every input on the pool, each in a job of its own (which `Pool` method lets you
    //       choose the chunk size, and why does it matter here?).
    // TODO: pair each result with its input and file it in the right map by `TaskError` variant
    //       (`NotRunning` and `NoWorkers` cannot happen here: `unreachable!` is fine).
    todo!("crash_report")
}
