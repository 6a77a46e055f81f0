//! Equal chunks are not equal work. The factorizer's input is sorted, so when `mp_factorizer` cuts
//! it into one chunk per process, the last chunk holds the largest numbers and its process
//! finishes last while the others idle. A pool that hands out small chunks as workers free up
//! keeps every process busy to the end. Both runs below use the same pool and differ only in the
//! chunk size: one chunk per worker is the static split, chunks of 16 the dynamic one.
//!
//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the closing remark that the work "isn't evenly divided between sub-processes".

use clap::Parser;
use examples_processes::report::{Run, die_if_asked};
use examples_processes::{heavy, serial_factorizer};
use lesson::{Checks, Table, usize_in};
use multiproc::{Pool, Task, init};
use std::collections::BTreeMap;
use std::process::ExitCode;
use workloads::{factor_inputs, factorize_naive};

#[derive(Parser)]
#[command(about = "A process pool with one chunk per worker vs small chunks, on skewed work")]
struct Args {
    /// How many numbers to factor.
    #[arg(long, default_value_t = 20_000, value_parser = usize_in(1, 1_000_000))]
    count: usize,
    /// Worker processes.
    #[arg(long, default_value_t = 2, value_parser = usize_in(1, 64))]
    procs: usize,
    /// Numbers per message in the dynamic run.
    #[arg(long, default_value_t = 16, value_parser = usize_in(1, 100_000))]
    chunksize: usize,
    /// Seed for the input numbers.
    #[arg(long, default_value_t = workloads::inputs::DEFAULT_SEED)]
    seed: u64,
}

fn factor_one(n: u64) -> Result<Vec<u64>, String> {
    die_if_asked("factor_one"); // a test hook, no-op in a lesson's run
    Ok(factorize_naive(n))
}
static FACTOR_ONE: Task<u64, Result<Vec<u64>, String>> = Task::new("factor_one", factor_one);

// ANCHOR: pool_factorizer
/// Starts a pool of `nprocs` workers, sends the numbers `chunksize` at a time (a worker that
/// finishes a chunk gets the next one) and shuts the pool down: all inside the timing.
fn pool_factorizer(
    nums: &[u64],
    nprocs: usize,
    chunksize: usize,
) -> lesson::Result<BTreeMap<u64, Vec<u64>>> {
    let mut pool = Pool::new(&FACTOR_ONE, nprocs)?;
    let results = pool.map_chunked(nums.iter().copied(), chunksize);
    pool.join();
    nums.iter()
        .zip(results)
        .map(|(&n, factors)| Ok((n, factors?)))
        .collect()
}
// ANCHOR_END: pool_factorizer

fn main() -> ExitCode {
    init(&[&FACTOR_ONE]);
    let args: Args = lesson::parse_args();
    heavy::warn_if_heavy(heavy::pool_factorizer(
        args.count,
        args.procs,
        args.chunksize,
    ));
    lesson::header("pool_factorizer: static chunks vs small chunks in a process pool");
    let nums = factor_inputs(args.count, args.seed);
    let one_per_worker = nums.len().div_ceil(args.procs);
    println!(
        "{} numbers (seed {}), sorted ascending; a pool of {} processes",
        nums.len(),
        args.seed,
        args.procs
    );

    let (serial, serial_time) = lesson::timed(|| serial_factorizer(&nums));
    let serial_run = Run::new(serial_time, true); // the reference the pools must match
    println!("serial: {}", serial_run.shown());
    let mut table = Table::new(["variant", "chunk size", "messages", "time", "speed-up"]);
    table.row(["serial", "-", "-", &serial_run.shown(), "1.00x"]);
    let mut checks = Checks::new();
    for (variant, chunksize) in [
        ("static: one chunk per worker", one_per_worker),
        ("dynamic: small chunks", args.chunksize),
    ] {
        let (factored, time) = lesson::timed(|| pool_factorizer(&nums, args.procs, chunksize));
        let run = Run::new(time, factored.as_ref().is_ok_and(|f| *f == serial));
        match factored {
            Ok(_) => println!("{variant}: {}", run.shown()),
            Err(failure) => println!("{variant}: failed: {failure}"),
        }
        checks.check(format!("{variant}: same factors as serial"), run.right());
        table.row([
            variant.to_string(),
            chunksize.to_string(),
            nums.len().div_ceil(chunksize).to_string(),
            run.shown(),
            run.speedup(&serial_run, 2),
        ]);
    }
    println!("\n{table}(pool times include starting and stopping the workers)");
    checks.finish()
}
