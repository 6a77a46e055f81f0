//! What the other side of a pipe sees when one end closes: a child that says goodbye and returns, a
//! child that crashes mid-request, and a parent that hangs up first. Each time the waiting side
//! gets an error within milliseconds instead of waiting forever.
//!
//! Rust only: Python's `Pipe()` appears in no tutorial; a closed end is an error, never a hang.
//!
//! The kernel closes every descriptor of a process that ends, however it ends, so the last sender
//! of a direction disappears with it and the receiver on the other side reads "closed" at once.
//! The five-second timeout below is only a backstop for a child that stalls without dying.

use examples_ipc::pipe_service::{Request, Response, SERVE, WAIT, start};
use lesson::{Checks, Failure};
use multiproc::pipe::PipeError;
use multiproc::{Exit, init, signal};
use std::process::ExitCode;

#[derive(clap::Parser)]
#[command(
    about = "A pipe's closed ends: a returned child, a crashed child, a parent that hangs up"
)]
struct Args {}

fn main() -> ExitCode {
    init(&[&SERVE]);
    let _: Args = lesson::parse_args();
    lesson::header("pipe_closed: what a closed or crashed end does");
    run().unwrap_or_else(Failure::report)
}

fn run() -> lesson::Result<ExitCode> {
    let mut checks = Checks::new();

    // ANCHOR: returned
    let (parent, mut child) = start()?;
    let bye = parent
        .send(Request::Bye)
        .and_then(|()| parent.recv_timeout(WAIT));
    let exit = child.join_timeout(WAIT)?;
    let (after, waited) = lesson::timed(|| parent.recv_timeout(WAIT));
    println!(
        "child PID={} said {bye:?} and ended with {}; recv after that: {after:?} after {}",
        child.pid(),
        exit.map_or("not reaped".to_string(), |e| e.to_string()),
        lesson::human(waited)
    );
    checks.check(
        "a returned child's end reads as closed at once, not as a timeout",
        bye == Ok(Response::Bye(0)) && after == Err(PipeError::Closed) && waited < WAIT,
    );
    // ANCHOR_END: returned

    // ANCHOR: crash
    let (parent, mut child) = start()?;
    parent.send(Request::Crash)?;
    let (got, waited) = lesson::timed(|| parent.recv_timeout(WAIT));
    let exit = child.join_timeout(WAIT)?;
    println!(
        "child PID={} crashed mid-request: recv gave {got:?} after {}; child {}",
        child.pid(),
        lesson::human(waited),
        exit.map_or("not reaped".to_string(), |e| e.to_string())
    );
    checks.check(
        "a crashed child's end reads as closed within the deadline",
        got == Err(PipeError::Closed) && waited < WAIT && exit == Some(Exit::Signal(signal::ABRT)),
    );
    // ANCHOR_END: crash

    // ANCHOR: hang_up
    let (parent, mut child) = start()?;
    drop(parent); // the child is blocked in `recv`: closing our end releases it
    let exit = child.join_timeout(WAIT)?;
    let served = child.take_result();
    println!(
        "parent hung up first: child PID={} returned {served:?} and ended with {}",
        child.pid(),
        exit.map_or("not reaped".to_string(), |e| e.to_string())
    );
    checks.check(
        "a child whose parent hangs up returns on its own",
        served == Some(0) && exit == Some(Exit::Code(0)),
    );
    // ANCHOR_END: hang_up
    Ok(checks.finish())
}
