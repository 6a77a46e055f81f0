//! The shared counter, across machines. Processes on one machine can share a counter in shared
//! memory and guard it with a lock; ranks on different machines share nothing. Each rank counts
//! its own increments in a plain local variable, and `all_reduce` combines them: every rank hands
//! in its count and every rank gets back the sum. Counting becomes combining, and no update can
//! be lost because no two ranks ever touch the same memory.
//!
//! Rust only: MPI is not in the tutorials; this is their shared Value-and-Lock counter as a reduction over ranks.

use clap::Parser;
use examples_distributed::launch::Start;
use examples_distributed::{ROOT, launch};
use lesson::{Checks, Table, usize_in};
use mpi::collective::SystemOperation;
use mpi::traits::*;
use std::hint::black_box;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "The shared counter as an MPI reduction: each rank counts, all_reduce sums")]
struct Args {
    /// Increments rank 0 makes; rank r makes this many plus r, so every rank's share differs.
    #[arg(long, default_value_t = 1_000_000, value_parser = usize_in(1, 1_000_000_000))]
    increments: usize,
}

/// Ranks `cargo run` starts when no mpirun started this lesson.
const RANKS: usize = 4;

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let universe = match launch::as_rank(RANKS) {
        Start::Rank(universe) => universe,
        Start::Done(exit_code) => return exit_code,
    };
    let world = universe.world();
    let (rank, size) = (world.rank() as u64, world.size() as u64);
    // ANCHOR: count
    let mine = args.increments as u64 + rank;
    let mut counter = 0u64; // this rank's own: no other rank can see it, let alone change it
    for _ in 0..mine {
        counter = black_box(counter + 1);
    }
    let mut total = 0u64;
    world.all_reduce_into(&counter, &mut total, SystemOperation::sum());
    // ANCHOR_END: count
    // Rank 0 collects what every rank counted and what total each was given, to show and check.
    let root = world.process_at_rank(ROOT);
    if rank != ROOT as u64 {
        root.gather_into(&[counter, total][..]);
        return ExitCode::SUCCESS;
    }
    let mut seen = vec![0u64; 2 * size as usize];
    root.gather_into_root(&[counter, total][..], &mut seen[..]);
    lesson::header("mpi_counter: counting becomes combining");
    println!(
        "{size} ranks; rank r adds 1 to its own counter {} + r times",
        args.increments
    );
    let mut table = Table::new(["rank", "its own counter", "total all_reduce gave it"]);
    for (r, pair) in seen.chunks(2).enumerate() {
        table.row([r.to_string(), pair[0].to_string(), pair[1].to_string()]);
    }
    println!("\n{table}");
    let expected: u64 = (0..size).map(|r| args.increments as u64 + r).sum();
    println!("expected total: {expected}");

    let mut checks = Checks::new();
    checks.check(
        "each rank's counter holds only its own increments",
        seen.chunks(2)
            .enumerate()
            .all(|(r, p)| p[0] == args.increments as u64 + r as u64),
    );
    checks.check(
        "every rank got the same total, the sum of all counters",
        seen.chunks(2).all(|p| p[1] == expected),
    );
    checks.finish()
}
