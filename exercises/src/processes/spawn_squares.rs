//! Exercise: Python's `Process(target=f, args=(x,))` for several inputs at once: start one child
//! process per input, let them all run, then join each and collect its result.
//! Lesson: `spawn_join`. Hints: `cargo run -p exercises --bin course -- hint spawn_squares`.
//! Check: `cargo run -p exercises --bin course -- check spawn_squares`

use multiproc::{Exit, Task, spawn};
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What one child reports: who it was, its answer, and when it started and finished its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub pid: u32,
    pub square: u64,
    /// Microseconds since the Unix epoch (the same clock in every process).
    pub started: u128,
    pub finished: u128,
}

/// How long each child works: long enough that children started one after another would show.
pub const WORK: Duration = Duration::from_millis(500);

fn now_micros() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros())
}

/// The child's task (given): square `x`, slowly.
fn slow_square(x: u64) -> Answer {
    let started = now_micros();
    std::thread::sleep(WORK);
    Answer {
        pid: std::process::id(),
        square: x * x,
        started,
        finished: now_micros(),
    }
}
/// The tests register it with `init`.
pub static SLOW_SQUARE: Task<u64, Answer> = Task::new("slow_square", slow_square);

/// Starts one child process per input, all of them before waiting for any, then joins each and
/// returns their answers in input order. A child that does not exit with code 0, or gives no
/// result, is an error that names its input.
pub fn squares_in_children(inputs: &[u64]) -> Result<Vec<Answer>, String> {
    // TODO: start one child per input with the given task, ALL of them before joining any.
    // TODO: join each child in input order; anything but exit code 0 is an error naming the
    //       input. Then take its result (a child's return value travels back to the parent).
    todo!("squares_in_children")
}
