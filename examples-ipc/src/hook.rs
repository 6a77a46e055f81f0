//! The test hook of the chapter's child processes: a child that dies mid-run on purpose, so the
//! tests can check that a lesson whose child died reports the failure and prints no figure.
//!
//! The pipe lessons' service and `channel_throughput`'s sender read [`CHILD_DIES_AFTER_VAR`]; the
//! toolkit's own children have theirs (`multiproc::manager::DIES_AFTER_VAR`,
//! `multiproc::queue::CONSUMER_DIES_AFTER_VAR`). Unset, as it is in every normal run, it does
//! nothing.

use std::sync::OnceLock;

/// Test hook: a child started with this variable set to a number kills itself with `SIGKILL`
/// after that many requests answered (the pipe service) or messages sent (the throughput sender).
pub const CHILD_DIES_AFTER_VAR: &str = "EXAMPLES_IPC_TEST_CHILD_DIES_AFTER";

/// When this child should die, if a test asked (read once: the throughput sender asks per message).
pub fn child_dies_after() -> Option<u64> {
    static DIES_AFTER: OnceLock<Option<u64>> = OnceLock::new();
    *DIES_AFTER.get_or_init(|| std::env::var(CHILD_DIES_AFTER_VAR).ok()?.parse().ok())
}

/// Dies as if killed from outside: `SIGKILL` to this process.
pub fn die() -> ! {
    let _ = multiproc::signal::send(std::process::id(), multiproc::signal::KILL);
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
