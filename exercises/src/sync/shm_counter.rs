//! Exercise: one counter in shared memory, incremented by several processes at once, with no
//! update lost. Lessons: `shared_value_race` and `shared_value_lock`.
//! Hints: `cargo run -p exercises --bin course -- hint shm_counter`.
//! Check: `cargo run -p exercises --bin course -- check shm_counter`

use examples_sync::workers::Counter;
use multiproc::shm::Shared;
use multiproc::{Exit, Task, spawn};
use std::sync::atomic::Ordering;

/// What a worker process is given: the segment's name and how many times to add one.
pub type Job = (String, u64);

/// A worker: opens the counter segment by its name and adds one `increments` times.
fn add_ones((segment, increments): Job) -> Result<(), String> {
    // TODO: open the segment by its name (as a `Counter`), then add one to its `value`
    //       `increments` times, each time as one step no other process can split.
    todo!("add_ones")
}
/// The tests register it with `init`.
pub static ADD_ONES: Task<Job, Result<(), String>> = Task::new("add_ones", add_ones);

/// Python's `Value('i', 0)` shared by `workers` processes that each add one `increments` times:
/// creates a counter segment, starts the workers with its name, joins them all and returns the
/// total, which must be exactly `workers * increments`. The segment is gone when it returns.
pub fn count_in_processes(workers: usize, increments: u64) -> Result<u64, String> {
    // TODO: create the counter's segment and keep it until every worker has finished.
    // TODO: start `workers` workers, each given the segment's name and `increments`.
    // TODO: join every worker; an exit code other than 0, or a worker's `Err`, is an error.
    // TODO: read the total from the segment.
    todo!("count_in_processes")
}
