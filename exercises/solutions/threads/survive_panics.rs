//! Solution: survive_panics.

use std::thread;

pub type Job = Box<dyn FnOnce() -> u64 + Send>;

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
