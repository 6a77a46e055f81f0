//! The course's factorizer as an MPI job, two ways. Static: rank 0 scatters one equal chunk of the
//! sorted numbers to every rank, each factors its own, and rank 0 gathers the results back. The
//! last chunk holds the largest numbers, so the other ranks finish early and wait. Dynamic: rank
//! 0 hands out small chunks to whichever rank asks (and factors chunks itself in between), so
//! every rank stays busy to the end.
//!
//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the multiprocess factorizer.

use clap::Parser;
use examples_distributed::factoring::{self, Factored};
use examples_distributed::launch::Start;
use examples_distributed::{ROOT, launch};
use lesson::report::Run;
use lesson::{Checks, Table, usize_in};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use std::process::ExitCode;
use workloads::factor_inputs;

#[derive(Parser)]
#[command(about = "The factorizer on MPI ranks: scatter/gather static chunks, then a coordinator")]
struct Args {
    /// How many numbers to factor.
    #[arg(long, default_value_t = 20_000, value_parser = usize_in(1, 1_000_000))]
    count: usize,
    /// Chunks per rank the coordinator cuts the work into.
    #[arg(long, default_value_t = 32, value_parser = usize_in(1, 10_000))]
    chunks_per_rank: usize,
    /// Seed for the input numbers.
    #[arg(long, default_value_t = workloads::inputs::DEFAULT_SEED)]
    seed: u64,
}

/// Ranks `cargo run` starts when no mpirun started this lesson: one per core here.
const RANKS: usize = 2;

/// Times `run` on every rank, starting together; rank 0 judges the results against `nums`.
fn timed(world: &SimpleCommunicator, nums: &[u64], run: impl FnOnce() -> Option<Factored>) -> Run {
    world.barrier();
    let (results, took) = lesson::timed(run);
    Run::new(
        took,
        results.is_some_and(|r| factoring::all_right(nums, &r)),
    )
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let universe = match launch::as_rank(RANKS) {
        Start::Rank(universe) => universe,
        Start::Done(exit_code) => return exit_code,
    };
    let world = universe.world();
    let is_root = world.rank() == ROOT;
    // Only rank 0 needs the numbers; the others receive theirs in messages.
    let nums = if is_root {
        factor_inputs(args.count, args.seed)
    } else {
        Vec::new()
    };
    if is_root {
        lesson::header("mpi_factorizer: the factorizer on MPI ranks");
        println!(
            "{} numbers (seed {}), {} ranks",
            args.count,
            args.seed,
            world.size()
        );
    }
    // The serial baseline, rank 0 alone; the others wait for it at the barrier inside `timed`.
    // ANCHOR: runs
    let serial = is_root.then(|| {
        let (results, took) = lesson::timed(|| factoring::serial(&nums));
        Run::new(took, factoring::all_right(&nums, &results))
    });
    let fixed = timed(&world, &nums, || factoring::scatter_gather(&world, &nums));
    let dynamic = timed(&world, &nums, || {
        factoring::dynamic(&world, &nums, args.chunks_per_rank)
    });
    // ANCHOR_END: runs
    let Some(serial) = serial else {
        return ExitCode::SUCCESS;
    };
    let mut table = Table::new(["variant", "ranks", "time", "speed-up"]);
    let ranks = world.size().to_string();
    for (name, ranks, run) in [
        ("serial, rank 0 alone", "1", &serial),
        ("scatter/gather, static chunks", &ranks, &fixed),
        ("coordinator, dynamic chunks", &ranks, &dynamic),
    ] {
        table.row([name, ranks, &run.shown(), &run.speedup(&serial, 2)]);
    }
    println!("\n{table}");
    let mut checks = Checks::new();
    checks.check(
        "serial: every number's factors multiply back",
        serial.right(),
    );
    checks.check(
        "scatter/gather: every number back, factors right",
        fixed.right(),
    );
    checks.check(
        "coordinator: every number back, factors right",
        dynamic.right(),
    );
    checks.finish()
}
