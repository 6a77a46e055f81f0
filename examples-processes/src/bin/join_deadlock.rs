//! Why `mp_factorizer` drains its channel before it joins: a child's message goes into a socket
//! buffer of some kilobytes, and a larger one makes the child's `send` wait until somebody reads.
//! A child waiting in `send` cannot exit, so a parent that joins it before reading waits for an
//! exit that cannot come. The lesson joins first twice, with a watchdog instead of a plain `join`:
//! a small result fits the buffer and the child exits; a large one leaves it stuck until the
//! parent drains the channel, after which it exits at once.
//!
//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the note that processes are joined only after their queue has been drained.

use clap::Parser;
use examples_processes::report::die_if_asked;
use ipc_channel::ipc::{self, IpcSender};
use lesson::{Checks, Failure, usize_in};
use multiproc::{Exit, Task, init, spawn};
use std::process::ExitCode;
use std::time::Duration;
use workloads::factorize_naive;

#[derive(Parser)]
#[command(
    about = "Join a child before reading its large result: it cannot exit (shown with a watchdog)"
)]
struct Args {
    /// The large case's child factors 2..N and sends every result in one message (from 100000
    /// up: far more than a socket buffer holds).
    #[arg(long, default_value_t = 200_000, value_parser = usize_in(100_000, 5_000_000))]
    n: usize,
}

/// The small case: its whole result fits in the channel's buffer.
const SMALL_N: usize = 100;
/// How long the parent waits in its join-first attempt before it calls the child stuck.
const WATCHDOG: Duration = Duration::from_secs(1);
/// How long the child may take to compute, before the parent gives up on it altogether.
const COMPUTE_DEADLINE: Duration = Duration::from_secs(120);

type Factored = Vec<(u64, Vec<u64>)>;

/// Factors 2..below, says it has finished computing, then sends everything in one message.
fn factor_below((below, computed, out_q): (u64, IpcSender<()>, IpcSender<Factored>)) {
    let outdict: Factored = (2..below).map(|n| (n, factorize_naive(n))).collect();
    let _ = computed.send(()); // the work is done: all that is left is `send`, then exit
    let _ = out_q.send(outdict);
}
/// `factor_below` for the child, behind the test hook that can make it die.
static FACTOR_BELOW: Task<(u64, IpcSender<()>, IpcSender<Factored>), ()> =
    Task::new("factor_below", |job| {
        die_if_asked("factor_below");
        factor_below(job)
    });

/// What one join-first attempt saw.
struct Seen {
    exited_before_draining: bool,
    received: usize,
    exit: Exit,
}

// ANCHOR: deadlock
/// Joins *before* draining, with a watchdog, then drains (the fix) and joins for real.
fn join_before_draining(below: usize) -> lesson::Result<Seen> {
    let (out_tx, out_q) = ipc::channel::<Factored>()?;
    let (computed_tx, computed) = ipc::channel::<()>()?;
    let mut child = spawn(&FACTOR_BELOW, (below as u64, computed_tx, out_tx))?;
    computed
        .try_recv_timeout(COMPUTE_DEADLINE)
        .map_err(|e| Failure::msg(format!("the child never finished computing: {e}")))?;
    let early = child.join_timeout(WATCHDOG)?; // the mistake: join first
    match early {
        Some(exit) => println!(
            "  join before reading: child {} had exited ({exit})",
            child.pid()
        ),
        None => println!(
            "  join before reading: child {} still alive after {WATCHDOG:?}, blocked in send",
            child.pid()
        ),
    }
    let outdict = out_q.recv()?; // the fix: drain first...
    let exit = child.join()?; // ...then join
    println!("  after draining {} results: child {exit}", outdict.len());
    Ok(Seen {
        exited_before_draining: early.is_some(),
        received: outdict.len(),
        exit,
    })
}
// ANCHOR_END: deadlock

fn main() -> ExitCode {
    init(&[&FACTOR_BELOW]);
    let args: Args = lesson::parse_args();
    lesson::header("join_deadlock: joining a child before reading what it sent");
    println!("a child factors 2..N and sends every result in one message; the parent joins first");
    let mut checks = Checks::new();
    for below in [SMALL_N, args.n] {
        println!("N = {below}:");
        let seen = match join_before_draining(below) {
            Ok(seen) => seen,
            Err(failure) => return failure.report(),
        };
        if below == SMALL_N {
            checks.check(
                format!("N = {below}: the small result fit the buffer, so join-first returned"),
                seen.exited_before_draining,
            );
        } else {
            checks.check(
                format!("N = {below}: joining first, the child could not exit while its output was unread"),
                !seen.exited_before_draining,
            );
        }
        checks.check(
            format!("N = {below}: after draining, every result arrived and the child exited 0"),
            seen.received == below - 2 && seen.exit.success(),
        );
    }
    checks.finish()
}
