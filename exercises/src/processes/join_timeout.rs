//! Exercise: wait for a child process, but not forever. After a deadline, ask it to stop
//! (`SIGTERM`); after a grace period, force it (`SIGKILL`); then say how it ended.
//! Lesson: `exit_codes`. Hint: the book's Exercises chapter.
//! Check: `cargo test -p exercises --test join_timeout`

use multiproc::{Exit, Process};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io;
use std::time::Duration;

/// How a child ended under [`join_or_stop`], and which step ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It ended by itself before the timeout.
    Finished(Exit),
    /// It still ran at the timeout and ended within the grace period after `SIGTERM`.
    Terminated(Exit),
    /// It survived the grace period too (it ignores `SIGTERM`) and `SIGKILL` ended it.
    Killed(Exit),
}

/// Waits at most `timeout` for `child` to end; if it still runs, sends it `SIGTERM` and waits at
/// most `grace`; if it still runs, sends it `SIGKILL` and waits until it has ended.
///
/// Returns after at most about `timeout + grace` (plus the moment `SIGKILL` takes), and the child
/// has always ended and been reaped by then: nothing is left behind, not even a zombie.
pub fn join_or_stop<R>(
    child: &mut Process<R>,
    timeout: Duration,
    grace: Duration,
) -> io::Result<Ending>
where
    R: Serialize + DeserializeOwned,
{
    // TODO: wait up to `timeout` without blocking forever (`Process` has a method that gives up
    //       after a while and returns `Ok(None)` if the child still runs). Ended? `Finished`.
    // TODO: still running: `terminate` it, and wait up to `grace`. Ended? `Terminated`.
    // TODO: still running: `kill` it, and wait for the end (it cannot ignore `SIGKILL`): `Killed`.
    todo!("join_or_stop")
}
