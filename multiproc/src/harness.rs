//! A test runner for test binaries that start child processes (`harness = false` targets).
//!
//! Children started by this toolkit re-execute the test binary, so its `main` must call
//! [`init`](crate::init) before anything else, which libtest's generated `main` cannot do. This
//! runner takes libtest's place through [`libtest_mimic`] (the same flags, filters and summary):
//! it runs each test on its own thread under a deadline, so a test that blocks fails instead of
//! hanging the suite, and it fails the run if any child process outlives the tests, even as an
//! unreaped zombie.
//!
//! ```no_run
//! use std::process::ExitCode;
//! use std::time::Duration;
//!
//! fn starts_and_joins() { /* spawn, join, assert */ }
//!
//! fn main() -> ExitCode {
//!     multiproc::init(&[/* the tasks the tests use */]);
//!     multiproc::harness::run(&[("starts_and_joins", starts_and_joins)], Duration::from_secs(30))
//! }
//! ```

use libtest_mimic::{Arguments, Failed, Trial};
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Runs `tests` through libtest-mimic (so the flags, filters and summary line are libtest's), one
/// at a time, each on its own thread under `deadline`; a panic fails it. Call it after `init`.
///
/// One at a time because each test counts this process's children, and a test that hangs has its
/// children killed: a test running beside it would lose its own.
pub fn run(tests: &[(&'static str, fn())], deadline: Duration) -> ExitCode {
    let mut args = Arguments::from_args();
    args.test_threads = Some(1);
    let trials = tests
        .iter()
        .map(|&(name, test)| Trial::test(name, move || under_deadline(test, deadline)))
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    // Every test has dropped its handles and pools: no child may remain, not even a zombie.
    let survivors = child_pids(std::process::id());
    if !survivors.is_empty() {
        println!("FAILED: child processes outlived their tests: {survivors:?}");
        kill_and_reap_children();
        return ExitCode::FAILURE;
    }
    conclusion.exit_code()
}

fn under_deadline(test: fn(), deadline: Duration) -> Result<(), Failed> {
    let (done_tx, done) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done_tx.send(());
    });
    match done.recv_timeout(deadline) {
        Ok(()) => Ok(()),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            // The test's thread is stuck holding its children: end and reap them here, so none
            // outlives the run, not even as a zombie. The thread itself stays blocked, detached.
            kill_and_reap_children();
            Err(format!("still running after {deadline:?}; its child processes were killed").into())
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let _ = runner.join();
            Err("panicked (see the message above)".into())
        }
    }
}

/// Sends `SIGKILL` to every child of this process and reaps it.
fn kill_and_reap_children() {
    for pid in child_pids(std::process::id()) {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            continue;
        };
        // SAFETY: plain integers and a null status pointer, which `waitpid` accepts. `pid` is a
        // child of this process that nobody has reaped yet (it is listed with us as its parent),
        // so the number cannot belong to an unrelated process; if another thread reaps it first,
        // `waitpid` returns an error at once.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
            libc::waitpid(pid, std::ptr::null_mut(), 0);
        }
    }
}

/// The PIDs of the processes whose parent is `ppid`, zombies included.
pub fn child_pids(ppid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|entry| {
        let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // After the ")" that ends the command name: the state, then the parent's PID.
        let ppid_field = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?;
        (ppid_field.parse::<u32>().ok()? == ppid).then_some(pid)
    })
    .collect()
}
