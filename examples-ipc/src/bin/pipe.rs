//! A two-way pipe between the parent and one child, Python's `Pipe()`: the parent sends requests,
//! the child answers each one, and every answer is checked. At the end the parent says goodbye and
//! the child answers with how many requests it served.
//!
//! Rust only: Python's `Pipe()` appears in no tutorial; parent and child hold a conversation over two channels, one each way.
//!
//! The child's end travels to it as its task argument, so starting it can never hang. What a
//! closed or crashed end does is the next lesson, `pipe_closed`.

use clap::Parser;
use examples_ipc::pipe_service::{Parent, Request, Response, SERVE, WAIT, start};
use lesson::{Checks, Failure, usize_in};
use multiproc::{Exit, Process, init};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "A two-way request/response pipe between parent and child")]
struct Args {
    /// Requests to send (half squares, half words to upper-case).
    #[arg(long, default_value_t = 10_000, value_parser = usize_in(1, 1_000_000))]
    requests: usize,
}

// ANCHOR: conversation
/// Sends `n` requests one at a time and checks each answer; returns how many were right, or which
/// request found the pipe broken.
fn converse(parent: &Parent, n: u64) -> lesson::Result<u64> {
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
        let answer = parent
            .send(request)
            .and_then(|()| parent.recv_timeout(WAIT));
        match answer {
            Ok(answer) => right += u64::from(answer == expected),
            Err(err) => return Err(Failure::msg(format!("request {i} of {n}: {err}"))),
        }
    }
    Ok(right)
}
// ANCHOR_END: conversation

/// A broken conversation fails the run, with how the child ended; no figure is printed from it.
fn broken(child: &mut Process<u64>, why: impl std::fmt::Display) -> Failure {
    let exit = child.join_timeout(WAIT).ok().flatten();
    let ended = exit.map_or("is still running".to_string(), |e| format!("ended: {e}"));
    Failure::msg(format!("the child stopped answering at {why}; it {ended}"))
}

fn main() -> ExitCode {
    init(&[&SERVE]);
    let args: Args = lesson::parse_args();
    lesson::header("pipe: a two-way request/response pipe between parent and child");
    run(args.requests as u64).unwrap_or_else(Failure::report)
}

fn run(n: u64) -> lesson::Result<ExitCode> {
    // ANCHOR: main
    let (parent, mut child) = start()?;
    println!(
        "parent PID={} started child PID={}",
        std::process::id(),
        child.pid()
    );
    let (answers, took) = lesson::timed(|| converse(&parent, n));
    let answers = answers.map_err(|why| broken(&mut child, why))?;
    let bye = parent
        .send(Request::Bye)
        .and_then(|()| parent.recv_timeout(WAIT));
    if let Err(err) = &bye {
        return Err(broken(&mut child, format!("the goodbye: {err}")));
    }
    let exit = child.join_timeout(WAIT)?;
    println!(
        "{n} requests answered one at a time in {}: {:.0} round trips/s",
        lesson::human(took),
        n as f64 / took.as_secs_f64().max(1e-9)
    );
    println!(
        "goodbye: child answered {bye:?} and ended with {}",
        exit.map_or("not reaped".to_string(), |e| e.to_string())
    );
    // ANCHOR_END: main
    let mut checks = Checks::new();
    checks.check(format!("all {n} answers were right"), answers == n);
    checks.check(
        "the child counted every request and exited 0",
        bye == Ok(Response::Bye(n)) && exit == Some(Exit::Code(0)),
    );
    Ok(checks.finish())
}
