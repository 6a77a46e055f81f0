//! Borrowing instead of copying: `std::thread::scope` lets worker threads use a slice that lives on
//! the main thread's stack, because the scope guarantees every worker is joined before the slice
//! can go away. No `Arc`, no `to_vec`, and with `chunks_mut` each worker can even write its own
//! part of the data in place. Python threads share everything (and guard it with the GIL), while
//! Python processes copy everything.
//!
//! Rust only: threads may borrow from the stack only because the scope joins them; Python threads share everything.

use std::process::ExitCode;
use std::thread;

use clap::Parser;
use lesson::{Checks, Table, usize_in};

#[derive(Parser, Debug)]
#[command(about = "Scoped threads borrow a slice: no Arc, no copies")]
struct Args {
    /// Length of the data
    #[arg(long, default_value_t = 10_000_000, value_parser = usize_in(1, 100_000_000))]
    len: usize,
    /// How many worker threads
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 64))]
    threads: usize,
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    lesson::header("scoped_threads: workers borrow the data");
    let mut data: Vec<u64> = (0..args.len as u64).collect();
    let chunk_len = data.len().div_ceil(args.threads);
    let whole = data.as_ptr_range();
    let whole = whole.start.addr()..whole.end.addr();
    println!(
        "data: {} numbers at {:#x}, {} workers, chunks of {chunk_len}",
        data.len(),
        whole.start,
        args.threads
    );

    // ANCHOR: shared_borrow
    // Phase 1: every worker reads its own chunk of `data` through a shared borrow.
    let partial_sums: Vec<(usize, usize, u64)> = thread::scope(|scope| {
        let handles: Vec<_> = data
            .chunks(chunk_len)
            .enumerate()
            .map(|(i, chunk)| {
                scope.spawn(move || (i, chunk.as_ptr().addr(), chunk.iter().sum::<u64>()))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker panicked"))
            .collect()
    }); // every worker has been joined here, so `data` is ours again
    // ANCHOR_END: shared_borrow

    let mut table = Table::new(["worker", "chunk starts at", "sum of its chunk"]);
    for &(i, ptr, sum) in &partial_sums {
        table.row([i.to_string(), format!("{ptr:#x}"), sum.to_string()]);
    }
    println!("\n{table}");

    let mut checks = Checks::new();
    let n = args.len as u64;
    let total: u64 = partial_sums.iter().map(|&(_, _, s)| s).sum();
    checks.check(
        "the partial sums add up to n(n-1)/2",
        total == n * (n - 1) / 2,
    );
    checks.check(
        "every worker read the original buffer, not a copy",
        partial_sums.iter().all(|&(_, ptr, _)| whole.contains(&ptr)),
    );

    // ANCHOR: mutable_borrow
    // Phase 2: `chunks_mut` splits one &mut into disjoint &mut chunks, one per worker, so each
    // worker writes its part in place. Two workers can never get the same element.
    thread::scope(|scope| {
        for chunk in data.chunks_mut(chunk_len) {
            scope.spawn(move || chunk.iter_mut().for_each(|x| *x *= 2));
        }
    });
    // ANCHOR_END: mutable_borrow
    println!("every worker doubled its own chunk in place");
    checks.check(
        "every element was doubled exactly once",
        data.iter().enumerate().all(|(i, &x)| x == 2 * i as u64),
    );
    checks.finish()
}
