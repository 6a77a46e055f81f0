//! Solution: join_timeout.

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
///
/// The lessons join a child with `join()`, which waits as long as it takes. Three more methods of
/// [`Process`] are all this needs (the toolkit's page, "Processes and pools", has the rest):
///
/// - `child.join_timeout(d) -> io::Result<Option<Exit>>`: waits at most `d`; `Ok(Some(exit))` if
///   the child ended (it is reaped, like `join`), `Ok(None)` if it still runs.
/// - `child.terminate() -> io::Result<()>`: sends `SIGTERM`, Python's `Process.terminate()`: a
///   polite request, which a child may catch or ignore.
/// - `child.kill() -> io::Result<()>`: sends `SIGKILL`, Python's `Process.kill()`: the kernel ends
///   the child at once; it cannot be caught or ignored.
pub fn join_or_stop<R>(
    child: &mut Process<R>,
    timeout: Duration,
    grace: Duration,
) -> io::Result<Ending>
where
    R: Serialize + DeserializeOwned,
{
    if let Some(exit) = child.join_timeout(timeout)? {
        return Ok(Ending::Finished(exit));
    }
    child.terminate()?;
    if let Some(exit) = child.join_timeout(grace)? {
        return Ok(Ending::Terminated(exit));
    }
    child.kill()?;
    Ok(Ending::Killed(child.join()?))
}
