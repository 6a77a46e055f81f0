//! Who may use a manager: only processes that hold its authkey. Three worker processes get the
//! manager's door; one also gets the key, one a forged key, one no key at all. Each tries to write
//! its name into the dict. Only the one with the key gets in, and the final contents show that
//! nobody else wrote anything.
//!
//! Rust only: the tutorial never says who may connect to a manager; a process without its authkey is refused.
//!
//! The parent draws 32 random bytes when it starts the server and gives them to the server and to
//! the workers it chooses; every connection opens with a hello carrying the key, and the server
//! compares it in constant time before it answers anything.

use examples_ipc::phase::still_serving;
use lesson::{Checks, Failure};
use multiproc::manager::{AUTHKEY_LEN, Manager, ManagerError, SERVER, Ticket};
use multiproc::{Task, init, spawn};
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Parser)]
#[command(about = "A manager refuses processes that do not hold its authkey")]
struct Args {}

/// Longest wait for one worker: connecting gives up after the manager's own timeout, 5 s.
const WAIT: Duration = Duration::from_secs(10);

// ANCHOR: try_write
/// Connects with the key it was handed and writes its own name into the dict.
fn try_write((ticket, name): (Ticket, String)) -> Result<(), ManagerError> {
    ticket.dict()?.set(&name, 1)
}
static TRY_WRITE: Task<(Ticket, String), Result<(), ManagerError>> =
    Task::new("try_write", try_write);
// ANCHOR_END: try_write

fn main() -> ExitCode {
    init(&[&SERVER, &TRY_WRITE]);
    let _: Args = lesson::parse_args();
    lesson::header("manager_authkey: only processes with the key get in");
    run().unwrap_or_else(Failure::report)
}

fn run() -> lesson::Result<ExitCode> {
    let mut manager = Manager::start()?;
    println!(
        "manager server PID={}; authkey: {AUTHKEY_LEN} random bytes",
        manager.pid()
    );
    // ANCHOR: tickets
    let real = manager.ticket();
    let attempts = [
        ("keyed", real.clone()),
        ("forged", real.with_authkey(vec![0x42; AUTHKEY_LEN])),
        ("keyless", real.with_authkey(Vec::new())),
    ];
    // ANCHOR_END: tickets
    let mut outcomes = Vec::new();
    for (name, ticket) in attempts {
        let mut worker = spawn(&TRY_WRITE, (ticket, name.to_string()))?;
        worker.join_timeout(WAIT)?;
        let outcome = worker.take_result();
        // Only a server that answers can refuse: a dead one, or a worker that never said, fails
        // the run rather than pass for a refusal.
        let answered = matches!(outcome, Some(Ok(()) | Err(ManagerError::Refused)));
        still_serving(&mut manager, !answered)?;
        let said = match &outcome {
            Some(Ok(())) => "got in and wrote its name".to_string(),
            Some(Err(ManagerError::Refused)) => ManagerError::Refused.to_string(),
            Some(Err(err)) => return Err(Failure::msg(format!("the {name} worker: {err}"))),
            None => {
                return Err(Failure::msg(format!(
                    "the {name} worker ended without an answer"
                )));
            }
        };
        println!("worker PID={} with the {name} ticket: {said}", worker.pid());
        outcomes.push(outcome);
    }
    let contents = manager.shutdown()?;
    let keys: Vec<&str> = contents.dict.keys().map(String::as_str).collect();
    println!("manager shut down: the dict holds {keys:?}");

    let mut checks = Checks::new();
    checks.check(
        "the worker with the manager's key got in and wrote",
        outcomes[0] == Some(Ok(())),
    );
    checks.check(
        "the worker with a forged key was refused",
        outcomes[1] == Some(Err(ManagerError::Refused)),
    );
    checks.check(
        "the worker with no key was refused",
        outcomes[2] == Some(Err(ManagerError::Refused)),
    );
    checks.check(
        "only the keyed worker's name is in the final contents",
        keys == ["keyed"],
    );
    Ok(checks.finish())
}
