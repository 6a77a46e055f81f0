//! Start child processes that run a named function, then wait for them: each child's PID and
//! parent PID, `join`, and the exit code the parent reads afterwards (Python's
//! `Process(target=worker, args=("A",))`, `start`, `join`, `exitcode`). Each child is this very
//! binary started again; the `init` call at the top of `main` is what sends it to `worker`
//! instead of running the lesson a second time.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Multiprocessing Fundamentals", PID, parent PID and exit codes.

use clap::Parser;
use lesson::{Checks, Table, usize_in};
use multiproc::{Task, init, spawn};
use serde::{Deserialize, Serialize};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Start child processes, print their PIDs, join them and read their exit codes")]
struct Args {
    /// How many child processes to start.
    #[arg(long, default_value_t = 2, value_parser = usize_in(1, 26))]
    children: usize,
}

/// What a child sends back: Python's worker only prints this; here it is also returned.
#[derive(Serialize, Deserialize)]
struct Report {
    message: String,
    pid: u32,
    parent_pid: u32,
}

// ANCHOR: worker
fn worker(name: String) -> Report {
    let (pid, parent_pid) = (std::process::id(), std::os::unix::process::parent_id());
    println!("  worker {name}: PID={pid}, parent PID={parent_pid}");
    Report {
        message: format!("Result from {name}"),
        pid,
        parent_pid,
    }
}
static WORKER: Task<String, Report> = Task::new("worker", worker);
// ANCHOR_END: worker

fn main() -> ExitCode {
    init(&[&WORKER]); // a child runs `worker` here and never comes back
    let args: Args = lesson::parse_args();
    lesson::header("spawn_join: child processes, their PIDs, join and exit codes");
    let me = std::process::id();
    println!("main process: PID={me}");

    // ANCHOR: spawn_join
    let names: Vec<String> = (b'A'..)
        .take(args.children)
        .map(|c| (c as char).to_string())
        .collect();
    let (started, took) = lesson::timed(|| {
        names
            .iter()
            .map(|name| spawn(&WORKER, name.clone()))
            .collect::<Result<Vec<_>, _>>()
    });
    let mut children = match started {
        Ok(children) => children,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "started {} children in {} (each start waits only until the child has connected)",
        children.len(),
        lesson::human(took)
    );
    let mut table = Table::new(["child", "PID", "parent PID", "exit code", "returned"]);
    let mut checks = Checks::new();
    for (name, child) in names.iter().zip(&mut children) {
        let exit = child.join(); // blocks until this child has exited
        let report = child.take_result();
        let exitcode = exit.as_ref().map_or(-1, |e| e.exitcode());
        let ok = exitcode == 0
            && report.as_ref().is_some_and(|r| {
                r.pid == child.pid()
                    && r.parent_pid == me
                    && r.message == format!("Result from {name}")
            });
        checks.check(
            format!("child {name} ran in its own process, under us, and exited 0"),
            ok,
        );
        let message = report.map_or("nothing".into(), |r| r.message);
        table.row([
            name.clone(),
            child.pid().to_string(),
            me.to_string(),
            exitcode.to_string(),
            message,
        ]);
    }
    // ANCHOR_END: spawn_join
    println!("\n{table}");
    let mut pids: Vec<u32> = children.iter().map(|c| c.pid()).collect();
    pids.sort_unstable();
    pids.dedup();
    checks.check(
        "every child had a PID of its own, none ours",
        pids.len() == children.len() && !pids.contains(&me),
    );
    checks.finish()
}
