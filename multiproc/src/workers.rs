//! Worker processes that share one segment: the parent's side of every shared-memory run.
//!
//! Python passes a `Value` or `Array` to `Process(target=..., args=(v,))` and the child finds it
//! mapped. Here the parent creates a [`Shared`] segment, starts the workers with its name, waits
//! until every one has mapped it, unlinks the name (the mappings stay valid, so nothing can be
//! left in `/dev/shm` from then on, however any process ends) and lets them go together.
//! [`join_all`] collects what they report under a deadline. A run that cannot complete says why
//! in a [`RunError`], which keeps Ctrl-C apart from a failure: a lesson ends the one with
//! [`die_of_sigint`](crate::shm::die_of_sigint) and reports the other.
//!
//! # Ctrl-C
//!
//! A terminal sends SIGINT to its whole foreground process group, so the workers get it too, and
//! die of it (they have no cleanup to do). While the parent is interrupted, a worker that died of
//! SIGINT is part of the interruption, not a failure to report: whether it died starting, before
//! mapping the segment or while it ran, the run ends with [`RunError::Interrupted`].

use std::fmt;
use std::io::Write;
use std::thread;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::shm::{InShm, Shared, interrupted, remove_stale, unlink_on_interrupt};
use crate::{Exit, Process, SpawnError, Task, spawn};

/// How long a worker waits for the parent's go, and the parent for its workers to map.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the parent waits for its workers to finish before it kills them.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);
/// How often the parent looks at the Ctrl-C flag while it waits for its workers.
const POLL: Duration = Duration::from_millis(5);
/// How long a worker's death by SIGINT may precede the parent's own SIGINT. A terminal signals
/// the processes of its group one after another, so the parent may see a worker dead of it a
/// moment before its own flag is up.
const SAME_CTRL_C: Duration = Duration::from_millis(100);
/// Test hook: `panic` makes the parent panic, `pause` makes it wait (for a signal), right after
/// every worker has mapped the segment and before it unlinks it: the worst moment to die.
/// `pause-running` makes it wait once the workers are released, while they run.
pub const FAULT_VAR: &str = "MULTIPROC_SHM_FAULT";

/// Why a run did not complete.
///
/// Deliberately not a `std::error::Error`: the lessons' `lesson::Failure` swallows any standard
/// error with `?` as a plain failure, and Ctrl-C would then be reported as one. A chapter maps
/// the two variants by hand (`examples_sync::workers::failure`).
#[derive(Debug)]
pub enum RunError {
    /// Ctrl-C: the segment has been (or is being) removed; end as SIGINT would.
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

/// What a worker's end means for the run: the interruption if this process got Ctrl-C (or gets
/// it within a moment of a worker dying of SIGINT), otherwise the failure `why`.
pub fn ended(exit: Option<Exit>, why: String) -> RunError {
    let deadline = Instant::now() + SAME_CTRL_C;
    while !interrupted() && exit == Some(Exit::Signal(crate::signal::INT)) {
        if Instant::now() > deadline {
            break;
        }
        thread::sleep(Duration::from_millis(1));
    }
    if interrupted() {
        RunError::Interrupted
    } else {
        RunError::Failed(why)
    }
}

/// [`spawn`], with a start that Ctrl-C cut short reported as the interruption it is.
pub fn start<A, R>(task: &'static Task<A, R>, arg: A) -> Result<Process<R>, RunError>
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    match spawn(task, arg) {
        Ok(process) => Ok(process),
        Err(err @ SpawnError::ExitedBeforeConnecting(exit)) => {
            Err(ended(Some(exit), err.to_string()))
        }
        Err(err) => Err(ended(None, err.to_string())),
    }
}

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
        if interrupted() {
            return Err(RunError::Interrupted);
        }
        workers.push(start(task, job)?);
    }
    let deadline = Instant::now() + START_TIMEOUT;
    while shared.mapped() < workers.len() as u32 {
        if interrupted() {
            return Err(RunError::Interrupted);
        }
        if let Some(dead) = workers.iter_mut().position(|w| !w.is_alive()) {
            let dead = &workers[dead];
            let why = format!("worker {} ended before mapping the segment", dead.pid());
            return Err(ended(dead.exit(), why));
        }
        if Instant::now() > deadline {
            return Err(RunError::Failed(
                "the workers did not map the segment".into(),
            ));
        }
        thread::sleep(Duration::from_millis(1));
    }
    fault_hook("pause", "pausing before unlinking", shared.name(), &workers)?;
    shared.unlink()?;
    if interrupted() {
        return Err(RunError::Interrupted);
    }
    shared.go(workers.len() as u32);
    fault_hook("pause-running", "workers released", shared.name(), &workers)?;
    Ok(workers)
}
// ANCHOR_END: launch

/// The test hook of [`FAULT_VAR`]: at the stage `pause` names, a pause of up to a minute that
/// only Ctrl-C ends (and, before the unlink, a panic for `panic`).
fn fault_hook<R>(
    pause: &str,
    saying: &str,
    segment: &str,
    workers: &[Worker<R>],
) -> Result<(), RunError>
where
    R: Serialize + DeserializeOwned,
{
    let pids: Vec<u32> = workers.iter().map(|w| w.pid()).collect();
    let fault = std::env::var(FAULT_VAR);
    if pause == "pause" && fault.as_deref() == Ok("panic") {
        panic!("{FAULT_VAR}=panic: the parent panics before unlinking {segment}");
    }
    if fault.as_deref() != Ok(pause) {
        return Ok(());
    }
    println!("fault: {saying} {segment}; workers {pids:?}");
    let _ = std::io::stdout().flush();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if interrupted() {
            return Err(RunError::Interrupted);
        }
        thread::sleep(POLL);
    }
    Ok(())
}

/// Waits for every worker (at most a minute in all, then they are killed) and collects their
/// results. Ctrl-C ends the wait within a few milliseconds.
pub fn join_all<R>(workers: Vec<Worker<R>>) -> Result<Vec<R>, RunError>
where
    R: Serialize + DeserializeOwned,
{
    let deadline = Instant::now() + RUN_TIMEOUT;
    let mut results = Vec::with_capacity(workers.len());
    for mut worker in workers {
        let exit = loop {
            if interrupted() {
                return Err(RunError::Interrupted);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if let Some(exit) = worker.join_timeout(left.min(POLL))? {
                break exit;
            }
            if left.is_zero() {
                let _ = worker.kill();
                return Err(RunError::Failed(format!(
                    "worker {} still running after {RUN_TIMEOUT:?}",
                    worker.pid()
                )));
            }
        };
        match worker.take_result() {
            Some(Ok(result)) => results.push(result),
            Some(Err(why)) => return Err(ended(Some(exit), why)),
            None => {
                let why = format!("worker {} ended without a result ({exit})", worker.pid());
                return Err(ended(Some(exit), why));
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
