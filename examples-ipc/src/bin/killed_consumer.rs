//! A consumer process killed mid-stream: the producer/consumer queue keeps going, and what is lost
//! is exactly what the dead consumer held, counted, with every process reaped and no hang.
//!
//! Rust only: the tutorial's consumers never die; a killed one costs exactly the items it held unanswered, reported, never a hang.
//!
//! The producer sends SIGKILL to consumer 0 once `--kill-after` items have been dealt. It keeps
//! dealing to the others, which still hold credit, and sends them their sentinels. Consumer 0
//! never sends its end marker: once the results channel has been quiet for a moment, the producer
//! asks each process handle whether its consumer still lives, stops waiting for the dead one, and
//! reaps everyone.

use clap::Parser;
use examples_ipc::queue_table::consumer_table;
use lesson::{Checks, Failure, usize_in};
use multiproc::queue::{self, CONSUMER, Options};
use multiproc::{Exit, init, signal};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "A consumer process killed mid-stream: what is lost, and nothing hangs")]
struct Args {
    /// Consumer processes (at least 2: someone has to survive).
    #[arg(long, default_value_t = 3, value_parser = usize_in(2, 16))]
    consumers: usize,
    /// Items to produce.
    #[arg(long, default_value_t = 200_000, value_parser = usize_in(2, 10_000_000))]
    items: usize,
    /// Items per message.
    #[arg(long, default_value_t = 256, value_parser = usize_in(1, 65_536))]
    batch: usize,
    /// SIGKILL consumer 0 once this many items have been dealt (must be below --items).
    #[arg(long, default_value_t = 50_000, value_parser = usize_in(1, 10_000_000))]
    kill_after: usize,
}

/// The consumer the producer kills.
const VICTIM: usize = 0;

fn main() -> ExitCode {
    init(&[&CONSUMER]);
    let args: Args = lesson::parse_args();
    if args.kill_after >= args.items {
        lesson::usage_error(format!(
            "--kill-after {} must be below --items {}",
            args.kill_after, args.items
        ));
    }
    lesson::header("killed_consumer: a consumer process killed mid-stream");
    println!(
        "{} items in batches of {} to {} consumers; consumer {VICTIM} gets SIGKILL after {} \
         items have been dealt",
        args.items, args.batch, args.consumers, args.kill_after
    );
    // ANCHOR: run
    let mut options = Options::new(args.items as u64, args.consumers, args.batch);
    options.kill_consumer_after = Some(args.kill_after as u64);
    let report = match queue::run(&options) {
        Ok(report) => report,
        Err(err) => return Failure::from(err).report(),
    };
    // ANCHOR_END: run
    if let Some(why) = report.failure() {
        return Failure::msg(why).report(); // no figure from a run that failed
    }
    let ledger = &report.ledger;
    let dead = &report.consumers[VICTIM];
    let survivors = &report.consumers[VICTIM + 1..];
    println!(
        "dealt {} items, got {} results in {}\n\n{}",
        report.dealt,
        ledger.received(),
        lesson::human(report.elapsed),
        consumer_table(&report)
    );
    if let Some((_, dealt)) = report.killed {
        println!(
            "consumer {VICTIM} (PID {}) was killed after {dealt} items had been dealt; it had {} \
             items unanswered; {} items have no result",
            dead.pid,
            dead.unanswered,
            ledger.missing()
        );
    }

    // ANCHOR: checks
    let mut checks = Checks::new();
    checks.check(
        format!("consumer {VICTIM} was killed by SIGKILL and reaped"),
        report.killed.is_some() && dead.exit == Some(Exit::Signal(signal::KILL)),
    );
    checks.check(
        "the survivors took every item still to deal",
        report.dealt == args.items as u64,
    );
    checks.check(
        format!(
            "the {} lost items are exactly the dead consumer's unanswered ones",
            ledger.missing()
        ),
        ledger.missing() == dead.unanswered,
    );
    checks.check(
        "no result arrived twice or wrong",
        ledger.duplicates() == 0 && ledger.wrong() == 0,
    );
    checks.check(
        "every survivor sent its end marker, with the count it was sent, and exited 0",
        survivors
            .iter()
            .all(|r| r.finished == Some(r.results) && r.exit.is_some_and(|e| e.success())),
    );
    checks.check(
        "the producer noticed the death itself: no stall",
        !report.stalled,
    );
    // ANCHOR_END: checks
    checks.finish()
}
