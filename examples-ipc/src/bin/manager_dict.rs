//! A manager process that owns a dict and a list, and worker processes that change them through
//! proxies. Translates tutorial 002's `Manager()` example (each worker sets `worker_<id>` to
//! `id * 10` and appends its id), then shows what the tutorial leaves out: several processes
//! updating the same data concurrently still get exact results, what one proxy call costs (a
//! message and a reply) against a batch of calls in one message, and a process without the
//! manager's authkey being turned away.

use clap::Parser;
use lesson::{Checks, Table, usize_in};
use multiproc::manager::{Answer, Contents, Manager, Op, SERVER, Ticket, Value};
use multiproc::{Process, Task, init, spawn};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "A manager process owning a dict and a list, used from worker processes")]
struct Args {
    /// Worker processes.
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 32))]
    workers: usize,
    /// Operations each worker makes in each timed phase.
    #[arg(long, default_value_t = 20_000, value_parser = usize_in(1, 10_000_000))]
    ops: usize,
    /// Operations per message in the batched phase.
    #[arg(long, default_value_t = 1024, value_parser = usize_in(1, 100_000))]
    batch: usize,
}

// ANCHOR: tutorial_worker
/// Tutorial 002's `worker(shared_dict, shared_list, worker_id)`.
fn tutorial_worker((ticket, worker_id): (Ticket, Value)) -> Result<(), String> {
    let shared_dict = ticket.dict().map_err(|e| e.to_string())?;
    let shared_list = ticket.list().map_err(|e| e.to_string())?;
    shared_dict
        .set(&format!("worker_{worker_id}"), worker_id * 10)
        .map_err(|e| e.to_string())?;
    shared_list.append(worker_id).map_err(|e| e.to_string())
}
static TUTORIAL_WORKER: Task<(Ticket, Value), Result<(), String>> =
    Task::new("tutorial_worker", tutorial_worker);
// ANCHOR_END: tutorial_worker

/// One worker's share of a timed phase.
#[derive(serde::Serialize, serde::Deserialize)]
struct Load {
    ticket: Ticket,
    id: usize,
    ops: usize,
    /// 0: one message per operation; otherwise this many operations per message.
    batch: usize,
}

// ANCHOR: round_trips
/// Sets its own key, reads it back and adds 1 to the shared total, `ops / 3` times.
/// Returns how many reads did not see the value just written (must be 0).
fn round_trips(load: Load) -> Result<u64, String> {
    let d = load.ticket.dict().map_err(|e| e.to_string())?;
    let key = format!("w{}", load.id);
    let mut wrong = 0;
    for j in 0..(load.ops / 3) as Value {
        d.set(&key, j).map_err(|e| e.to_string())?;
        wrong += u64::from(d.get(&key).map_err(|e| e.to_string())? != Some(j));
        d.add("total", 1).map_err(|e| e.to_string())?;
    }
    Ok(wrong)
}
static ROUND_TRIPS: Task<Load, Result<u64, String>> = Task::new("round_trips", round_trips);
// ANCHOR_END: round_trips

// ANCHOR: batched
/// The same operations, `batch` of them per message.
fn batched(load: Load) -> Result<u64, String> {
    let d = load.ticket.dict().map_err(|e| e.to_string())?;
    let key = format!("b{}", load.id);
    let (mut wrong, triples, mut j) = (0, (load.ops / 3) as Value, 0);
    while j < triples {
        let end = (j + (load.batch / 3).max(1) as Value).min(triples);
        let mut ops = Vec::with_capacity(3 * (end - j) as usize);
        for v in j..end {
            ops.push(Op::Set(key.clone(), v));
            ops.push(Op::Get(key.clone()));
            ops.push(Op::Add("total".into(), 1));
        }
        let answers = d.batch(ops).map_err(|e| e.to_string())?;
        for (v, answer) in (j..end).zip(answers.chunks(3)) {
            wrong += u64::from(answer[1] != Answer::Value(Some(v)));
        }
        j = end;
    }
    Ok(wrong)
}
static BATCHED: Task<Load, Result<u64, String>> = Task::new("batched", batched);
// ANCHOR_END: batched

// ANCHOR: racy
/// Python's `d["racy"] += 1` through a proxy: a get, then a set, two separate calls.
fn get_then_set((ticket, times): (Ticket, usize)) -> Result<(), String> {
    let d = ticket.dict().map_err(|e| e.to_string())?;
    for _ in 0..times {
        let seen = d.get("racy").map_err(|e| e.to_string())?.unwrap_or(0);
        // Another worker's set may land right here; this set then overwrites it.
        d.set("racy", seen + 1).map_err(|e| e.to_string())?;
    }
    Ok(())
}
static GET_THEN_SET: Task<(Ticket, usize), Result<(), String>> =
    Task::new("get_then_set", get_then_set);
// ANCHOR_END: racy

// ANCHOR: intruder
/// A process that was handed the door but with a key of its own: it tries to write anyway.
fn intruder(ticket: Ticket) -> Result<String, String> {
    let forged = ticket.with_authkey(vec![0x42; multiproc::manager::AUTHKEY_LEN]);
    match forged.dict() {
        Ok(d) => {
            let _ = d.set("intruder", 1);
            Err("the manager let a process with the wrong key in".into())
        }
        Err(err) => Ok(err.to_string()),
    }
}
static INTRUDER: Task<Ticket, Result<String, String>> = Task::new("intruder", intruder);
// ANCHOR_END: intruder

/// Starts one process per worker and joins them all; returns each worker's result and the wall
/// time from the first start to the last exit. A worker still running at `deadline` (a manager
/// that stopped answering would leave it waiting) counts as failed: its handle, dropped, kills
/// and reaps it, so the lesson ends instead of hanging.
fn run_phase<A, R>(
    task: &'static Task<A, Result<R, String>>,
    args: impl IntoIterator<Item = A>,
    deadline: Duration,
) -> (Vec<Result<R, String>>, Duration)
where
    A: serde::Serialize + serde::de::DeserializeOwned,
    R: serde::Serialize + serde::de::DeserializeOwned + Send + 'static,
{
    let start = Instant::now();
    let children: Vec<Result<Process<Result<R, String>>, String>> = args
        .into_iter()
        .map(|a| spawn(task, a).map_err(|e| e.to_string()))
        .collect();
    let results = children
        .into_iter()
        .map(|child| {
            let mut child = child?;
            let left = deadline.saturating_sub(start.elapsed());
            let exit = child
                .join_timeout(left)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| {
                    format!("worker {} still running after {deadline:?}", child.pid())
                })?;
            child.take_result().unwrap_or_else(|| {
                Err(format!(
                    "worker {} ended without a result ({exit})",
                    child.pid()
                ))
            })
        })
        .collect();
    (results, start.elapsed())
}

fn per_second(ops: usize, took: Duration) -> String {
    let rate = ops as f64 / took.as_secs_f64();
    if rate >= 1e6 {
        format!("{:.2}M ops/s", rate / 1e6)
    } else {
        format!("{:.0}k ops/s", rate / 1e3)
    }
}

fn main() -> ExitCode {
    init(&[
        &SERVER,
        &TUTORIAL_WORKER,
        &ROUND_TRIPS,
        &BATCHED,
        &GET_THEN_SET,
        &INTRUDER,
    ]);
    let args: Args = lesson::parse_args();
    lesson::header("manager_dict: a dict and a list owned by a manager process");
    let mut checks = Checks::new();
    let workers = args.workers;
    // No phase of a healthy run comes near this: 30 s, plus 100 µs for every call of every
    // worker, while the measured round-trip phase took about 6 µs per call (168k calls/s).
    let deadline =
        Duration::from_secs(30) + Duration::from_micros(100 * (workers * args.ops) as u64);

    // ANCHOR: main
    let manager = match Manager::start() {
        Ok(m) => m,
        Err(err) => {
            eprintln!("error: cannot start the manager: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "parent PID={}; manager server PID={}; authkey: 32 random bytes, known to the server and the workers",
        std::process::id(),
        manager.pid()
    );

    // The tutorial's example: each worker sets worker_<id> = id * 10 and appends its id.
    let (results, _) = run_phase(
        &TUTORIAL_WORKER,
        (0..workers as Value).map(|id| (manager.ticket(), id)),
        deadline,
    );
    checks.check(
        format!("{workers} tutorial workers ran without error"),
        results.iter().all(Result::is_ok),
    );
    let shared_dict = manager.ticket().dict().expect("the parent connects");
    let shared_list = manager.ticket().list().expect("the parent connects");
    let dict = shared_dict.items().expect("items");
    let mut list = shared_list.items().expect("items");
    println!("Dict: {dict:?}");
    println!("List: {list:?}  (in the order the workers got there)");
    // ANCHOR_END: main
    let expected: Vec<(String, Value)> = {
        let mut pairs: Vec<_> = (0..workers as Value)
            .map(|id| (format!("worker_{id}"), id * 10))
            .collect();
        pairs.sort();
        pairs
    };
    checks.check(
        "the dict holds worker_<id> = id * 10 for every worker",
        dict == expected,
    );
    list.sort_unstable();
    checks.check(
        "the list holds every worker id once",
        list == (0..workers as Value).collect::<Vec<_>>(),
    );

    // Timed: the same mix of set, get and add, first one message per call, then in batches.
    let triples = args.ops / 3;
    let phase_ops = workers * 3 * triples;
    println!();
    println!(
        "{workers} workers, each making {} calls (set, get back, add to a shared total) ...",
        3 * triples
    );
    let load = |id, batch| Load {
        ticket: manager.ticket(),
        id,
        ops: args.ops,
        batch,
    };
    let (round, round_took) = run_phase(&ROUND_TRIPS, (0..workers).map(|id| load(id, 0)), deadline);
    let (batch, batch_took) = run_phase(
        &BATCHED,
        (0..workers).map(|id| load(id, args.batch)),
        deadline,
    );
    let mut table = Table::new(["calls", "operations", "wall time", "throughput"]);
    table.row([
        "one message per call".to_string(),
        phase_ops.to_string(),
        lesson::human(round_took),
        per_second(phase_ops, round_took),
    ]);
    table.row([
        format!("{} calls per message", (args.batch / 3).max(1) * 3),
        phase_ops.to_string(),
        lesson::human(batch_took),
        per_second(phase_ops, batch_took),
    ]);
    print!("{table}");
    println!("(wall time includes starting the worker processes; yours will differ)");
    for (name, results) in [("round-trip", &round), ("batched", &batch)] {
        let errors: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        checks.check(
            format!("every {name} worker finished ({} errors)", errors.len()),
            errors.is_empty(),
        );
        for err in errors {
            println!("  {err}");
        }
        checks.check(
            format!("every {name} read saw the value its worker had just written"),
            results.iter().all(|r| r.as_ref().is_ok_and(|w| *w == 0)),
        );
    }

    // The same increments as two calls each: the race every proxy-based `+=` has.
    let times = (args.ops / 10).max(1);
    let (racy, _) = run_phase(
        &GET_THEN_SET,
        (0..workers).map(|_| (manager.ticket(), times)),
        deadline,
    );
    let racy_total = shared_dict.get("racy").ok().flatten().unwrap_or(0);
    let racy_expected = (workers * times) as Value;
    println!(
        "get-then-set increments (Python's d[k] += 1): {racy_total} of {racy_expected} arrived, \
         {} lost to the race (the `add` total is checked exact below)",
        racy_expected - racy_total
    );
    checks.check(
        "get-then-set never counts more than was added (how many it loses is up to the scheduler)",
        racy.iter().all(Result::is_ok) && racy_total <= racy_expected,
    );

    // A process that was not given the key is turned away.
    println!();
    let (refusal, _) = run_phase(&INTRUDER, [manager.ticket()], deadline);
    match &refusal[0] {
        Ok(why) => println!("a process with a forged key tried to connect: {why}"),
        Err(err) => println!("intruder: {err}"),
    }
    checks.check(
        "the process with a wrong authkey was refused",
        refusal[0].is_ok(),
    );

    // Shutdown: the server hands back the final contents and is reaped.
    drop((shared_dict, shared_list));
    let server_pid = manager.pid();
    let contents = match manager.shutdown() {
        Ok(c) => c,
        Err(err) => {
            checks.check(format!("the manager shut down cleanly ({err})"), false);
            return checks.finish();
        }
    };
    let mut want: BTreeMap<String, Value> = expected.into_iter().collect();
    want.insert("racy".into(), racy_total);
    let last = triples as Value - 1;
    for id in 0..workers {
        if triples > 0 {
            want.insert(format!("w{id}"), last);
            want.insert(format!("b{id}"), last);
        }
    }
    if triples > 0 {
        want.insert("total".into(), 2 * (workers * triples) as Value);
    }
    println!(
        "manager shut down: {} keys, total = {:?} (expected {}), list of {}",
        contents.dict.len(),
        contents.dict.get("total"),
        2 * workers * triples,
        contents.list.len()
    );
    let want = Contents {
        dict: want,
        list: (0..workers as Value).collect(),
    };
    let mut got = contents;
    got.list.sort_unstable();
    checks.check(
        "the final contents are exactly what the workers wrote (no update lost, no intruder key)",
        got == want,
    );
    checks.check(
        format!("the manager server (PID {server_pid}) has exited and been reaped"),
        !multiproc::signal::pid_exists(server_pid),
    );
    checks.finish()
}
