//! Messages per second through std mpsc, crossbeam-channel and ipc-channel, one at a time and batched.
//!
//! Every run sends the numbers `0..items` from one sender to one receiver and checks on the
//! receiving side that exactly `items` numbers arrived and that they add up to
//! `items * (items - 1) / 2`. Between threads the sender is a spawned thread; for ipc-channel it
//! is a child process (the processes toolkit), so each message is serialized, copied through a
//! Unix socket by the kernel and deserialized. Batched runs send `Vec<u64>`s of `batch` numbers:
//! the per-message cost is paid once per batch.
//!
//! The receiver always reads while the sender sends. That matters for ipc-channel: its `send`
//! blocks once about 278 messages sit unread (ipc-channel issue #275), so a sender that filled
//! the channel before anyone read it would wait forever.

use ipc_channel::TryRecvError;
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use multiproc::{Process, Task, spawn};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Which channel carried a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    StdMpsc,
    Crossbeam,
    IpcChannel,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::StdMpsc, Kind::Crossbeam, Kind::IpcChannel];

    pub fn name(self) -> &'static str {
        match self {
            Kind::StdMpsc => "std::sync::mpsc",
            Kind::Crossbeam => "crossbeam-channel",
            Kind::IpcChannel => "ipc-channel",
        }
    }

    pub fn between(self) -> &'static str {
        match self {
            Kind::IpcChannel => "processes",
            _ => "threads",
        }
    }
}

/// What one run delivered and how long it took.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub kind: Kind,
    /// Numbers per message (1: one at a time).
    pub batch: usize,
    /// Numbers received.
    pub items: u64,
    /// Messages received.
    pub messages: u64,
    /// Sum of the numbers received.
    pub sum: u64,
    pub elapsed: Duration,
}

impl Run {
    /// Numbers delivered per second.
    pub fn items_per_sec(&self) -> f64 {
        self.items as f64 / self.elapsed.as_secs_f64()
    }

    /// True if exactly the numbers `0..items` arrived (by count and by sum).
    pub fn verified(&self, items: u64) -> bool {
        self.items == items && self.sum == expected_sum(items)
    }
}

/// `0 + 1 + ... + (items - 1)`.
pub fn expected_sum(items: u64) -> u64 {
    items * items.saturating_sub(1) / 2
}

/// The numbers `0..items` cut into messages of `batch`.
fn batches(items: u64, batch: usize) -> impl Iterator<Item = Vec<u64>> {
    let batch = batch.max(1) as u64;
    (0..items.div_ceil(batch)).map(move |b| (b * batch..((b + 1) * batch).min(items)).collect())
}

/// Sends `0..items` through the chosen channel and counts what arrives.
///
/// # Errors
///
/// For ipc-channel: the child could not be started, or the stream stopped (the child died, or
/// nothing arrived for 10 seconds).
pub fn measure(kind: Kind, items: u64, batch: usize) -> lesson::Result<Run> {
    let start = Instant::now();
    let (messages, received, sum) = match kind {
        Kind::StdMpsc if batch == 1 => {
            between_threads(std::sync::mpsc::channel, 0..items, weigh_one)
        }
        Kind::StdMpsc => {
            between_threads(std::sync::mpsc::channel, batches(items, batch), weigh_batch)
        }
        Kind::Crossbeam if batch == 1 => {
            between_threads(crossbeam_channel::unbounded, 0..items, weigh_one)
        }
        Kind::Crossbeam => between_threads(
            crossbeam_channel::unbounded,
            batches(items, batch),
            weigh_batch,
        ),
        Kind::IpcChannel => between_processes(items, batch)?,
    };
    Ok(Run {
        kind,
        batch,
        items: received,
        messages,
        sum,
        elapsed: start.elapsed(),
    })
}

/// The sending half of a thread channel, std's or crossbeam's: both have a `send`, but no trait
/// in common, so `between_threads` needs this one to take either.
trait ThreadSender<T>: Send + 'static {
    fn put(&self, value: T) -> bool;
}

impl<T: Send + 'static> ThreadSender<T> for std::sync::mpsc::Sender<T> {
    fn put(&self, value: T) -> bool {
        self.send(value).is_ok()
    }
}

impl<T: Send + 'static> ThreadSender<T> for crossbeam_channel::Sender<T> {
    fn put(&self, value: T) -> bool {
        self.send(value).is_ok()
    }
}

/// One number as one message, or a batch as one message: (numbers, sum).
fn weigh_one(n: &u64) -> (u64, u64) {
    (1, *n)
}

// `&Vec` rather than `&[u64]`: it must fit `fn(&T)` with `T = Vec<u64>`, the message type.
#[allow(clippy::ptr_arg)]
fn weigh_batch(b: &Vec<u64>) -> (u64, u64) {
    (b.len() as u64, b.iter().sum())
}

// ANCHOR: threads
/// A sender thread pushes `messages` into a fresh channel from `make`; this thread counts them.
/// Returns (messages, numbers, sum).
fn between_threads<T, S, R>(
    make: fn() -> (S, R),
    messages: impl Iterator<Item = T> + Send + 'static,
    weigh: fn(&T) -> (u64, u64),
) -> (u64, u64, u64)
where
    T: Send + 'static,
    S: ThreadSender<T>,
    R: IntoIterator<Item = T>,
{
    let (tx, rx) = make();
    let sender = thread::spawn(move || {
        for message in messages {
            tx.put(message);
        }
    }); // `tx` is dropped when the thread ends, which ends the loop below
    let (mut count, mut numbers, mut sum) = (0, 0, 0);
    for message in rx {
        let (n, s) = weigh(&message);
        count += 1;
        numbers += n;
        sum += s;
    }
    sender.join().expect("the sender thread does not panic");
    (count, numbers, sum)
}
// ANCHOR_END: threads

/// The child's end of an ipc-channel run: where to send, how many, how many per message.
#[derive(Debug, Serialize, Deserialize)]
pub enum Outbox {
    One(IpcSender<u64>, u64),
    Batched(IpcSender<Vec<u64>>, u64, usize),
}

// ANCHOR: child
/// Sends every message, stopping at the first that fails (the parent hung up); returns how many
/// went out. The parent counts what arrives, so a short run shows there.
fn send_numbers(outbox: Outbox) -> u64 {
    match outbox {
        Outbox::One(tx, items) => (0..items).map_while(|n| send(&tx, n)).count() as u64,
        Outbox::Batched(tx, items, batch) => {
            batches(items, batch).map_while(|b| send(&tx, b)).count() as u64
        }
    }
}
// ANCHOR_END: child

/// One send; `None` once the parent has hung up. (The test hook counts sends: see [`crate::hook`].)
fn send<T: Serialize>(tx: &IpcSender<T>, message: T) -> Option<()> {
    static SENT: AtomicU64 = AtomicU64::new(0);
    let sent = SENT.fetch_add(1, Ordering::Relaxed);
    if crate::hook::child_dies_after() == Some(sent) {
        crate::hook::die();
    }
    tx.send(message).ok()
}

/// The child process's task in an ipc-channel run; pass it to `multiproc::init`.
pub static SEND_NUMBERS: Task<Outbox, u64> = Task::new("send_numbers", send_numbers);

/// How long the receiver waits for the next message before it declares the stream dead.
const STALL: Duration = Duration::from_secs(10);

// ANCHOR: processes
fn between_processes(items: u64, batch: usize) -> lesson::Result<(u64, u64, u64)> {
    if batch == 1 {
        let (tx, rx) = ipc::channel::<u64>()?;
        // The parent keeps no sender: once the child exits, `recv` reports the channel closed.
        let child = spawn(&SEND_NUMBERS, Outbox::One(tx, items))?;
        let counted = drain(&rx, items, weigh_one);
        finish(child, counted)
    } else {
        let (tx, rx) = ipc::channel::<Vec<u64>>()?;
        let outbox = Outbox::Batched(tx, items, batch);
        let child = spawn(&SEND_NUMBERS, outbox)?;
        let counted = drain(&rx, items, weigh_batch);
        finish(child, counted)
    }
}
// ANCHOR_END: processes

/// Reaps the sender. A sender that stalled may never exit by itself: it is killed rather than
/// waited for, so a failed run ends instead of hanging. A failed run says how the sender ended.
fn finish<T>(mut child: Process<u64>, counted: lesson::Result<T>) -> lesson::Result<T> {
    let give = if counted.is_ok() {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(1)
    };
    let mut exit = child.join_timeout(give).ok().flatten();
    if exit.is_none() {
        let _ = child.kill();
        exit = child.join().ok();
    }
    counted.map_err(|why| {
        let ended = exit.map_or("could not be reaped".to_string(), |e| e.to_string());
        lesson::Failure::msg(format!("{why}; the sender process: {ended}"))
    })
}

/// Receives until `items` numbers have arrived. A sender that hangs up before that, or a stream
/// that stalls, fails the run: its counts are not a measurement.
fn drain<T>(
    rx: &IpcReceiver<T>,
    items: u64,
    weigh: fn(&T) -> (u64, u64),
) -> lesson::Result<(u64, u64, u64)>
where
    T: Serialize + for<'de> Deserialize<'de>,
{
    let (mut messages, mut received, mut sum) = (0, 0, 0);
    while received < items {
        match rx.try_recv_timeout(STALL) {
            Ok(message) => {
                let (n, s) = weigh(&message);
                messages += 1;
                received += n;
                sum += s;
            }
            Err(TryRecvError::Empty) => {
                return Err(lesson::Failure::msg(format!(
                    "nothing arrived for {STALL:?} after {received} of {items} numbers"
                )));
            }
            Err(TryRecvError::IpcError(_)) => {
                return Err(lesson::Failure::msg(format!(
                    "the sender hung up after {received} of {items} numbers"
                )));
            }
        }
    }
    Ok((messages, received, sum))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_every_number_once() {
        let all: Vec<u64> = batches(10, 4).flatten().collect();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(batches(10, 4).count(), 3);
        assert_eq!(batches(0, 4).count(), 0);
    }

    #[test]
    fn thread_channels_deliver_everything() {
        for kind in [Kind::StdMpsc, Kind::Crossbeam] {
            for batch in [1, 7, 1024] {
                let run = measure(kind, 10_000, batch).unwrap();
                assert!(run.verified(10_000), "{kind:?} batch {batch}: {run:?}");
                assert_eq!(run.messages, 10_000u64.div_ceil(batch as u64));
            }
        }
    }
}
