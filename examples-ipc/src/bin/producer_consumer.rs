//! The headline IPC lesson: one producer process (this one) and several consumer processes, a work
//! queue out and a results queue back, ended by sentinels, with every item accounted for.
//! Translates the `Queue` producer/consumer example of tutorial 002. ipc-channel receivers are
//! single-consumer, so the producer deals batches over one channel per consumer, holding credits
//! so that it never blocks on a full pipe (ipc-channel #275, which the lesson also demonstrates);
//! every consumer answers on one shared results channel. It also shows why the tutorial's
//! `while not q.empty()` is a race, and, with `--kill-consumer-after`, what a killed consumer
//! costs: exactly the items it had in flight, reported, with every process reaped.

use clap::Parser;
use lesson::{Checks, Table, usize_in};
use multiproc::init;
use multiproc::queue::{self, CONSUMER, Options};
use std::process::ExitCode;
use std::time::Duration;

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
    /// SIGKILL consumer 0 once this many items have been dealt (must be below --items).
    #[arg(long, value_parser = usize_in(1, 10_000_000))]
    kill_consumer_after: Option<usize>,
}

fn main() -> ExitCode {
    init(&[&CONSUMER]);
    let args: Args = lesson::parse_args();
    if let Some(k) = args.kill_consumer_after
        && k >= args.items
    {
        lesson::usage_error(format!(
            "--kill-consumer-after {k} must be below --items {}",
            args.items
        ));
    }
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
    let mut options = Options::new(args.items as u64, args.consumers, args.batch);
    options.kill_consumer_after = args.kill_consumer_after.map(|k| k as u64);
    let report = match queue::run(&options) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: the queue could not run: {err}");
            return ExitCode::FAILURE;
        }
    };
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
    let mut table = Table::new(["consumer", "PID", "results", "share", "end marker", "exit"]);
    for (c, r) in report.consumers.iter().enumerate() {
        table.row([
            c.to_string(),
            r.pid.to_string(),
            r.results.to_string(),
            format!(
                "{:.1}%",
                100.0 * r.results as f64 / ledger.received().max(1) as f64
            ),
            r.finished
                .map_or("none".to_string(), |h| format!("handled {h}")),
            r.exit.map_or("not reaped".to_string(), |e| e.to_string()),
        ]);
    }
    println!("\n{table}");
    match report.first_empty_at {
        Some(at) => println!(
            "the empty() pitfall: the results channel looked empty {} times while results were \
             still due; a `while not results.empty()` loop would have \
             stopped after {at} of {} results. This run waits for every consumer's end marker instead.",
            report.looked_empty, args.items
        ),
        None => println!(
            "the empty() pitfall: this time the results channel never looked empty too early; \
             it can, so the run waits for every consumer's end marker, not for an empty queue."
        ),
    }

    let mut checks = Checks::new();
    if let Some((dead, dealt)) = report.killed {
        let r = &report.consumers[dead];
        println!(
            "fault: consumer {dead} (PID {}) was killed after {} items had been dealt; it had {} \
             items unanswered; {} items have no result",
            r.pid,
            dealt,
            r.unanswered,
            ledger.missing()
        );
        checks.check(
            "the lost items are exactly the dead consumer's unanswered ones",
            ledger.missing() == report.consumers.iter().map(|r| r.unanswered).sum::<u64>(),
        );
    }

    let demo = queue::unread_sends_before_blocking(2_000, Duration::from_millis(300));
    match &demo {
        Ok(d) => match d.blocked_after {
            Some(n) => println!(
                "ipc-channel #275: with nobody reading, send blocked after {n} small messages \
                 (seen by a 300 ms watchdog); reading then let all {} through",
                d.received
            ),
            None => println!(
                "ipc-channel #275: all {} unread sends returned on this system",
                d.attempted
            ),
        },
        Err(err) => println!("ipc-channel #275 demo could not run: {err}"),
    }

    // ANCHOR: checks
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
    checks.check(
        "the #275 demo read back every message it sent",
        demo.is_ok_and(|d| d.received == d.attempted),
    );
    // ANCHOR_END: checks
    checks.finish()
}
