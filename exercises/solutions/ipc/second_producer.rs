//! Solution: second_producer.

use multiproc::{Process, Task, spawn};
use ipc_channel::ipc::{self, IpcSender};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What travels on the one work channel.
#[derive(Debug, Serialize, Deserialize)]
pub enum Msg {
    Item(u64),
    /// A producer's sentinel: it will send nothing more.
    Done { producer: usize },
}

/// What a producer process is given: its number, a delay before it starts, its items, and a
/// sender of the shared channel.
pub type ProducerArgs = (usize, u64, Vec<u64>, IpcSender<Msg>);

/// The producer (given): waits `delay_ms`, sends its items, then its sentinel.
fn produce((id, delay_ms, items, out): ProducerArgs) {
    std::thread::sleep(Duration::from_millis(delay_ms));
    for item in items {
        if out.send(Msg::Item(item)).is_err() {
            return;
        }
    }
    let _ = out.send(Msg::Done { producer: id });
}
/// The tests register it.
pub static PRODUCER: Task<ProducerArgs, ()> = Task::new("producer", produce);

/// Starts `producers` producer processes (producer `id` gets the items `i` of `0..items` with
/// `i % producers == id`, and starts `100 * id` ms late), all sending to one channel that this
/// process reads. Returns every item received, sorted, once every producer has finished and
/// been joined.
pub fn collect(items: u64, producers: usize) -> Result<Vec<u64>, String> {
    let (tx, rx) = ipc::channel::<Msg>().map_err(|e| e.to_string())?;
    let mut procs: Vec<Process<()>> = Vec::new();
    for id in 0..producers {
        let share: Vec<u64> = (0..items).filter(|i| *i as usize % producers == id).collect();
        let delay = 100 * id as u64;
        procs.push(spawn(&PRODUCER, (id, delay, share, tx.clone())).map_err(|e| e.to_string())?);
    }
    drop(tx); // if every producer dies, `recv` fails instead of waiting forever
    let mut received = Vec::with_capacity(items as usize);
    let mut done = vec![false; producers];
    // One sentinel per producer: the stream ends when all of them have arrived, not the first.
    while done.iter().any(|d| !d) {
        match rx.recv().map_err(|e| format!("{e:?}"))? {
            Msg::Item(item) => received.push(item),
            Msg::Done { producer } => done[producer] = true,
        }
    }
    for p in &mut procs {
        p.join().map_err(|e| e.to_string())?;
    }
    received.sort_unstable();
    Ok(received)
}
