//! The producer/consumer lesson with threads and crossbeam-channel instead of processes: a Rust
//! contrast to tutorial 002's `Queue` example. crossbeam's channels are multi-consumer, so the
//! consumers really share one queue, as Python's do. First the tutorial's own ending, one sentinel
//! that each consumer passes on; then Rust's usual ending, which needs no sentinel at all: a
//! receiver's iterator ends once the last sender is dropped. Then back-pressure: the same run over
//! an unbounded channel, a rendezvous channel (`bounded(0)`) and bounded ones, timed, with the
//! largest backlog the producer saw. Every run is accounted for exactly.

use clap::Parser;
use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use lesson::{Checks, Table, usize_in};
use multiproc::queue::{Ledger, work};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Producer and consumer threads over crossbeam channels: ending, back-pressure")]
struct Args {
    /// Consumer threads.
    #[arg(long, default_value_t = 3, value_parser = usize_in(1, 16))]
    consumers: usize,
    /// Items per run.
    #[arg(long, default_value_t = 200_000, value_parser = usize_in(1, 10_000_000))]
    items: usize,
}

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
                    while let Ok(msg) = rx.recv() {
                        match msg {
                            Some(_) => n += 1,
                            None => {
                                let _ = tx.send(None); // pass it on
                                break;
                            }
                        }
                    }
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

/// What one run over one kind of channel measured.
struct Run {
    ledger: Ledger,
    elapsed: Duration,
    peak_backlog: usize,
}

// ANCHOR: run
/// Producer thread -> `consumers` threads -> this thread, over `work` and a results channel. Nobody
/// sends a sentinel: each loop ends when the channel's last sender is gone.
fn run(items: u64, consumers: usize, work_q: (Sender<u64>, Receiver<u64>)) -> Run {
    let (work_tx, work_rx) = work_q;
    let (results_tx, results_rx) = unbounded::<(usize, u64, u64)>();
    let mut ledger = Ledger::new(items, consumers);
    let start = Instant::now();
    let peak_backlog = thread::scope(|s| {
        for id in 0..consumers {
            let (rx, tx) = (work_rx.clone(), results_tx.clone());
            s.spawn(move || {
                for item in rx {
                    let _ = tx.send((id, item, work(item)));
                }
            });
        }
        drop((work_rx, results_tx)); // keep only the consumers' copies
        let producer = s.spawn(move || {
            let mut peak = 0;
            for item in 0..items {
                // Blocks while a bounded channel is full: that is back-pressure.
                let _ = work_tx.send(item);
                peak = peak.max(work_tx.len());
            }
            peak // `work_tx` is dropped here: the consumers' loops end
        });
        // Ends when every consumer has dropped its results sender.
        for (id, item, result) in results_rx {
            ledger.record(id, item, result);
        }
        producer.join().unwrap_or(0)
    });
    Run {
        ledger,
        elapsed: start.elapsed(),
        peak_backlog,
    }
}
// ANCHOR_END: run

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    lesson::header("producer_consumer_threads: crossbeam channels between threads");
    let (items, consumers) = (args.items as u64, args.consumers);
    let mut checks = Checks::new();

    let (handled, left) = sentinel_passed_on(items.min(10_000), consumers);
    println!(
        "the tutorial's ending: one sentinel passed on by each of {consumers} consumers; \
         handled {:?}; left in the queue: {left:?}",
        handled
    );
    checks.check(
        "passing the sentinel on stopped every consumer after all items",
        handled.iter().sum::<u64>() == items.min(10_000) && left == vec![None],
    );

    println!(
        "\nRust's ending: no sentinel; {items} items, 1 producer thread -> {consumers} consumer \
         threads -> this thread"
    );
    let mut table = Table::new(["work channel", "time", "items/s", "largest backlog"]);
    for (name, bound) in [
        ("unbounded", None),
        ("bounded(0): rendezvous", Some(0)),
        ("bounded(16)", Some(16)),
        ("bounded(1024)", Some(1024)),
    ] {
        let channel = bound.map_or_else(unbounded, bounded);
        let r = run(items, consumers, channel);
        table.row([
            name.to_string(),
            lesson::human(r.elapsed),
            format!("{:.0}", items as f64 / r.elapsed.as_secs_f64().max(1e-9)),
            r.peak_backlog.to_string(),
        ]);
        checks.check(
            format!(
                "{name}: results == items ({} missing, {} duplicated, {} wrong)",
                r.ledger.missing(),
                r.ledger.duplicates(),
                r.ledger.wrong()
            ),
            r.ledger.exact(),
        );
        if let Some(bound) = bound {
            checks.check(
                format!("{name}: the backlog never exceeded the bound"),
                r.peak_backlog <= bound,
            );
        }
    }
    println!("{table}(largest backlog: items queued and not yet taken, seen after each send)");
    checks.finish()
}
