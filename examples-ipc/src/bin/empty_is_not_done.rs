//! The tutorial collects its results with `while not results_queue.empty()`. Empty means "nothing
//! right now", not "done": this lesson runs that loop while the consumers are still working and
//! counts what it missed, then collects the rest by waiting for every consumer's end marker.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Inter-Process Communication", the results read back with `while not results_queue.empty()`.
//!
//! The consumers take `--work-ms` per item, the tutorial's "simulate processing". Once every
//! consumer has exited, the results channel reads as *closed*, which is what done looks like.

use clap::Parser;
use examples_ipc::estimate;
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use ipc_channel::{IpcError, TryRecvError};
use lesson::{Checks, Failure, usize_in};
use multiproc::queue::{Ledger, work};
use multiproc::{Process, Task, init, spawn};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "`while not results.empty()` stops early; end markers do not")]
struct Args {
    /// Consumer processes.
    #[arg(long, default_value_t = 3, value_parser = usize_in(1, 16))]
    consumers: usize,
    /// Items, one per message (at most 200, so no channel ever fills up).
    #[arg(long, default_value_t = 30, value_parser = usize_in(1, 200))]
    items: usize,
    /// Milliseconds of simulated work per item.
    #[arg(long, default_value_t = 20, value_parser = usize_in(1, 1000))]
    work_ms: usize,
}

/// Longest wait for any one message before the lesson gives up on a silent consumer.
const WAIT: Duration = Duration::from_secs(5);

/// A result, or `None`: the consumer's end marker.
type Answer = Option<(u64, u64)>;
type Inbox = (IpcReceiver<Option<u64>>, IpcSender<Answer>, Duration);

/// The tutorial's consumer: items until the `None` sentinel, each taking `pause`, each result sent
/// back on its own; then its end marker.
fn slow_consumer((inbox, results, pause): Inbox) {
    while let Ok(Some(item)) = inbox.recv() {
        thread::sleep(pause);
        let _ = results.send(Some((item, work(item))));
    }
    let _ = results.send(None);
}
static SLOW_CONSUMER: Task<Inbox, ()> = Task::new("slow_consumer", slow_consumer);

/// Records a result in the ledger; true if it was an end marker instead.
fn record(answer: Answer, ledger: &mut Ledger) -> bool {
    if let Some((item, result)) = answer {
        ledger.record(0, item, result);
    }
    answer.is_none()
}

fn main() -> ExitCode {
    init(&[&SLOW_CONSUMER]);
    let args: Args = lesson::parse_args();
    let slept = Duration::from_millis((args.items.div_ceil(args.consumers) * args.work_ms) as u64);
    estimate::warn_if_heavy(estimate::sleeping(slept)); // every consumer's share of the simulated work
    lesson::header("empty_is_not_done: an empty queue is not a finished one");
    run(&args).unwrap_or_else(Failure::report)
}

fn run(args: &Args) -> lesson::Result<ExitCode> {
    let (n, items) = (args.consumers, args.items as u64);
    let pause = Duration::from_millis(args.work_ms as u64);
    let (results_tx, results) = ipc::channel::<Answer>()?;
    let mut consumers: Vec<Process<()>> = Vec::with_capacity(n);
    for id in 0..n {
        let (tx, rx) = ipc::channel::<Option<u64>>()?;
        consumers.push(spawn(&SLOW_CONSUMER, (rx, results_tx.clone(), pause))?);
        for item in (id as u64..items).step_by(n) {
            tx.send(Some(item))?;
        }
        tx.send(None)?; // the sentinel
    }
    drop(results_tx); // only the consumers can send results now
    println!("{items} items dealt to {n} consumers, {pause:?} of work each");

    let mut ledger = Ledger::new(items, 1);
    let started = Instant::now();
    // ANCHOR: tutorial_loop
    // The tutorial's `while not results_queue.empty(): results.append(results_queue.get())`.
    let mut finished = 0;
    while let Ok(report) = results.try_recv() {
        finished += usize::from(record(report, &mut ledger));
    }
    // ANCHOR_END: tutorial_loop
    let early = ledger.received();
    // ANCHOR: end_markers
    while finished < n {
        match results.try_recv_timeout(WAIT) {
            Ok(report) => finished += usize::from(record(report, &mut ledger)),
            Err(_) => break, // a consumer died or went silent
        }
    }
    // ANCHOR_END: end_markers
    let waited = started.elapsed();
    let exits: Vec<_> = consumers
        .iter_mut()
        .map(|c| c.join_timeout(WAIT).ok().flatten())
        .collect();
    if finished < n {
        let why = format!("only {finished} of {n} consumers sent their end marker: one died");
        return Err(Failure::msg(why)); // a failed run: no count and no time from it
    }
    println!(
        "the empty() loop stopped at once with {early} of {items} results\n\
         waiting for {n} end markers took {} and brought the other {}",
        lesson::human(waited),
        ledger.received() - early
    );
    // ANCHOR: closed
    let closed = matches!(
        results.try_recv(),
        Err(TryRecvError::IpcError(IpcError::Disconnected))
    );
    // ANCHOR_END: closed
    println!("after every consumer exited, the channel reads as closed: {closed}");
    let mut checks = Checks::new();
    let due = items - early;
    checks.check(
        format!("the empty() loop stopped with {due} results still due"),
        due > 0,
    );
    checks.check(
        format!(
            "waiting for the end markers got every result: {} missing, {} duplicated, {} wrong",
            ledger.missing(),
            ledger.duplicates(),
            ledger.wrong()
        ),
        ledger.exact(),
    );
    checks.check(
        "every consumer exited 0 and was reaped",
        exits.iter().all(|e| e.is_some_and(|e| e.success())),
    );
    checks.check(
        "with every sender gone, the channel read as closed, not empty",
        closed,
    );
    Ok(checks.finish())
}
