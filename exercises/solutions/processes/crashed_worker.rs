//! Solution: crashed_worker.

use multiproc::{Exit, Pool, Task, TaskError};
use std::collections::BTreeMap;

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

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub succeeded: BTreeMap<u64, u64>,
    pub failed: BTreeMap<u64, String>,
    pub panicked: BTreeMap<u64, String>,
    pub crashed: BTreeMap<u64, Option<Exit>>,
}

pub fn crash_report(pool: &Pool<u64, u64>, inputs: &[u64]) -> Report {
    let mut report = Report::default();
    // Chunks of one: a worker that dies fails its whole chunk, so only single-input chunks keep
    // the blame on the input that crashed.
    let results = pool.map_chunked(inputs.to_vec(), 1);
    for (&x, result) in inputs.iter().zip(results) {
        match result {
            Ok(value) => {
                report.succeeded.insert(x, value);
            }
            Err(TaskError::Failed(message)) => {
                report.failed.insert(x, message);
            }
            Err(TaskError::Panicked(message)) => {
                report.panicked.insert(x, message);
            }
            Err(TaskError::WorkerDied { exit, .. }) => {
                report.crashed.insert(x, exit);
            }
            Err(err @ (TaskError::NotRunning | TaskError::NoWorkers(_))) => {
                unreachable!("the pool is running: {err}")
            }
        }
    }
    report
}
