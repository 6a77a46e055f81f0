//! Message passing between processes and threads: what several IPC lessons share beyond the
//! toolkit.
//!
//! The queue, the pipe and the manager the lessons use are the toolkit's ([`multiproc::queue`],
//! [`multiproc::pipe`], [`multiproc::manager`]); this crate keeps what lessons of this chapter
//! share with each other:
//!
//! * [`queue_table`]: the per-consumer table of `producer_consumer` and `killed_consumer`;
//! * [`phase`]: starting and joining worker processes for the four manager lessons;
//! * [`pipe_service`]: the request/response child of `pipe` and `pipe_closed`;
//! * [`thread_queue`]: the pipeline between threads of `producer_consumer_threads` and
//!   `bounded_channels`;
//! * [`throughput`]: the message-rate runs of `channel_throughput` and its bench;
//! * [`estimate`]: the warning before a run whose flags make it take many minutes;
//! * [`hook`]: the test hook that makes a lesson's child die mid-run.

pub mod estimate;
pub mod hook;
pub mod phase;
pub mod pipe_service;
pub mod queue_table;
pub mod thread_queue;
pub mod throughput;
