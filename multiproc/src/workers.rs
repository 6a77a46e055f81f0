//! Worker processes that share one segment: the parent's side of every shared-memory run.
//!
//! Python passes a `Value` or `Array` to `Process(target=..., args=(v,))` and the child finds it
//! mapped. Here the parent creates a [`Shared`] segment, starts the workers with its name, waits
//! until every one has mapped it, unlinks the name (the mappings stay valid, so nothing can be
//! left in `/dev/shm` from then on, however any process ends) and lets them go together.
//! [`join_all`] collects what they report under a deadline. A run that cannot complete says why
//! in a [`RunError`], which keeps Ctrl-C apart from a failure so that a lesson can exit with 130
//! for the one and 1 for the other.

use std::fmt;
use std::io::Write;
use std::thread;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::shm::{InShm, Shared, interrupted, remove_stale, unlink_on_interrupt};
use crate::{Process, Task, spawn};

/// How long a worker waits for the parent's go, and the parent for its workers to map.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the parent waits for its workers to finish before it kills them.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);
/// Test hook: `panic` makes the parent panic, `pause` makes it wait (for a signal), right after
/// every worker has mapped the segment and before it unlinks it: the worst moment to die.
pub const FAULT_VAR: &str = "MULTIPROC_SHM_FAULT";

/// Why a run did not complete.
///
/// Deliberately not a `std::error::Error`: the lessons' `lesson::Failure` swallows any standard
/// error with `?` as a plain failure, and Ctrl-C would then exit with 1 instead of 130. A chapter
/// maps the two variants by hand (`examples_sync::workers::failure`).
#[derive(Debug)]
pub enum RunError {
    /// Ctrl-C: the segment has been (or is being) removed; exit with 130.
    Interrupted,
    Failed(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Interrupted => f.write_str("interrupted"),
            RunError::Failed(why) => f.write_str(why),
        }
    }
}

impl From<std::io::Error> for RunError {
    fn from(err: std::io::Error) -> Self {
        RunError::Failed(err.to_string())
    }
}

/// A worker started by [`launch`]: its task returns `Ok(R)` or why it failed.
pub type Worker<R> = Process<Result<R, String>>;

// ANCHOR: launch
/// Starts one worker per job on `shared`, waits until every one has mapped it, unlinks its name
/// (the mappings stay valid) and releases them together. From here on nothing is left in
/// `/dev/shm`, however any process ends. On an error, dropping the handles reaps the workers and
/// dropping `shared` unlinks the name.
pub fn launch<T, A, R>(
    shared: &mut Shared<T>,
    task: &'static Task<A, Result<R, String>>,
    jobs: Vec<A>,
) -> Result<Vec<Worker<R>>, RunError>
where
    T: InShm,
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    let mut workers = Vec::with_capacity(jobs.len());
    for job in jobs {
        workers.push(spawn(task, job).map_err(|e| RunError::Failed(e.to_string()))?);
    }
    let deadline = Instant::now() + START_TIMEOUT;
    while shared.mapped() < workers.len() as u32 {
        if interrupted() {
            return Err(RunError::Interrupted);
        }
        if let Some(dead) = workers.iter_mut().position(|w| !w.is_alive()) {
            let why = format!(
                "worker {} ended before mapping the segment",
                workers[dead].pid()
            );
            return Err(RunError::Failed(why));
        }
        if Instant::now() > deadline {
            return Err(RunError::Failed(
                "the workers did not map the segment".into(),
            ));
        }
        thread::sleep(Duration::from_millis(1));
    }
    fault_hook(shared.name(), &workers)?;
    shared.unlink()?;
    if interrupted() {
        return Err(RunError::Interrupted);
    }
    shared.go(workers.len() as u32);
    Ok(workers)
}
// ANCHOR_END: launch

fn fault_hook<R>(segment: &str, workers: &[Worker<R>]) -> Result<(), RunError>
where
    R: Serialize + DeserializeOwned,
{
    let pids: Vec<u32> = workers.iter().map(|w| w.pid()).collect();
    match std::env::var(FAULT_VAR).as_deref() {
        Ok("panic") => panic!("{FAULT_VAR}=panic: the parent panics before unlinking {segment}"),
        Ok("pause") => {
            println!("fault: pausing before unlinking {segment}; workers {pids:?}");
            let _ = std::io::stdout().flush();
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if interrupted() {
                    return Err(RunError::Interrupted);
                }
                thread::sleep(Duration::from_millis(5));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Waits for every worker (at most a minute in all, then they are killed) and collects their
/// results.
pub fn join_all<R>(workers: Vec<Worker<R>>) -> Result<Vec<R>, RunError>
where
    R: Serialize + DeserializeOwned,
{
    let deadline = Instant::now() + RUN_TIMEOUT;
    let mut results = Vec::with_capacity(workers.len());
    for mut worker in workers {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(exit) = worker.join_timeout(left)? else {
            let _ = worker.kill();
            return Err(RunError::Failed(format!(
                "worker {} still running after {RUN_TIMEOUT:?}",
                worker.pid()
            )));
        };
        match worker.take_result() {
            Some(Ok(result)) => results.push(result),
            Some(Err(why)) => return Err(RunError::Failed(why)),
            None => {
                let why = format!("worker {} ended without a result ({exit})", worker.pid());
                return Err(RunError::Failed(why));
            }
        }
    }
    Ok(results)
}

/// How every shared-memory lesson starts, after its header: Ctrl-C from now on unlinks this run's
/// segments, and what a killed run left in `/dev/shm` is removed, and mentioned.
pub fn guard_dev_shm() -> std::io::Result<()> {
    unlink_on_interrupt()?;
    let stale = remove_stale();
    if stale > 0 {
        println!("removed {stale} segment(s) left in /dev/shm by a run that was killed");
    }
    Ok(())
}
