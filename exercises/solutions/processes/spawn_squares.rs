//! Solution: spawn_squares.

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
    // Start them all first: joining each right after starting it would run them one at a time.
    let mut children = Vec::with_capacity(inputs.len());
    for &x in inputs {
        children.push(spawn(&SLOW_SQUARE, x).map_err(|e| format!("input {x}: {e}"))?);
    }
    let mut answers = Vec::with_capacity(inputs.len());
    for (child, &x) in children.iter_mut().zip(inputs) {
        match child.join().map_err(|e| format!("input {x}: {e}"))? {
            Exit::Code(0) => {}
            other => return Err(format!("input {x}: the child ended with {other:?}")),
        }
        answers.push(child.take_result().ok_or(format!("input {x}: no result"))?);
    }
    Ok(answers)
}
