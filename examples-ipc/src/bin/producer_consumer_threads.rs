//! The producer/consumer queue with threads and crossbeam-channel instead of processes, and how it
//! ends. crossbeam's channels are multi-consumer, so the consumers really share one queue, as
//! Python's do. First the tutorial's ending, one sentinel that each consumer passes on; then
//! Rust's usual ending, which needs no sentinel at all: a receiver's loop ends once the last
//! sender is dropped, and a sender left behind keeps it waiting.
//!
//! Rust only: a multi-consumer channel between threads ends when the last sender is dropped, no sentinel needed.

use clap::Parser;
use crossbeam_channel::{RecvTimeoutError, unbounded};
use examples_ipc::thread_queue;
use lesson::{Checks, usize_in};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Producer and consumer threads over crossbeam channels: how the queue ends")]
struct Args {
    /// Consumer threads.
    #[arg(long, default_value_t = 3, value_parser = usize_in(1, 16))]
    consumers: usize,
    /// Items per run.
    #[arg(long, default_value_t = 200_000, value_parser = usize_in(1, 10_000_000))]
    items: usize,
}

/// How long the lesson waits on a channel that still has a sender before calling it stuck.
const PATIENCE: Duration = Duration::from_millis(100);

/// The tutorial's ending runs on at most this many items: it is about who stops, not about speed.
const PASS_ON_ITEMS: u64 = 10_000;

// ANCHOR: pass_on
/// The tutorial's protocol on a shared queue: one `None` for everybody; a consumer that takes it
/// puts it back for the next one and stops. Returns how many items each consumer handled and
/// what was left in the queue.
fn sentinel_passed_on(items: u64, consumers: usize) -> (Vec<u64>, Vec<Option<u64>>) {
    let (tx, rx) = unbounded::<Option<u64>>();
    let handled = thread::scope(|s| {
        let workers: Vec<_> = (0..consumers)
            .map(|_| {
                let (tx, rx) = (tx.clone(), rx.clone());
                s.spawn(move || {
                    let mut n = 0;
                    while let Ok(Some(_)) = rx.recv() {
                        n += 1;
                    }
                    let _ = tx.send(None); // pass it on
                    n
                })
            })
            .collect();
        for i in 0..items {
            let _ = tx.send(Some(i));
        }
        let _ = tx.send(None);
        workers.into_iter().map(|w| w.join().unwrap_or(0)).collect()
    });
    (handled, rx.try_iter().collect())
}
// ANCHOR_END: pass_on

// ANCHOR: forgotten
/// A receiver whose channel still has one sender, kept here: it waits instead of ending. Once that
/// sender is dropped, the same call reports the channel closed at once.
fn forgotten_sender() -> (Option<RecvTimeoutError>, Option<RecvTimeoutError>) {
    let (tx, rx) = unbounded::<u64>();
    let forgotten = tx.clone();
    drop(tx);
    let waiting = rx.recv_timeout(PATIENCE).err();
    drop(forgotten);
    (waiting, rx.recv_timeout(PATIENCE).err())
}
// ANCHOR_END: forgotten

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    lesson::header("producer_consumer_threads: crossbeam channels between threads");
    let (items, consumers) = (args.items as u64, args.consumers);
    let mut checks = Checks::new();

    let small = items.min(PASS_ON_ITEMS);
    let (handled, left) = sentinel_passed_on(small, consumers);
    println!(
        "the tutorial's ending: one sentinel passed on by each of {consumers} consumers; \
         handled {handled:?}; left in the queue: {left:?}"
    );
    checks.check(
        "passing the sentinel on stopped every consumer after all items",
        handled.iter().sum::<u64>() == small && left == vec![None],
    );

    let run = thread_queue::run(items, consumers, unbounded());
    // A run that lost or garbled items measured nothing: no time for it.
    let took = if run.ledger.exact() {
        lesson::human(run.elapsed)
    } else {
        "(failed)".into()
    };
    println!(
        "Rust's ending, no sentinel: {items} items, 1 producer thread -> {consumers} consumer \
         threads -> this thread in {took}; every loop ended when its last sender was dropped"
    );
    checks.check(
        format!(
            "results == items ({} missing, {} duplicated, {} wrong)",
            run.ledger.missing(),
            run.ledger.duplicates(),
            run.ledger.wrong()
        ),
        run.ledger.exact(),
    );

    let (waiting, ended) = forgotten_sender();
    println!(
        "a sender left behind: recv gave {waiting:?} after {PATIENCE:?}; \
         once it was dropped: {ended:?}"
    );
    checks.check(
        "a channel with a sender left waits; without one it reports closed",
        waiting == Some(RecvTimeoutError::Timeout) && ended == Some(RecvTimeoutError::Disconnected),
    );
    checks.finish()
}
