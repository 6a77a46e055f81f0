//! Solution: survive_panics.

use std::thread;

/// A job: any closure that computes a number and may be sent to another thread.
pub type Job = Box<dyn FnOnce() -> u64 + Send>;

/// Runs every job on its own thread, all at once, and returns one entry per job in job order:
/// `Ok(value)`, or `Err(message)` with the panic's message if the job panicked.
pub fn run_all(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    let handles: Vec<_> = jobs.into_iter().map(thread::spawn).collect();
    handles
        .into_iter()
        .map(|h| {
            h.join().map_err(|payload| {
                payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a job panicked".to_string())
            })
        })
        .collect()
}
