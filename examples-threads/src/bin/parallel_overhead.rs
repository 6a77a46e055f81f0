//! Parallelism has a price: starting workers, splitting the input, gathering the results. For a
//! tiny job that price is larger than the job. This lesson takes square roots over `10..N`
//! serially, with rayon's threads and with a pool of processes, for growing `N`, and reports each
//! crossover: the smallest `N` from which the parallel version stays ahead (the guide's `Pool.map`
//! was faster at N = 5,000,000 and seventy times slower at N = 10,000). Each root is rounded down
//! and summed, an exact answer in any order (collecting millions of floats instead would time the
//! memory system rather than the overhead).
//!
//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", "Making Best Use of Python Multiprocessing", N = 5,000,000 against N = 10,000.

use std::process::ExitCode;

use clap::Parser;
use examples_threads::heavy;
use lesson::report::{Run, best_of};
use lesson::{Checks, Table, timed, usize_in};
use multiproc::{Pool, Task, TaskError, cores, init};
use rayon::prelude::*;
use workloads::root;

/// The smallest N tried; each next size is ten times larger.
const FIRST_N: u64 = 100;

#[derive(Parser, Debug)]
#[command(about = "Serial vs rayon vs a process pool over 10..N: where parallelism pays")]
struct Args {
    /// Largest N to try (sizes go up by powers of ten from 100)
    #[arg(long, default_value_t = 10_000_000, value_parser = usize_in(100, 100_000_000))]
    max_n: usize,
    /// Runs per size; the fastest counts, which filters out one-off hiccups
    #[arg(long, default_value_t = 5, value_parser = usize_in(1, 50))]
    repeat: usize,
}

/// ⌊√x⌋: the tutorial's square root, made an integer so that sums are exact in any order.
fn whole_root(x: u64) -> u64 {
    root(x) as u64
}

fn whole_root_task(x: u64) -> Result<u64, String> {
    Ok(whole_root(x))
}
static WHOLE_ROOT: Task<u64, Result<u64, String>> = Task::new("whole_root", whole_root_task);

// ANCHOR: process_pool
/// The tutorial's `with Pool() as pool: pool.map(f, range(10, N))`, start-up included: every item
/// is serialized to a worker process and every result serialized back.
fn process_pool_sum(n: u64) -> lesson::Result<u64> {
    let mut pool = Pool::new(&WHOLE_ROOT, cores())?;
    let sum: Result<u64, TaskError> = pool.map(10..n).into_iter().sum();
    // Leaving Python's `with` block shuts the pool down inside the timing; so does this, and it
    // keeps exiting workers from stealing CPU from the next measurement.
    pool.join();
    Ok(sum?)
}
// ANCHOR_END: process_pool

/// Tracks the smallest size from which a parallel version has stayed ahead of the serial loop.
/// A failed run leaves the crossover unknown: its time says nothing about where it lies.
#[derive(Debug, Default)]
struct Crossover {
    from: Option<u64>,
    failed: bool,
}

impl Crossover {
    fn record(&mut self, n: u64, parallel: &Run, serial: &Run) {
        match (parallel.time(), serial.time()) {
            (Some(p), Some(s)) => self.from = (p < s).then(|| self.from.unwrap_or(n)),
            _ => self.failed = true,
        }
    }

    fn describe(&self, who: &str, max_n: u64) -> String {
        match self.from {
            _ if self.failed => format!("{who}: unknown, a run failed"),
            Some(n) => format!("{who}: ahead of the serial loop from N = {n} on"),
            None => format!("{who}: never stayed ahead of the serial loop up to N = {max_n}"),
        }
    }
}

fn main() -> ExitCode {
    init(&[&WHOLE_ROOT]); // in a pool worker: serve tasks and exit here
    let args: Args = lesson::parse_args();
    let max_n = args.max_n as u64; // the job's type; usize_in checked the range
    let sizes: Vec<u64> = std::iter::successors(Some(FIRST_N), |n| Some(n * 10))
        .take_while(|&n| n <= max_n)
        .collect();
    heavy::warn_if_heavy(heavy::parallel_overhead(&sizes, args.repeat));
    lesson::header("parallel_overhead: when does a parallel map pay off?");
    // Start rayon's pool before timing, so the first size does not pay for thread creation.
    rayon::broadcast(|_| ());
    println!(
        "rayon: {} threads, best of {} runs per size; process pool: {} workers, one run per size, \
         start-up included (as in the tutorial)",
        rayon::current_num_threads(),
        args.repeat,
        cores()
    );

    let mut table = Table::new(["N", "serial", "rayon", "speedup", "process pool", "speedup"]);
    let mut checks = Checks::new();
    let (mut rayon_crossover, mut pool_crossover) = (Crossover::default(), Crossover::default());
    for &n in &sizes {
        // ANCHOR: compare
        let (serial, serial_time) = best_of(args.repeat, || (10..n).map(whole_root).sum::<u64>());
        let (parallel, parallel_time) = best_of(args.repeat, || {
            (10..n).into_par_iter().map(whole_root).sum::<u64>()
        });
        let (pooled, pool_time) = timed(|| process_pool_sum(n));
        // ANCHOR_END: compare
        let serial_run = Run::judged("serial", serial_time, true); // the reference
        let rayon = Run::judged(&format!("rayon {n}"), parallel_time, parallel == serial);
        let right = pooled.as_ref().is_ok_and(|&sum| sum == serial);
        let pool = Run::judged(&format!("process pool {n}"), pool_time, right);
        if let Err(failure) = pooled {
            println!("N = {n}: the process pool failed: {failure}");
        }
        checks.check(
            format!("N = {n}: rayon's sum equals the serial sum"),
            rayon.right(),
        );
        checks.check(
            format!("N = {n}: the process pool's sum equals the serial sum"),
            pool.right(),
        );
        rayon_crossover.record(n, &rayon, &serial_run);
        pool_crossover.record(n, &pool, &serial_run);
        println!(
            "N = {n:>11}: serial {:>9}, rayon {:>9}, process pool {:>9}",
            serial_run.shown(),
            rayon.shown(),
            pool.shown()
        );
        table.row([
            n.to_string(),
            serial_run.shown(),
            rayon.shown(),
            rayon.speedup(&serial_run, 2),
            pool.shown(),
            pool.speedup(&serial_run, 3),
        ]);
    }
    println!("\n{table}");
    for (who, crossover) in [("rayon", rayon_crossover), ("process pool", pool_crossover)] {
        println!("crossover, {}", crossover.describe(who, max_n));
    }
    checks.finish()
}
