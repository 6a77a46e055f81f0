//! Exercise: run jobs on their own threads and turn each panic into an error value, so one bad job
//! cannot take the batch down. Lesson: `hello_threads`.
//! Hints: `cargo run -p exercises --bin course -- hint survive_panics`.
//! Check: `cargo run -p exercises --bin course -- check survive_panics`

use std::thread;

/// A job: any closure that computes a number and may be sent to another thread.
pub type Job = Box<dyn FnOnce() -> u64 + Send>;

/// Runs every job on its own thread, all at once, and returns one entry per job in job order:
/// `Ok(value)`, or `Err(message)` with the panic's message if the job panicked.
pub fn run_all(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    // TODO: spawn one thread per job (`thread::spawn(job)` works: a Job is a FnOnce + Send).
    // TODO: join each handle in order. `join` returns Err(payload) for a panic; the payload of
    //       `panic!("text")` is a `&'static str` and of `panic!("{x}")` a `String`: try both
    //       with `downcast_ref`, and fall back to a fixed message.
    todo!("run_all")
}
