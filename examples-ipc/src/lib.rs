//! Message passing between processes and threads: what the IPC lessons measure beyond the toolkit.
//!
//! The queue, the pipe and the manager the lessons use are the toolkit's ([`multiproc::queue`],
//! [`multiproc::pipe`], [`multiproc::manager`]); this crate keeps only what one lesson needs:
//! [`throughput`], the message-rate runs of `channel_throughput`.

pub mod throughput;
