//! One counter, several threads, four ways to add to it. The unsynchronized `counter += 1` that
//! Python runs (and that can lose updates) does not compile in Rust at all: that version lives in
//! a `compile_fail` doctest. What does compile can still be wrong: an atomic `load` followed by a
//! `store` loses updates without any unsafety. `std::sync::Mutex`, `parking_lot::Mutex` and
//! `AtomicU64::fetch_add` are exact; the table shows what each costs per increment.
//!
//! Rust only: the unsynchronized `counter += 1` that Python runs does not compile in Rust.

use std::process::ExitCode;

use clap::Parser;
use examples_sync::Strategy;
use lesson::{Checks, Table, human, timed, usize_in};

#[derive(Parser, Debug)]
#[command(about = "A shared counter: a safe race that loses updates, and three exact counters")]
struct Args {
    /// How many threads add to the counter
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 64))]
    threads: usize,
    /// How many times each thread adds one
    #[arg(long, default_value_t = 1_000_000, value_parser = usize_in(1, 10_000_000))]
    increments: usize,
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let (threads, increments) = (args.threads, args.increments as u64);
    let expected = threads as u64 * increments;
    lesson::header("thread_counter: one counter, many threads");
    println!("{threads} threads x {increments} increments each: expected total {expected}");
    let mut checks = Checks::new();

    println!("\n-- what Rust refuses --");
    println!("`counter += 1` on a shared u64 from several threads does not compile:");
    println!("  error[E0499]: cannot borrow `counter` as mutable more than once at a time");
    println!("  (the whole program is a compile_fail doctest: cargo test -p examples-sync --doc)");

    println!("\n-- a safe race: atomic load, then store --");
    let (racy, racy_time) = timed(|| Strategy::LoadThenStore.run(threads, increments));
    let lost = expected - racy.min(expected);
    println!(
        "total {racy} of {expected}: {lost} updates lost ({:.1}%)",
        100.0 * lost as f64 / expected as f64
    );
    checks.check(
        "the load-then-store race never counts more than was added",
        racy <= expected,
    );
    if threads == 1 {
        checks.check("with one thread, nothing is lost", racy == expected);
    }

    println!("\n-- exact counters, timed --");
    // ANCHOR: table
    let mut table = Table::new(["strategy", "total", "lost", "time", "ns per increment"]);
    let per_increment = |d: std::time::Duration| d.as_secs_f64() * 1e9 / expected as f64;
    table.row([
        Strategy::LoadThenStore.name().to_string(),
        racy.to_string(),
        lost.to_string(),
        human(racy_time),
        format!("{:.1}", per_increment(racy_time)),
    ]);
    for strategy in [
        Strategy::StdMutex,
        Strategy::ParkingLotMutex,
        Strategy::FetchAdd,
    ] {
        let (total, time) = timed(|| strategy.run(threads, increments));
        checks.check(
            format!("{} counts exactly {expected}", strategy.name()),
            total == expected,
        );
        table.row([
            strategy.name().to_string(),
            total.to_string(),
            (expected - total.min(expected)).to_string(),
            human(time),
            format!("{:.1}", per_increment(time)),
        ]);
    }
    // ANCHOR_END: table
    println!("\n{table}");
    checks.finish()
}
