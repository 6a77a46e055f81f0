//! Message passing between processes: the queue, pipe and manager lessons, and what they share.
//!
//! Built on the processes toolkit ([`examples_processes`]): every child is the lesson's own binary
//! re-executed with a role, connected to its parent over [`ipc_channel`].

pub mod manager;
pub mod pipe;
pub mod queue;
pub mod throughput;
