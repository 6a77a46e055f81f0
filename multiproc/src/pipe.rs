//! A two-way request/response pipe between a parent and one child.
//!
//! Python's `Pipe()` returns two `Connection` objects, each able to `send` and `recv`; the parent
//! keeps one and passes the other to the child. An [`ipc_channel`] channel goes one way only, so
//! an [`End`] is two channels, one each way, and [`pipe`] builds a matching pair. An `End` is a
//! serde type (ipc-channel endpoints carry their file descriptors with them), so the child's end
//! travels to the child as its task argument, over the toolkit's connection, whose start-up never
//! hangs (it accepts with a timeout and watches the child).
//!
//! A closed end is an error, never a hang: once every sender of a direction is gone (its process
//! returned, crashed or was killed: the kernel closes its descriptors), `recv` on the other side
//! returns [`PipeError::Closed`] at once.

use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use ipc_channel::{IpcError, TryRecvError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

// ANCHOR: end
/// One end of a two-way pipe: sends `S`, receives `R`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct End<S, R> {
    tx: IpcSender<S>,
    rx: IpcReceiver<R>,
}

/// Two ends that fit: the first sends `A` and receives `B`, the second the other way round.
pub type Pair<A, B> = (End<A, B>, End<B, A>);

/// Python's `Pipe(duplex=True)`: two ends, what one sends the other receives.
pub fn pipe<A, B>() -> Result<Pair<A, B>, PipeError>
where
    A: Serialize + DeserializeOwned,
    B: Serialize + DeserializeOwned,
{
    let (a_tx, a_rx) = ipc::channel::<A>().map_err(|e| PipeError::Other(e.to_string()))?;
    let (b_tx, b_rx) = ipc::channel::<B>().map_err(|e| PipeError::Other(e.to_string()))?;
    Ok((End { tx: a_tx, rx: b_rx }, End { tx: b_tx, rx: a_rx }))
}
// ANCHOR_END: end

/// Why a pipe operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipeError {
    /// The other end is gone: nothing more can arrive (Python raises `EOFError`).
    Closed,
    /// Nothing arrived in time; the other end still exists.
    Timeout,
    Other(String),
}

impl fmt::Display for PipeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipeError::Closed => write!(f, "the other end is closed"),
            PipeError::Timeout => write!(f, "nothing arrived in time"),
            PipeError::Other(what) => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for PipeError {}

// ANCHOR: io
impl<S: Serialize, R: DeserializeOwned + Serialize> End<S, R> {
    pub fn send(&self, msg: S) -> Result<(), PipeError> {
        self.tx.send(msg).map_err(|e| match e {
            IpcError::Disconnected => PipeError::Closed,
            IpcError::Io(io)
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
                ) =>
            {
                PipeError::Closed
            }
            other => PipeError::Other(other.to_string()),
        })
    }

    /// Waits for the next message, but never forever: a closed end returns at once.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<R, PipeError> {
        match self.rx.try_recv_timeout(timeout) {
            Ok(msg) => Ok(msg),
            Err(TryRecvError::Empty) => Err(PipeError::Timeout),
            Err(TryRecvError::IpcError(IpcError::Disconnected)) => Err(PipeError::Closed),
            Err(TryRecvError::IpcError(e)) => Err(PipeError::Other(e.to_string())),
        }
    }

    /// Waits for the next message until the other end sends or closes.
    pub fn recv(&self) -> Result<R, PipeError> {
        self.rx.recv().map_err(|e| match e {
            IpcError::Disconnected => PipeError::Closed,
            other => PipeError::Other(other.to_string()),
        })
    }
}
// ANCHOR_END: io
