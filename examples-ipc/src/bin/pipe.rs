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
use multiproc::pipe::PipeError;
use multiproc::{Exit, init};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "A two-way request/response pipe between parent and child")]
struct Args {
    /// Requests to send (half squares, half words to upper-case).
    #[arg(long, default_value_t = 10_000, value_parser = usize_in(1, 1_000_000))]
    requests: usize,
}

// ANCHOR: conversation
/// Sends `n` requests one at a time and checks each answer; returns how many were right.
fn converse(parent: &Parent, n: u64) -> Result<u64, PipeError> {
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
    println!(
        "{n} requests answered one at a time in {}: {:.0} round trips/s",
        lesson::human(took),
        n as f64 / took.as_secs_f64().max(1e-9)
    );
    let bye = parent
        .send(Request::Bye)
        .and_then(|()| parent.recv_timeout(WAIT));
    let exit = child.join_timeout(WAIT)?;
    println!(
        "goodbye: child answered {bye:?} and ended with {}",
        exit.map_or("not reaped".to_string(), |e| e.to_string())
    );
    // ANCHOR_END: main
    let mut checks = Checks::new();
    checks.check(
        format!("all {n} answers were right"),
        answers.is_ok_and(|a| a == n),
    );
    checks.check(
        "the child counted every request and exited 0",
        bye == Ok(Response::Bye(n)) && exit == Some(Exit::Code(0)),
    );
    Ok(checks.finish())
}
