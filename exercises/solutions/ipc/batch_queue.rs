//! Solution: batch_queue.

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
    // The parent dropping its sender is the end: `recv` fails once the inbox is empty.
    while let Ok(batch) = inbox.recv() {
        let results = batch.into_iter().map(|x| (x, square(x))).collect();
        if out.send(results).is_err() {
            return;
        }
    }
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
    // Send from a thread while this one reads: a sender that waits for nobody to read would block
    // after a few hundred messages (ipc-channel #275) while the consumer blocks sending results.
    let sender = thread::spawn(move || {
        let all: Vec<u64> = (0..items).collect();
        let mut messages = 0;
        for chunk in all.chunks(batch.max(1)) {
            if work_tx.send(chunk.to_vec()).is_err() {
                break;
            }
            messages += 1;
        }
        messages // `work_tx` is dropped here: the consumer's loop ends
    });
    let mut results = Vec::with_capacity(items as usize);
    while results.len() < items as usize {
        match out_rx.recv() {
            Ok(batch) => results.extend(batch),
            Err(err) => return Err(format!("the consumer stopped early: {err:?}")),
        }
    }
    let messages = sender.join().map_err(|_| "the sender thread panicked")?;
    child.join().map_err(|e| e.to_string())?;
    results.sort_unstable();
    Ok(Batched { results, messages })
}
