//! What the exercise tests share: a deadline that names the likely mistake.
//!
//! A test that only says "still running after 30 s" leaves a student guessing. [`within`] runs
//! the code under test on its own thread and, if it has not returned by the deadline, fails the
//! test with what is *probably* wrong ("did you drop the last sender?"). The stuck thread is left
//! behind, detached: the test binary ends soon after, and the process harness
//! (`multiproc::harness`) kills and reaps any child process it still holds.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Runs `work` on a thread of its own and returns its result, or panics after `deadline` with
/// `probably`, the likely cause of a hang, in the message. A panic inside `work` is passed on.
#[track_caller]
pub fn within<T: Send + 'static>(
    deadline: Duration,
    probably: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done_tx, done) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = done_tx.send(work());
    });
    match done.recv_timeout(deadline) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("no answer after {deadline:?}, so it is probably stuck. {probably}")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => std::panic::resume_unwind(payload),
            Ok(()) => unreachable!("the worker sends before it returns"),
        },
    }
}
