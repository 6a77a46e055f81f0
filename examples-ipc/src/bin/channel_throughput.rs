//! How many messages per second a channel carries: std's `mpsc` and crossbeam-channel between two
//! threads, ipc-channel between two processes, each with one number per message and with numbers
//! batched into `Vec<u64>`s. The tutorials pass work through `multiprocessing.Queue` one item at a
//! time; this lesson measures what one message costs, and what batching saves, so the queue
//! lessons' design choices have numbers behind them. Every run checks that exactly the numbers
//! sent arrived (count and sum).
//!
//! Rust only: what one message costs between threads and between processes, and what batching saves.

use clap::Parser;
use examples_ipc::estimate;
use examples_ipc::throughput::{Kind, SEND_NUMBERS, expected_sum, measure};
use lesson::{Checks, Table, usize_in};
use multiproc::init;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Messages per second through thread and process channels")]
struct Args {
    /// Numbers to send through each channel, in each mode.
    #[arg(long, default_value_t = 300_000, value_parser = usize_in(1, 100_000_000))]
    messages: usize,
    /// Numbers per message in the batched runs.
    #[arg(long, default_value_t = 1024, value_parser = usize_in(2, 1_000_000))]
    batch: usize,
}

fn rate(per_sec: f64) -> String {
    if per_sec >= 1e6 {
        format!("{:.1}M/s", per_sec / 1e6)
    } else {
        format!("{:.0}k/s", per_sec / 1e3)
    }
}

fn main() -> ExitCode {
    init(&[&SEND_NUMBERS]);
    let args: Args = lesson::parse_args();
    // One at a time and batched, through two thread channels and one process channel.
    estimate::warn_if_heavy(estimate::messages(args.messages, 2 * args.messages));
    lesson::header("channel_throughput: messages per second, one at a time and batched");
    let items = args.messages as u64;
    println!(
        "each run sends the numbers 0..{items} (sum {}) from one sender to one receiver",
        expected_sum(items)
    );
    let mut checks = Checks::new();
    let mut table = Table::new([
        "channel",
        "between",
        "per message",
        "messages",
        "time",
        "numbers/s",
    ]);
    // ANCHOR: runs
    for kind in Kind::ALL {
        for batch in [1, args.batch] {
            let what = format!("{} with {batch} per message", kind.name());
            // Only a run whose numbers all arrived, and add up, gets a row: a figure from a
            // failed run would measure nothing.
            match measure(kind, items, batch) {
                Ok(run) if run.verified(items) => {
                    table.row([
                        kind.name().to_string(),
                        kind.between().to_string(),
                        if batch == 1 {
                            "1 u64".into()
                        } else {
                            format!("Vec of {batch}")
                        },
                        run.messages.to_string(),
                        lesson::human(run.elapsed),
                        rate(run.items_per_sec()),
                    ]);
                    checks.check(
                        format!("{what}: {} numbers arrived, sum correct", run.items),
                        true,
                    );
                }
                Ok(run) => {
                    let got = format!("{} numbers arrived, sum {}", run.items, run.sum);
                    checks.check(format!("{what}: {got}"), false);
                }
                Err(err) => {
                    checks.check(format!("{what}: {err}"), false);
                }
            }
        }
    }
    // ANCHOR_END: runs
    println!();
    print!("{table}");
    println!("(ipc-channel times include starting the child process; yours will differ)");
    checks.finish()
}
