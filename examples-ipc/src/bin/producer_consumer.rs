//! The headline IPC lesson: one producer process (this one) and several consumer processes, a work
//! queue out and a results queue back, ended by sentinels, with every item accounted for.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Inter-Process Communication", the `Queue` with `None` sentinels.
//!
//! ipc-channel receivers are single-consumer, so the producer deals batches over one channel per
//! consumer, holding credits so that it never blocks on a full pipe; every consumer answers on one
//! shared results channel and ends with an end marker after its sentinel. The producer stops when
//! it holds every end marker, then checks the results item by item.

use clap::Parser;
use examples_ipc::queue_table::consumer_table;
use lesson::{Checks, Failure, usize_in};
use multiproc::init;
use multiproc::queue::{self, CONSUMER, Options};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "One producer process, several consumer processes, every item accounted for")]
struct Args {
    /// Consumer processes.
    #[arg(long, default_value_t = 3, value_parser = usize_in(1, 16))]
    consumers: usize,
    /// Items to produce (0, 1, 2, ...).
    #[arg(long, default_value_t = 200_000, value_parser = usize_in(1, 10_000_000))]
    items: usize,
    /// Items per message; 1 is the tutorial's one-item-per-put shape.
    #[arg(long, default_value_t = 256, value_parser = usize_in(1, 65_536))]
    batch: usize,
}

fn main() -> ExitCode {
    init(&[&CONSUMER]);
    let args: Args = lesson::parse_args();
    lesson::header("producer_consumer: one producer, several consumer processes");
    println!(
        "producer PID={}: {} items in batches of {}, dealt to {} consumers over one channel each; \
         credits: {} messages / {} items in flight per consumer",
        std::process::id(),
        args.items,
        args.batch,
        args.consumers,
        queue::CREDITS.messages,
        queue::CREDITS.items
    );
    // ANCHOR: run
    let options = Options::new(args.items as u64, args.consumers, args.batch);
    let report = match queue::run(&options) {
        Ok(report) => report,
        Err(err) => return Failure::from(err).report(),
    };
    // ANCHOR_END: run
    if let Some(why) = report.failure() {
        return Failure::msg(why).report(); // no figure from a run that failed
    }
    let ledger = &report.ledger;
    println!(
        "started {} consumers in {}; dealt {} items, got {} results in {}: {:.0} items/s",
        args.consumers,
        lesson::human(report.startup),
        report.dealt,
        ledger.received(),
        lesson::human(report.elapsed),
        report.items_per_sec()
    );
    println!("\n{}", consumer_table(&report));

    // ANCHOR: checks
    let mut checks = Checks::new();
    checks.check("every item was dealt", report.dealt == args.items as u64);
    checks.check(
        format!(
            "results == items: {} missing, {} duplicated, {} wrong",
            ledger.missing(),
            ledger.duplicates(),
            ledger.wrong()
        ),
        ledger.exact(),
    );
    checks.check(
        "every consumer sent its end marker, with the count it was sent",
        report
            .consumers
            .iter()
            .all(|r| r.finished == Some(r.results)),
    );
    checks.check(
        "every consumer exited 0 and was reaped",
        report
            .consumers
            .iter()
            .all(|r| r.exit.is_some_and(|e| e.success())),
    );
    checks.check("no stall", !report.stalled);
    // ANCHOR_END: checks
    checks.finish()
}
