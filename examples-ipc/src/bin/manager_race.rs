//! "Synchronized" is per call, not per line. Every worker increments two counters in a manager's
//! dict: one the way Python writes `d["racy"] += 1` through a proxy (a get, then a set: two
//! calls), and one with a single `add` call that the server applies under its own lock. The first
//! loses updates whenever another worker's set lands between the get and the set; the second
//! counts every one.
//!
//! Rust only: the tutorial calls a manager's objects synchronized; that holds for one call, so `d[k] += 1` through a proxy loses updates where one server-side `add` does not.

use clap::Parser;
use examples_ipc::estimate;
use examples_ipc::phase::{deadline, run_phase, succeeded};
use lesson::{Checks, Failure, usize_in};
use multiproc::manager::{Manager, ManagerError, SERVER, Ticket, Value};
use multiproc::{Task, init};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    about = "A manager's dict from several processes: get-then-set loses updates, add does not"
)]
struct Args {
    /// Worker processes.
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 32))]
    workers: usize,
    /// Increments each worker makes to each counter.
    #[arg(long, default_value_t = 2_000, value_parser = usize_in(1, 1_000_000))]
    increments: usize,
}

// ANCHOR: increment
/// Adds 1 to both counters, `times` times: "racy" as a get and a set, "exact" as one `add`.
fn increment((ticket, times): (Ticket, usize)) -> Result<(), ManagerError> {
    let d = ticket.dict()?;
    for _ in 0..times {
        // Python's `d["racy"] += 1` through a proxy: two calls.
        let seen = d.get("racy")?.unwrap_or(0);
        // Another worker's set may land right here; this set then overwrites it.
        d.set("racy", seen + 1)?;
        // One call: the server reads, adds and writes under its lock.
        d.add("exact", 1)?;
    }
    Ok(())
}
static INCREMENT: Task<(Ticket, usize), Result<(), ManagerError>> =
    Task::new("increment", increment);
// ANCHOR_END: increment

fn main() -> ExitCode {
    init(&[&SERVER, &INCREMENT]);
    let args: Args = lesson::parse_args();
    let calls = CALLS_PER_INCREMENT * args.workers * args.increments;
    estimate::warn_if_heavy(estimate::manager_calls(calls, 0));
    lesson::header("manager_race: synchronized per call, not per line");
    run(&args).unwrap_or_else(Failure::report)
}

/// Calls per increment: a get and a set for the racy counter, an add for the exact one.
const CALLS_PER_INCREMENT: usize = 3;

fn run(args: &Args) -> lesson::Result<ExitCode> {
    let (workers, times) = (args.workers, args.increments);
    let mut manager = Manager::start()?;
    println!(
        "manager server PID={}; {workers} workers, each adding 1 to both counters {times} times",
        manager.pid()
    );
    let (results, took) = run_phase(
        &INCREMENT,
        (0..workers).map(|_| (manager.ticket(), times)),
        deadline(CALLS_PER_INCREMENT * workers * times),
    );
    let finished = succeeded(&mut manager, results)?; // a failed worker fails the run
    let contents = manager.shutdown()?;
    let expected = (workers * times) as Value;
    let count = |key: &str| contents.dict.get(key).copied().unwrap_or(0);
    let (racy, exact) = (count("racy"), count("exact"));
    println!(
        "both counters done in {}; expected {expected} each",
        lesson::human(took)
    );
    println!(
        "get-then-set (Python's d[k] += 1): {racy} arrived, {} lost to the race",
        expected - racy
    );
    println!("add (one call, applied by the server): {exact} arrived");

    let mut checks = Checks::new();
    checks.check(
        "every worker finished without error",
        finished.len() == workers,
    );
    checks.check(
        format!("add counted every increment ({exact} of {expected})"),
        exact == expected,
    );
    checks.check(
        "get-then-set never counts more than was added (how many it loses is up to the scheduler)",
        (1..=expected).contains(&racy),
    );
    Ok(checks.finish())
}
