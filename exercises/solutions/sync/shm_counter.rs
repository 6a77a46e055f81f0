//! Solution: shm_counter.

use examples_sync::workers::Counter;
use multiproc::shm::Shared;
use multiproc::{Exit, Task, spawn};
use std::sync::atomic::Ordering;

/// What a worker process is given: the segment's name and how many times to add one.
pub type Job = (String, u64);

/// A worker: opens the counter segment by its name and adds one `increments` times.
fn add_ones((segment, increments): Job) -> Result<(), String> {
    let shared = Shared::<Counter>::open(&segment).map_err(|e| e.to_string())?;
    for _ in 0..increments {
        // One indivisible read-add-write, even between processes: the atomic is in the segment.
        shared.value.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}
/// The tests register it with `init`.
pub static ADD_ONES: Task<Job, Result<(), String>> = Task::new("add_ones", add_ones);

/// Python's `Value('i', 0)` shared by `workers` processes that each add one `increments` times:
/// creates a counter segment, starts the workers with its name, joins them all and returns the
/// total, which must be exactly `workers * increments`. The segment is gone when it returns.
pub fn count_in_processes(workers: usize, increments: u64) -> Result<u64, String> {
    // The segment must outlive every worker's `open`, so the parent holds it until all joined;
    // dropping it unlinks the name.
    let counter = Counter::create().map_err(|e| e.to_string())?;
    let mut children = Vec::with_capacity(workers);
    for _ in 0..workers {
        let job = (counter.name().to_string(), increments);
        children.push(spawn(&ADD_ONES, job).map_err(|e| e.to_string())?);
    }
    for child in &mut children {
        match child.join().map_err(|e| e.to_string())? {
            Exit::Code(0) => {}
            other => return Err(format!("a worker ended with {other:?}")),
        }
        child.take_result().ok_or("a worker gave no result")??;
    }
    Ok(counter.value.load(Ordering::Relaxed))
}
