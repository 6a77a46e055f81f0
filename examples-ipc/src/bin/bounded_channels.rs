//! Back-pressure: the same producer/consumer run between threads over an unbounded channel, a
//! rendezvous channel (`bounded(0)`) and bounded ones, timed, with the largest backlog the producer
//! saw. An unbounded queue lets a fast producer run ahead without limit; a bounded one makes it
//! wait for the consumers, with at most the bound in memory. Every run is accounted for exactly.
//!
//! Rust only: a bounded channel blocks its producer at a capacity you choose, so a fast producer cannot fill memory.

use clap::Parser;
use crossbeam_channel::{bounded, unbounded};
use examples_ipc::thread_queue;
use lesson::{Checks, Table, usize_in};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Unbounded, rendezvous and bounded channels between threads: back-pressure")]
struct Args {
    /// Consumer threads.
    #[arg(long, default_value_t = 3, value_parser = usize_in(1, 16))]
    consumers: usize,
    /// Items per run.
    #[arg(long, default_value_t = 200_000, value_parser = usize_in(1, 10_000_000))]
    items: usize,
}

// ANCHOR: channels
/// The work channels compared: a name, and a capacity (`None`: unbounded).
const CHANNELS: [(&str, Option<usize>); 4] = [
    ("unbounded", None),
    ("bounded(0): rendezvous", Some(0)),
    ("bounded(16)", Some(16)),
    ("bounded(1024)", Some(1024)),
];
// ANCHOR_END: channels

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    lesson::header("bounded_channels: back-pressure between threads");
    let (items, consumers) = (args.items as u64, args.consumers);
    println!("{items} items, 1 producer thread -> {consumers} consumer threads -> this thread");
    let mut checks = Checks::new();
    let mut table = Table::new(["work channel", "time", "items/s", "largest backlog"]);
    // ANCHOR: runs
    for (name, bound) in CHANNELS {
        let channel = bound.map_or_else(unbounded, bounded);
        let run = thread_queue::run(items, consumers, channel);
        // A run that lost or garbled items measured nothing: its row shows no figure.
        let figure = |f: String| if run.ledger.exact() { f } else { "-".into() };
        table.row([
            name.to_string(),
            figure(lesson::human(run.elapsed)),
            figure(format!(
                "{:.0}",
                items as f64 / run.elapsed.as_secs_f64().max(1e-9)
            )),
            figure(run.peak_backlog.to_string()),
        ]);
        checks.check(
            format!(
                "{name}: results == items ({} missing, {} duplicated, {} wrong)",
                run.ledger.missing(),
                run.ledger.duplicates(),
                run.ledger.wrong()
            ),
            run.ledger.exact(),
        );
        if let Some(bound) = bound {
            checks.check(
                format!("{name}: the backlog never exceeded the bound"),
                run.peak_backlog <= bound,
            );
        }
    }
    // ANCHOR_END: runs
    println!("{table}(largest backlog: items queued and not yet taken, seen after each send)");
    checks.finish()
}
