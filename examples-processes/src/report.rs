//! How the chapter's lessons report a timed run ([`Run`], from `lesson::report`: a failed run
//! shows no figure), and [`DIE_VAR`], the test hook that makes a worker die for real, so that a
//! test can see what a lesson prints then.

use std::env;

pub use lesson::report::Run;

/// Test hook: the names of tasks (comma-separated) whose worker processes die as a task starts,
/// killed as the out-of-memory killer would kill them, so that a test can see what a lesson
/// prints when a worker dies mid-run. Killing one from the test instead would race with the
/// task's end (see `crash_resilience`). Never set outside tests.
pub const DIE_VAR: &str = "EXAMPLES_TEST_DIE";

/// Called by a worker as it starts `task`: if [`DIE_VAR`] names the task, the worker process
/// sends itself `SIGKILL` and is gone, leaving no result and no message. The parent, which may
/// call the same function for its own answer, never dies of it.
pub fn die_if_asked(task: &str) {
    let in_worker = env::var_os(multiproc::ROLE_VAR).is_some();
    if in_worker && env::var(DIE_VAR).is_ok_and(|names| names.split(',').any(|n| n == task)) {
        let _ = multiproc::signal::send(std::process::id(), multiproc::signal::KILL);
        std::process::abort(); // not reached: SIGKILL to oneself lands before `send` returns
    }
}
