//! Memory ordering: what one thread's writes look like from another. Three scenes, each with the
//! ordering it needs. A handoff (write a number, raise a flag) needs `Release` on the flag's
//! store and `Acquire` on its load, so the number travels with the flag; with `Relaxed` the
//! reader may see the flag and a stale number. A run that shows no stale read proves nothing
//! (x86 never reorders two stores; the compiler still may): `tests/loom.rs` finds the execution
//! where it happens. The store-buffer test needs `SeqCst`: with `Release`/`Acquire` both threads
//! can miss each other's store, and on x86 they do.
//! A counter needs nothing but `Relaxed`. Every value is an atomic, so nothing here is
//! undefined behaviour, only wrong or right.
//!
//! Rust only: Python exposes no memory model: in the default CPython build the GIL orders every access, so no Python program can observe a reordering.

use std::process::ExitCode;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release, SeqCst};

use clap::Parser;
use examples_concepts::{handoff, relaxed_counter, store_buffer};
use lesson::{Checks, Table, timed, usize_in};

#[derive(Parser, Debug)]
#[command(about = "Memory ordering: Release/Acquire, SeqCst, Relaxed")]
struct Args {
    /// How many rounds each litmus test runs
    #[arg(long, default_value_t = 200_000, value_parser = usize_in(1_000, 2_000_000))]
    rounds: usize,
}

/// The counter scene: how many threads, adding one how many times each.
const COUNTER_THREADS: usize = 2;
const INCREMENTS: u64 = 1_000_000;

/// What the `Relaxed` handoff's count means here. Zero stale reads prove nothing: `Relaxed` lets
/// the compiler and the CPU swap the two stores, and this run merely did not catch them at it.
fn relaxed_verdict(stale: usize) -> &'static str {
    if stale > 0 {
        "Relaxed: the reader saw the flag before the number, the bug caught on this machine"
    } else if cfg!(any(target_arch = "x86_64", target_arch = "x86")) {
        "Relaxed got away with it: neither this compiler nor this x86 CPU swapped the two stores \
         (x86 never does); tests/loom.rs finds the execution where it fails"
    } else {
        "Relaxed got away with it this time: this CPU may swap the two stores, this run did not \
         catch it; tests/loom.rs finds the execution where it fails"
    }
}

fn main() -> ExitCode {
    let Args { rounds } = lesson::parse_args();
    lesson::header("memory_ordering: Release/Acquire, SeqCst, Relaxed");
    let per_cent = |n: usize| format!("{:.3}%", 100.0 * n as f64 / rounds as f64);

    println!("\n-- a handoff: write a number, raise a flag; {rounds} rounds --");
    // ANCHOR: calls
    let proper = handoff(rounds, Release, Acquire);
    let relaxed = handoff(rounds, Relaxed, Relaxed);
    let mut table = Table::new(["flag store / load", "stale reads"]);
    table.row(["Release / Acquire", &proper.to_string()]);
    table.row(["Relaxed / Relaxed", &relaxed.to_string()]);
    print!("{table}");
    println!("{}", relaxed_verdict(relaxed));

    println!("\n-- the store buffer: set my flag, read yours; {rounds} rounds --");
    let both_missed_weak = store_buffer(rounds, Release, Acquire);
    let both_missed_seq = store_buffer(rounds, SeqCst, SeqCst);
    // ANCHOR_END: calls
    let mut table = Table::new(["store / load", "both read 0", "share"]);
    let weak = both_missed_weak.to_string();
    table.row(["Release / Acquire", &weak, &per_cent(both_missed_weak)]);
    let seq = both_missed_seq.to_string();
    table.row(["SeqCst / SeqCst", &seq, &per_cent(both_missed_seq)]);
    print!("{table}");
    if both_missed_weak == 0 {
        println!("(no round caught it this time: the two threads rarely start close enough)");
    }

    println!("\n-- a counter: {COUNTER_THREADS} threads x {INCREMENTS} Relaxed fetch_add --");
    let (total, counter_time) = timed(|| relaxed_counter(COUNTER_THREADS, INCREMENTS));
    println!("total: {total} in {}", lesson::human(counter_time));

    let mut checks = Checks::new();
    checks.check(
        "Release/Acquire: the reader saw the number in every round",
        proper == 0,
    );
    checks.check(
        "SeqCst: in no round did both threads miss the other's store",
        both_missed_seq == 0,
    );
    checks.check(
        format!(
            "Relaxed fetch_add counted all {}",
            COUNTER_THREADS as u64 * INCREMENTS
        ),
        total == COUNTER_THREADS as u64 * INCREMENTS,
    );
    checks.finish()
}
