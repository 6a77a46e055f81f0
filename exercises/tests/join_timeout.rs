//! Tests of the `join_timeout` exercise. Own `main` (`harness = false`): the children re-execute
//! this binary, so `init` must run first (see `multiproc::harness`).

use exercises::join_timeout::{Ending, join_or_stop};
use exercises::support::within;
use multiproc::Process;
use multiproc::harness;
use multiproc::signal::pid_exists;
use multiproc::{Exit, SpawnOptions, Task, init, spawn, spawn_with};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Sleeps `ms` milliseconds, then returns them.
fn nap(ms: u64) -> u64 {
    std::thread::sleep(Duration::from_millis(ms));
    ms
}
fn exit_with(code: i32) {
    std::process::exit(code)
}
static NAP: Task<u64, u64> = Task::new("nap", nap);
static EXIT_WITH: Task<i32, ()> = Task::new("exit_with", exit_with);

/// A child started with this variable ignores `SIGTERM`, so only `SIGKILL` can stop it.
const IGNORE_SIGTERM: &str = "EXERCISE_IGNORE_SIGTERM";

fn main() -> ExitCode {
    if std::env::var_os(IGNORE_SIGTERM).is_some() {
        // SAFETY: `signal` with `SIG_IGN` installs no handler code; it runs before any thread.
        unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
    }
    init(&[&NAP, &EXIT_WITH]);
    harness::run(
        &[
            ("a_fast_child_finishes", a_fast_child_finishes),
            ("an_exit_code_is_reported", an_exit_code_is_reported),
            ("a_sleeper_is_terminated", a_sleeper_is_terminated),
            (
                "a_child_ignoring_sigterm_is_killed",
                a_child_ignoring_sigterm_is_killed,
            ),
        ],
        Duration::from_secs(20),
    )
}

/// `join_or_stop` under a deadline well past `timeout + grace`, handing the child back.
fn stop_within(
    mut child: Process<u64>,
    timeout: Duration,
    grace: Duration,
) -> (Ending, Process<u64>) {
    let probably = "Is there a plain `join()` before the last step? It waits as long as the child \
                    runs, which for a sleeper is a minute and for a child ignoring SIGTERM is \
                    forever: wait with `join_timeout` until after `kill`.";
    within(
        timeout + grace + Duration::from_secs(5),
        probably,
        move || {
            let ending = join_or_stop(&mut child, timeout, grace).unwrap();
            (ending, child)
        },
    )
}

fn a_fast_child_finishes() {
    let child = spawn(&NAP, 100).unwrap();
    let start = Instant::now();
    let (ending, mut child) = stop_within(child, Duration::from_secs(5), Duration::from_secs(5));
    assert_eq!(ending, Ending::Finished(Exit::Code(0)));
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "a child that ends on its own is not waited for until the timeout: {:?}",
        start.elapsed()
    );
    assert_eq!(child.take_result(), Some(100), "the child's result is kept");
    assert!(!pid_exists(child.pid()), "not reaped");
}

fn an_exit_code_is_reported() {
    let mut child = spawn(&EXIT_WITH, 7).unwrap();
    let ending = join_or_stop(&mut child, Duration::from_secs(5), Duration::from_secs(5)).unwrap();
    assert_eq!(ending, Ending::Finished(Exit::Code(7)));
}

fn a_sleeper_is_terminated() {
    let (timeout, grace) = (Duration::from_millis(300), Duration::from_secs(2));
    let child = spawn(&NAP, 60_000).unwrap();
    let start = Instant::now();
    let (ending, child) = stop_within(child, timeout, grace);
    let took = start.elapsed();
    assert_eq!(ending, Ending::Terminated(Exit::Signal(libc::SIGTERM)));
    assert!(took >= timeout, "signalled before the timeout: {took:?}");
    assert!(
        took < timeout + grace,
        "SIGTERM ends a sleeper at once, yet it took {took:?}"
    );
    assert!(!pid_exists(child.pid()), "not reaped");
}

fn a_child_ignoring_sigterm_is_killed() {
    let (timeout, grace) = (Duration::from_millis(300), Duration::from_millis(500));
    let options = SpawnOptions {
        env: vec![(IGNORE_SIGTERM.into(), "1".into())],
        ..SpawnOptions::default()
    };
    let child = spawn_with(&NAP, 60_000, &options).unwrap();
    let start = Instant::now();
    let (ending, child) = stop_within(child, timeout, grace);
    let took = start.elapsed();
    assert_eq!(ending, Ending::Killed(Exit::Signal(libc::SIGKILL)));
    assert!(
        took >= timeout + grace,
        "killed before the grace period ended: {took:?}"
    );
    assert!(
        took < timeout + grace + Duration::from_secs(2),
        "stopped within the deadline and the grace period, not {took:?}"
    );
    assert!(!pid_exists(child.pid()), "not reaped");
}
