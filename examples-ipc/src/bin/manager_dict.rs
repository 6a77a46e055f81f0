//! A manager process that owns a dict and a list, and worker processes that change them through
//! proxies: each worker sets `worker_<id>` to `id * 10` and appends its id, and the parent prints
//! both. Nothing is shared: every proxy call is a message to the server and a reply.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Synchronization Primitives", the `Manager` dict and list.
//!
//! At the end the parent shuts the server down; it hands back the final contents and is reaped.

use clap::Parser;
use examples_ipc::phase::{deadline, run_phase, succeeded};
use lesson::{Checks, Failure, usize_in};
use multiproc::manager::{Manager, ManagerError, SERVER, Ticket, Value};
use multiproc::{Task, init, signal};
use std::collections::BTreeMap;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "A manager process owning a dict and a list, used from worker processes")]
struct Args {
    /// Worker processes.
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 32))]
    workers: usize,
}

// ANCHOR: tutorial_worker
/// The tutorial's `worker(shared_dict, shared_list, worker_id)`.
fn tutorial_worker((ticket, worker_id): (Ticket, Value)) -> Result<(), ManagerError> {
    let shared_dict = ticket.dict()?;
    let shared_list = ticket.list()?;
    shared_dict.set(&format!("worker_{worker_id}"), worker_id * 10)?;
    shared_list.append(worker_id)
}
static TUTORIAL_WORKER: Task<(Ticket, Value), Result<(), ManagerError>> =
    Task::new("tutorial_worker", tutorial_worker);
// ANCHOR_END: tutorial_worker

fn main() -> ExitCode {
    init(&[&SERVER, &TUTORIAL_WORKER]);
    let args: Args = lesson::parse_args();
    lesson::header("manager_dict: a dict and a list owned by a manager process");
    run(args.workers).unwrap_or_else(Failure::report)
}

fn run(workers: usize) -> lesson::Result<ExitCode> {
    // ANCHOR: main
    let mut manager = Manager::start()?;
    println!(
        "parent PID={}; manager server PID={}; authkey: 32 random bytes, known to the server and the workers",
        std::process::id(),
        manager.pid()
    );
    let ids = 0..workers as Value;
    let (results, _) = run_phase(
        &TUTORIAL_WORKER,
        ids.clone().map(|id| (manager.ticket(), id)),
        deadline(workers),
    );
    let finished = succeeded(&mut manager, results)?; // a failed worker fails the run
    let shared_dict = manager.ticket().dict()?;
    let shared_list = manager.ticket().list()?;
    let dict = shared_dict.items()?;
    let list = shared_list.items()?;
    println!("Dict: {dict:?}");
    println!("List: {list:?}  (in the order the workers got there)");
    // ANCHOR_END: main

    // ANCHOR: shutdown
    drop((shared_dict, shared_list));
    let server_pid = manager.pid();
    let mut contents = manager.shutdown()?;
    println!(
        "manager shut down: it handed back {} keys and a list of {}",
        contents.dict.len(),
        contents.list.len()
    );
    // ANCHOR_END: shutdown

    let want: BTreeMap<String, Value> = ids
        .clone()
        .map(|id| (format!("worker_{id}"), id * 10))
        .collect();
    let mut checks = Checks::new();
    checks.check(
        format!("{workers} tutorial workers ran without error"),
        finished.len() == workers,
    );
    checks.check(
        "the dict holds worker_<id> = id * 10 for every worker",
        dict.into_iter().collect::<BTreeMap<_, _>>() == want,
    );
    let mut sorted = list;
    sorted.sort_unstable();
    checks.check(
        "the list holds every worker id once",
        sorted == ids.clone().collect::<Vec<_>>(),
    );
    contents.list.sort_unstable();
    checks.check(
        "the contents handed back at shutdown are exactly what the workers wrote",
        contents.dict == want && contents.list == ids.collect::<Vec<_>>(),
    );
    checks.check(
        format!("the manager server (PID {server_pid}) has exited and been reaped"),
        !signal::pid_exists(server_pid),
    );
    Ok(checks.finish())
}
