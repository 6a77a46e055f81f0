//! A child that starts a child of its own, `is_alive`, and what happens to the grandchild when its
//! parent is killed. Python's `Process` can start processes too (unless it is a daemon); when the
//! middle process is killed, nothing ends its children: they are orphans, re-parented and still
//! running. Here every process holds a lifeline from its parent (its stdin), so killing the
//! middle process ends the grandchild within milliseconds, however deep the tree.
//!
//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", the FAQ "How Can I Handle Exceptions in Multiprocessing in Python?", `is_alive()`.

use clap::Parser;
use ipc_channel::ipc::{self, IpcSender};
use lesson::{Checks, usize_in};
use multiproc::signal::is_running;
use multiproc::{Exit, Task, init, spawn};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "A child starts a grandchild; kill the child: does the grandchild live on?")]
struct Args {
    /// How long the grandchild may outlive its killed parent before it counts as an orphan (ms).
    #[arg(long, default_value_t = 2000, value_parser = usize_in(100, 60_000))]
    grace_ms: usize,
}

/// Who a process is and who started it: `(pid, parent pid)`.
type Family = (u32, u32);
/// Long enough to be killed first; the lifeline ends a sleeper early when its parent dies.
const NAP: Duration = Duration::from_secs(60);

// ANCHOR: tree
/// The grandchild: says who it is and who its parent is, then waits to be ended.
fn grandchild(report: IpcSender<Family>) {
    let _ = report.send((std::process::id(), std::os::unix::process::parent_id()));
    thread::sleep(NAP);
}
static GRANDCHILD: Task<IpcSender<Family>, ()> = Task::new("grandchild", grandchild);

/// The middle process: starts the grandchild (the same way its own parent started it), reports
/// itself, and waits. Its `Process` handle for the grandchild is its end of the lifeline.
fn middle(report: IpcSender<Family>) -> Result<(), String> {
    let _grandchild = spawn(&GRANDCHILD, report.clone()).map_err(|e| e.to_string())?;
    let _ = report.send((std::process::id(), std::os::unix::process::parent_id()));
    thread::sleep(NAP);
    Ok(())
}
static MIDDLE: Task<IpcSender<Family>, Result<(), String>> = Task::new("middle", middle);
// ANCHOR_END: tree

fn main() -> ExitCode {
    init(&[&MIDDLE, &GRANDCHILD]);
    let args: Args = lesson::parse_args();
    lesson::header("process_tree: a child's child, is_alive, and a killed parent");
    let me = std::process::id();
    let mut checks = Checks::new();
    // ANCHOR: main
    let (report, reports) = match ipc::channel::<Family>() {
        Ok(pair) => pair,
        Err(err) => return lesson::Failure::from(err).report(),
    };
    let mut child = match spawn(&MIDDLE, report) {
        Ok(child) => child,
        Err(err) => return lesson::Failure::msg(format!("starting the child: {err}")).report(),
    };
    let mut family = Vec::new();
    while family.len() < 2 {
        match reports.try_recv_timeout(Duration::from_secs(10)) {
            Ok(member) => family.push(member),
            Err(_) => return lesson::Failure::msg("the tree did not report in 10 s").report(),
        }
    }
    let middle_pid = child.pid();
    let Some(&(grandchild_pid, its_parent)) = family.iter().find(|(pid, _)| *pid != middle_pid)
    else {
        return lesson::Failure::msg("no report from the grandchild").report();
    };
    println!(
        "me {me} -> child {middle_pid} -> grandchild {grandchild_pid} (its parent: {its_parent})"
    );
    checks.check(
        "the grandchild is the child's child",
        its_parent == middle_pid,
    );
    let alive = (child.is_alive(), is_running(grandchild_pid));
    println!("is_alive: child {}, grandchild {}", alive.0, alive.1);
    checks.check("both are running before the kill", alive == (true, true));

    println!("\nkill -9 {middle_pid} (the child), as a crash or the OOM killer would");
    let killed = Instant::now();
    let exit = child
        .kill()
        .and_then(|()| child.join())
        .unwrap_or(Exit::Code(-1));
    println!(
        "the child ended with {exit}; is_alive: {}",
        child.is_alive()
    );
    checks.check("the child was killed by SIGKILL", exit.exitcode() == -9);
    let grace = Duration::from_millis(args.grace_ms as u64);
    while is_running(grandchild_pid) && killed.elapsed() < grace {
        thread::sleep(Duration::from_millis(1));
    }
    // ANCHOR_END: main
    let orphan = is_running(grandchild_pid);
    if orphan {
        let _ = multiproc::signal::send(grandchild_pid, multiproc::signal::KILL); // none left
        println!(
            "the grandchild outlived its parent by {} ms: an orphan",
            args.grace_ms
        );
    } else {
        let after = lesson::human(killed.elapsed());
        println!(
            "the grandchild ended {after} after the kill: its lifeline closed with its parent"
        );
    }
    checks.check("the grandchild ended with its parent, no orphan", !orphan);
    checks.finish()
}
