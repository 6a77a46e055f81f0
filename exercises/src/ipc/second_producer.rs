//! Exercise: a second producer. Several producer processes send items to ONE channel, each
//! ending with its own sentinel; the parent must collect every item and stop at the right moment.
//! Lesson: `producer_consumer`.
//! Hints: `cargo run -p exercises --bin course -- hint second_producer`.
//! Check: `cargo run -p exercises --bin course -- check second_producer`

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
    // TODO: start one producer per `id` in `0..producers`, each with its share, its delay and a
    //       clone of `tx`. Then give up the parent's own `tx` (why?).
    let mut received: Vec<u64> = Vec::new();
    // TODO: read from `rx` until the stream has really ended. One producer's sentinel is not the
    //       end when there are two: which sentinels must have arrived?
    // TODO: join every producer, and return the items sorted.
    todo!("collect")
}
