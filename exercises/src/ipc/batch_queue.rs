//! Exercise: batch the queue. A consumer process squares numbers; send them in batches of
//! `batch` items (a `Vec<u64>` per message instead of one `u64`), and get every result back
//! exactly once. Lesson: `producer_consumer`.
//! Hints: `cargo run -p exercises --bin course -- hint batch_queue`.
//! Check: `cargo run -p exercises --bin course -- check batch_queue`

use multiproc::{Task, spawn};
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use std::thread;

/// The work on one item (given).
pub fn square(x: u64) -> u64 {
    x * x
}

/// What the consumer process is given: its inbox of batches and the sender for result batches.
pub type SquarerArgs = (IpcReceiver<Vec<u64>>, IpcSender<Vec<(u64, u64)>>);

/// The consumer: answers each batch with one batch of `(x, square(x))`, until its inbox closes.
fn square_batches((inbox, out): SquarerArgs) {
    // TODO: receive batches until `recv` fails (the parent dropped its sender), and send each
    //       batch's results back as ONE message.
    todo!("square_batches")
}
/// The tests register it.
pub static SQUARER: Task<SquarerArgs, ()> = Task::new("squarer", square_batches);

/// What [`square_all`] returns.
#[derive(Debug)]
pub struct Batched {
    /// Every `(x, square(x))`, sorted by `x`.
    pub results: Vec<(u64, u64)>,
    /// Messages sent to the consumer.
    pub messages: usize,
}

/// Squares `0..items` in the consumer process, `batch` items per message, and returns every
/// result sorted by `x` with the number of messages sent. Must work for any `items` and `batch`,
/// including 10,000 messages of one item each.
pub fn square_all(items: u64, batch: usize) -> Result<Batched, String> {
    let (work_tx, work_rx) = ipc::channel::<Vec<u64>>().map_err(|e| e.to_string())?;
    let (out_tx, out_rx) = ipc::channel::<Vec<(u64, u64)>>().map_err(|e| e.to_string())?;
    let mut child = spawn(&SQUARER, (work_rx, out_tx)).map_err(|e| e.to_string())?;
    // TODO: send `0..items` in batches of `batch` (the last one may be shorter), counting the
    //       messages. Careful: if you send everything before reading anything, what happens once
    //       a few hundred messages sit unread on either channel?
    // TODO: read result batches until you have `items` results; then let the consumer end (drop
    //       the work sender), join it, and sort.
    todo!("square_all")
}
