//! A two-way pipe between the parent and one child, Python's `Pipe()`: the parent sends requests,
//! the child answers each one, and every answer is checked. The child's end travels to it as its
//! task argument, so starting it can never hang. Then what a closed end does: a child that says
//! goodbye and returns, a child that crashes mid-request, and a parent that hangs up first. Each
//! time the waiting side gets an error within milliseconds instead of waiting forever.

use clap::Parser;
use lesson::{Checks, usize_in};
use multiproc::pipe::{End, PipeError, pipe};
use multiproc::{Exit, Process, Task, init, spawn};
use serde::{Deserialize, Serialize};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "A two-way request/response pipe between parent and child, and closed ends")]
struct Args {
    /// Requests to send (half squares, half words to upper-case).
    #[arg(long, default_value_t = 10_000, value_parser = usize_in(1, 1_000_000))]
    requests: usize,
}

// ANCHOR: protocol
#[derive(Debug, Serialize, Deserialize)]
enum Request {
    Square(u64),
    Upper(String),
    /// Die at once, as a crash would (`abort`): no goodbye, no answer.
    Crash,
    Bye,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Response {
    Square(u64),
    Upper(String),
    /// The answer to `Bye`: how many requests were served.
    Bye(u64),
}

/// The child: answer requests until `Bye`, or until the parent's end closes.
fn serve(end: End<Response, Request>) -> u64 {
    let mut served = 0;
    while let Ok(request) = end.recv() {
        let response = match request {
            Request::Square(x) => Response::Square(x * x),
            Request::Upper(word) => Response::Upper(word.to_uppercase()),
            Request::Crash => std::process::abort(),
            Request::Bye => {
                let _ = end.send(Response::Bye(served));
                break;
            }
        };
        if end.send(response).is_err() {
            break;
        }
        served += 1;
    }
    served // `recv` failed: the parent hung up, so there is nobody left to serve
}
static SERVE: Task<End<Response, Request>, u64> = Task::new("serve", serve);
// ANCHOR_END: protocol

const WAIT: Duration = Duration::from_secs(5);

// ANCHOR: conversation
/// Sends `n` requests one at a time and checks each answer.
fn converse(parent: &End<Request, Response>, n: u64) -> Result<u64, PipeError> {
    let mut right = 0;
    for i in 0..n {
        let (request, expected) = if i % 2 == 0 {
            (Request::Square(i), Response::Square(i * i))
        } else {
            let word = format!("word{i}");
            (
                Request::Upper(word.clone()),
                Response::Upper(word.to_uppercase()),
            )
        };
        parent.send(request)?;
        if parent.recv_timeout(WAIT)? == expected {
            right += 1;
        }
    }
    Ok(right)
}
// ANCHOR_END: conversation

/// A fresh pipe and a child serving its far end; each of the three closings below needs its own.
fn start() -> Result<(End<Request, Response>, Process<u64>), String> {
    let (parent, child_end) = pipe::<Request, Response>().map_err(|e| e.to_string())?;
    let child = spawn(&SERVE, child_end).map_err(|e| e.to_string())?;
    Ok((parent, child))
}

fn main() -> ExitCode {
    init(&[&SERVE]);
    let args: Args = lesson::parse_args();
    lesson::header("pipe: a two-way request/response pipe between parent and child");
    let n = args.requests as u64;
    let mut checks = Checks::new();

    // ANCHOR: bye
    let (parent, mut child) = match start() {
        Ok(pair) => pair,
        Err(err) => {
            eprintln!("error: cannot start the child: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "parent PID={} started child PID={}",
        std::process::id(),
        child.pid()
    );
    let (answers, took) = lesson::timed(|| converse(&parent, n));
    println!(
        "{n} requests answered one at a time in {}: {:.0} round trips/s",
        lesson::human(took),
        n as f64 / took.as_secs_f64().max(1e-9)
    );
    checks.check(
        format!("all {n} answers were right"),
        answers.as_ref().is_ok_and(|&a| a == n),
    );
    let bye = parent
        .send(Request::Bye)
        .and_then(|()| parent.recv_timeout(WAIT));
    let exit = child.join_timeout(WAIT).ok().flatten();
    println!(
        "goodbye: child answered {bye:?} and ended with {}",
        exit.map_or("not reaped".to_string(), |e| e.to_string())
    );
    checks.check(
        "the child counted every request and exited 0",
        bye == Ok(Response::Bye(n)) && exit == Some(Exit::Code(0)),
    );
    let (after, waited) = lesson::timed(|| parent.recv_timeout(WAIT));
    println!(
        "recv after the child returned: {after:?} after {}",
        lesson::human(waited)
    );
    checks.check(
        "a returned child's end reads as closed at once, not as a timeout",
        after == Err(PipeError::Closed) && waited < WAIT,
    );
    // ANCHOR_END: bye

    // ANCHOR: crash
    let crash = start().map(|(parent, mut child)| {
        let pid = child.pid();
        let _ = parent.send(Request::Crash);
        let started = Instant::now();
        let got = parent.recv_timeout(WAIT);
        let waited = started.elapsed();
        let exit = child.join_timeout(WAIT).ok().flatten();
        println!(
            "child PID={pid} crashed mid-request: recv gave {got:?} after {}; child {}",
            lesson::human(waited),
            exit.map_or("not reaped".to_string(), |e| e.to_string())
        );
        (got, waited, exit)
    });
    checks.check(
        "a crashed child's end reads as closed within the deadline",
        crash.as_ref().is_ok_and(|(got, waited, exit)| {
            *got == Err(PipeError::Closed) && *waited < WAIT && *exit == Some(Exit::Signal(6))
        }),
    );
    // ANCHOR_END: crash

    // ANCHOR: hang_up
    let hang_up = start().map(|(parent, mut child)| {
        drop(parent); // the child is blocked in `recv`: closing our end releases it
        let exit = child.join_timeout(WAIT).ok().flatten();
        let served = child.take_result();
        println!(
            "parent hung up first: child returned {served:?} and ended with {}",
            exit.map_or("not reaped".to_string(), |e| e.to_string())
        );
        (served, exit)
    });
    checks.check(
        "a child whose parent hangs up returns on its own",
        hang_up.is_ok_and(|(served, exit)| served == Some(0) && exit == Some(Exit::Code(0))),
    );
    // ANCHOR_END: hang_up
    checks.finish()
}
