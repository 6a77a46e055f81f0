//! Solution: join_timeout.

use multiproc::{Exit, Process};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Finished(Exit),
    Terminated(Exit),
    Killed(Exit),
}

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
