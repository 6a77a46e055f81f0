//! What one proxy call costs, and what a batch saves. Every worker makes the same calls on a
//! manager's dict (set its own key, read it back, add 1 to a shared total), first one message and
//! one reply per call, then many calls per message. The answers are the same; the time is not.
//!
//! Rust only: a proxy call is a round trip, a message and a reply; many operations in one message pay it once (Python's proxies have no batch call).

use clap::Parser;
use examples_ipc::estimate;
use examples_ipc::phase::{deadline, per_second, run_phase, succeeded};
use lesson::{Checks, Failure, Table, usize_in};
use multiproc::manager::{Answer, Manager, ManagerError, Op, SERVER, Ticket, Value};
use multiproc::{Task, init};
use serde::{Deserialize, Serialize};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "A manager's dict called one message per call, then in batches")]
struct Args {
    /// Worker processes.
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 32))]
    workers: usize,
    /// Calls each worker makes in each phase (set, get, add: counted in threes).
    #[arg(long, default_value_t = 20_000, value_parser = usize_in(3, 10_000_000))]
    ops: usize,
    /// Calls per message in the batched phase.
    #[arg(long, default_value_t = 1024, value_parser = usize_in(1, 100_000))]
    batch: usize,
}

/// One worker's share of a phase: its key, how many set/get/add triples, and how many per message.
#[derive(Serialize, Deserialize)]
struct Load {
    ticket: Ticket,
    key: String,
    triples: Value,
    per_message: Value,
}

// ANCHOR: round_trips
/// Sets its own key, reads it back and adds 1 to the shared total, one call at a time. Returns how
/// many reads did not see the value just written (must be 0).
fn round_trips(load: Load) -> Result<u64, ManagerError> {
    let d = load.ticket.dict()?;
    let mut wrong = 0;
    for j in 0..load.triples {
        d.set(&load.key, j)?;
        wrong += u64::from(d.get(&load.key)? != Some(j));
        d.add("total", 1)?;
    }
    Ok(wrong)
}
static ROUND_TRIPS: Task<Load, Result<u64, ManagerError>> = Task::new("round_trips", round_trips);
// ANCHOR_END: round_trips

// ANCHOR: batched
/// The same calls, `per_message` triples in each message.
fn batched(load: Load) -> Result<u64, ManagerError> {
    let d = load.ticket.dict()?;
    let (mut wrong, mut j) = (0, 0);
    while j < load.triples {
        let end = (j + load.per_message).min(load.triples);
        let mut ops = Vec::with_capacity(3 * (end - j) as usize);
        for v in j..end {
            ops.push(Op::Set(load.key.clone(), v));
            ops.push(Op::Get(load.key.clone()));
            ops.push(Op::Add("total".into(), 1));
        }
        let answers = d.batch(ops)?;
        for (v, answer) in (j..end).zip(answers.chunks(3)) {
            wrong += u64::from(answer[1] != Answer::Value(Some(v)));
        }
        j = end;
    }
    Ok(wrong)
}
static BATCHED: Task<Load, Result<u64, ManagerError>> = Task::new("batched", batched);
// ANCHOR_END: batched

fn main() -> ExitCode {
    init(&[&SERVER, &ROUND_TRIPS, &BATCHED]);
    let args: Args = lesson::parse_args();
    let calls = args.workers * args.ops;
    estimate::warn_if_heavy(estimate::manager_calls(calls, calls));
    lesson::header("manager_batching: one message per call vs many calls per message");
    run(&args).unwrap_or_else(Failure::report)
}

fn run(args: &Args) -> lesson::Result<ExitCode> {
    let workers = args.workers;
    let triples = (args.ops / 3) as Value;
    let per_message = ((args.batch / 3).max(1) as Value).min(triples);
    let phase_ops = workers * 3 * triples as usize;
    let mut manager = Manager::start()?;
    println!(
        "manager server PID={}; {workers} workers, each making {} calls (set, get back, add to a \
         shared total) per phase ...",
        manager.pid(),
        3 * triples
    );
    let ticket = manager.ticket();
    let load = |prefix: &str, id, per_message| Load {
        ticket: ticket.clone(),
        key: format!("{prefix}{id}"),
        triples,
        per_message,
    };
    let phases = [
        ("round-trip", &ROUND_TRIPS, "w", 1, 1),
        ("batched", &BATCHED, "b", per_message, 3 * per_message),
    ];
    let mut table = Table::new(["calls per message", "operations", "wall time", "throughput"]);
    let mut every_read_right = Vec::new();
    for (name, task, prefix, per, calls) in phases {
        let loads = (0..workers).map(|id| load(prefix, id, per));
        let (results, took) = run_phase(task, loads, deadline(phase_ops));
        let wrong_reads = succeeded(&mut manager, results)?; // a failed worker: no row, no check
        table.row([
            calls.to_string(),
            phase_ops.to_string(),
            lesson::human(took),
            per_second(phase_ops, took),
        ]);
        let what =
            format!("every {name} worker finished, and every read saw the value just written");
        every_read_right.push((what, wrong_reads.iter().all(|&wrong| wrong == 0)));
    }
    let contents = manager.shutdown()?; // before any figure: a run it did not finish shows none
    let mut checks = Checks::new();
    for (what, right) in every_read_right {
        checks.check(what, right);
    }
    print!("{table}");
    println!("(wall time includes starting the worker processes; yours will differ)");
    let total = contents.dict.get("total").copied();
    let want = 2 * workers as Value * triples;
    println!("manager shut down: total = {total:?} (expected {want})");
    checks.check(
        "the shared total counted every add of both phases",
        total == Some(want),
    );
    checks.check(
        "every worker's key holds the last value it wrote",
        (0..workers).all(|id| {
            ["w", "b"]
                .iter()
                .all(|p| contents.dict.get(&format!("{p}{id}")) == Some(&(triples - 1)))
        }),
    );
    Ok(checks.finish())
}
