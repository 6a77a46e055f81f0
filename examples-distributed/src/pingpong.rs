//! Small messages between rank 0 and rank 1, timed: a round trip (one message there, one back)
//! and a stream (many messages one way, then one answer), over MPI and over ipc-channel between
//! the same two processes, so the two transports are compared on equal terms.

use ipc_channel::ipc::{self, IpcBytesReceiver, IpcBytesSender, IpcOneShotServer};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use std::time::{Duration, Instant};

/// The rank that answers rank 0's messages.
pub const PEER: i32 = 1;

/// What one side of a timed exchange does: rank 0 starts it and times it, the peer answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Starter,
    Answerer,
}

// ANCHOR: mpi
/// `rounds` round trips of a `bytes`-long message; the starter returns their total time, or an
/// error if an echo came back changed.
pub fn mpi_round_trips(
    world: &SimpleCommunicator,
    side: Side,
    rounds: usize,
    bytes: usize,
) -> Result<Duration, String> {
    let other = world.process_at_rank(if side == Side::Starter {
        PEER
    } else {
        crate::ROOT
    });
    let message = vec![7u8; bytes];
    let start = Instant::now();
    for _ in 0..rounds {
        if side == Side::Starter {
            other.send(&message[..]);
            if other.receive_vec::<u8>().0 != message {
                return Err("MPI: an echo came back changed".into());
            }
        } else {
            let (echo, _) = other.receive_vec::<u8>();
            other.send(&echo[..]);
        }
    }
    Ok(start.elapsed())
}

/// `count` messages one way, then one answer once all have arrived; the starter returns the time.
pub fn mpi_stream(world: &SimpleCommunicator, side: Side, count: usize, bytes: usize) -> Duration {
    let other = world.process_at_rank(if side == Side::Starter {
        PEER
    } else {
        crate::ROOT
    });
    let message = vec![7u8; bytes];
    let start = Instant::now();
    if side == Side::Starter {
        for _ in 0..count {
            other.send(&message[..]);
        }
        let _ = other.receive_vec::<u8>();
    } else {
        for _ in 0..count {
            let _ = other.receive_vec::<u8>();
        }
        other.send(&message[..]);
    }
    start.elapsed()
}
// ANCHOR_END: mpi

/// One ipc-channel each way between rank 0 and its peer.
#[derive(Debug)]
pub struct IpcLink {
    to: IpcBytesSender,
    from: IpcBytesReceiver,
}

/// Sets up an [`IpcLink`] between rank 0 and its peer, which must be on the same machine: rank 0
/// opens a one-shot server and sends its name over MPI, the peer connects and hands over the two
/// channel ends rank 0 needs.
pub fn ipc_link(world: &SimpleCommunicator, side: Side) -> Result<IpcLink, String> {
    let text = |e: &dyn std::fmt::Display| format!("ipc-channel: {e}");
    if side == Side::Starter {
        let (server, name) =
            IpcOneShotServer::<(IpcBytesSender, IpcBytesReceiver)>::new().map_err(|e| text(&e))?;
        world.process_at_rank(PEER).send(name.as_bytes());
        let (_, (to, from)) = server.accept().map_err(|e| text(&e))?;
        Ok(IpcLink { to, from })
    } else {
        let (name, _) = world.process_at_rank(crate::ROOT).receive_vec::<u8>();
        let name = String::from_utf8(name).map_err(|e| text(&e))?;
        let (to_peer, from_root) = ipc::bytes_channel().map_err(|e| text(&e))?;
        let (to_root, from_peer) = ipc::bytes_channel().map_err(|e| text(&e))?;
        let server = ipc::IpcSender::connect(name).map_err(|e| text(&e))?;
        server.send((to_peer, from_peer)).map_err(|e| text(&e))?;
        Ok(IpcLink {
            to: to_root,
            from: from_root,
        })
    }
}

// ANCHOR: ipc
/// [`mpi_round_trips`] over ipc-channel.
pub fn ipc_round_trips(
    link: &IpcLink,
    side: Side,
    rounds: usize,
    bytes: usize,
) -> Result<Duration, String> {
    let message = vec![7u8; bytes];
    let start = Instant::now();
    for _ in 0..rounds {
        if side == Side::Starter {
            link.to.send(&message).map_err(|e| e.to_string())?;
            if link.from.recv().map_err(|e| e.to_string())? != message {
                return Err("ipc-channel: an echo came back changed".into());
            }
        } else {
            let echo = link.from.recv().map_err(|e| e.to_string())?;
            link.to.send(&echo).map_err(|e| e.to_string())?;
        }
    }
    Ok(start.elapsed())
}

/// [`mpi_stream`] over ipc-channel.
pub fn ipc_stream(
    link: &IpcLink,
    side: Side,
    count: usize,
    bytes: usize,
) -> Result<Duration, String> {
    let message = vec![7u8; bytes];
    let start = Instant::now();
    if side == Side::Starter {
        for _ in 0..count {
            link.to.send(&message).map_err(|e| e.to_string())?;
        }
        link.from.recv().map_err(|e| e.to_string())?;
    } else {
        for _ in 0..count {
            link.from.recv().map_err(|e| e.to_string())?;
        }
        link.to.send(&message).map_err(|e| e.to_string())?;
    }
    Ok(start.elapsed())
}
// ANCHOR_END: ipc
