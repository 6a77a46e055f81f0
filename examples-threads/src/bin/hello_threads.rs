//! Threads from scratch: spawn named workers, get each one's answer back through its
//! `JoinHandle`, and see a panic in a thread arrive at `join` as an `Err`. The Python tutorial
//! shows the same life cycle with `Process(target=...).start()/.join()`; Python's threads cannot
//! return a value and a thread's exception never reaches `join`, so this is where Rust's version
//! of the story starts to differ.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Multiprocessing Fundamentals", the process life cycle done with threads.

use std::process::ExitCode;
use std::thread;

use clap::Parser;
use lesson::{Checks, Table, usize_in};

#[derive(Parser, Debug)]
#[command(about = "Spawn, name and join threads; a panic seen at join")]
struct Args {
    /// How many worker threads to start
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 32))]
    threads: usize,
}

/// Worker `i` sums 1..=(STEP * (i + 1)).
const STEP: u64 = 1000;

// ANCHOR: worker
/// Says which thread it runs on, then returns a sum that differs for every worker: checkable.
fn worker(index: u64) -> u64 {
    let me = thread::current();
    println!(
        "  {} (id {:?}) starts",
        me.name().unwrap_or("unnamed"),
        me.id()
    );
    (1..=STEP * (index + 1)).sum()
}
// ANCHOR_END: worker

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    lesson::header("hello_threads: spawn, join, return values, panics");
    println!(
        "main thread id {:?}; starting {} workers",
        thread::current().id(),
        args.threads
    );

    // ANCHOR: spawn_join
    let handles: Vec<_> = (0..args.threads as u64)
        .map(|i| {
            thread::Builder::new()
                .name(format!("worker-{i}"))
                .spawn(move || worker(i))
                .expect("the OS refused a new thread")
        })
        .collect();
    // `join` waits for the thread and hands back whatever its closure returned.
    let answers: Vec<u64> = handles
        .into_iter()
        .map(|h| h.join().expect("worker panicked"))
        .collect();
    // ANCHOR_END: spawn_join

    let mut checks = Checks::new();
    let mut table = Table::new(["thread", "returned", "expected"]);
    let mut all_right = true;
    for (i, &got) in answers.iter().enumerate() {
        let n = STEP * (i as u64 + 1);
        let expected = n * (n + 1) / 2;
        all_right &= got == expected;
        table.row([format!("worker-{i}"), got.to_string(), expected.to_string()]);
    }
    println!("\n{table}");
    checks.check("every worker returned its own sum through join", all_right);

    // ANCHOR: panic
    println!("starting a thread that panics (the runtime prints its message on stderr):");
    let doomed = thread::Builder::new()
        .name("doomed".into())
        .spawn(|| -> u64 { panic!("no numbers left to add") })
        .expect("the OS refused a new thread");
    let outcome = doomed.join();
    // The panic payload is usually a &str or a String; anything else is opaque.
    let message = match &outcome {
        Ok(_) => None,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned()),
    };
    // ANCHOR_END: panic
    println!("join returned Err with the panic's message: {message:?}");
    checks.check(
        "a panic in a thread reaches join as an Err, and the main thread carries on",
        message.as_deref() == Some("no numbers left to add"),
    );
    checks.finish()
}
