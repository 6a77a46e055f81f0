//! Parallelism has a price: starting workers, splitting the input, gathering the results. For a
//! tiny job that price is larger than the job. This lesson takes square roots over `10..N`
//! serially, with rayon's threads and with a pool of processes, for growing `N`, and reports each
//! crossover: the smallest `N` from which the parallel version stays ahead. The multiprocessing
//! guide makes the same point with `Pool.map`: faster at N = 5,000,000, seventy times slower at
//! N = 10,000. Each root is rounded down and summed, an exact answer in any order (collecting
//! millions of floats instead would time the memory system rather than the overhead).

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lesson::{Checks, Table, human, timed, usize_in};
use multiproc::{Pool, Task, cores, init};
use rayon::prelude::*;
use workloads::root;

#[derive(Parser, Debug)]
#[command(
    about = "Serial vs rayon on sqrt over 10..N for growing N: where parallelism starts to pay"
)]
struct Args {
    /// Largest N to try (sizes go up by powers of ten from 100)
    #[arg(long, default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(100..=100_000_000))]
    max_n: u64,
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
fn process_pool_sum(n: u64) -> Result<u64, String> {
    let mut pool = Pool::new(&WHOLE_ROOT, cores()).map_err(|e| e.to_string())?;
    let sum = pool
        .map(10..n)
        .into_iter()
        .map(|r| r.map_err(|e| e.to_string()))
        .sum();
    // Leaving Python's `with` block shuts the pool down inside the timing; so does this, and it
    // keeps exiting workers from stealing CPU from the next measurement.
    pool.join();
    sum
}
// ANCHOR_END: process_pool

/// Tracks the smallest size from which a parallel version has stayed ahead of the serial loop.
#[derive(Debug, Default)]
struct Crossover(Option<u64>);

impl Crossover {
    fn record(&mut self, n: u64, speedup: f64) {
        if speedup > 1.0 {
            self.0.get_or_insert(n);
        } else {
            self.0 = None;
        }
    }

    fn describe(&self, who: &str, max_n: u64) -> String {
        match self.0 {
            Some(n) => format!("{who}: ahead of the serial loop from N = {n} on"),
            None => format!("{who}: never stayed ahead of the serial loop up to N = {max_n}"),
        }
    }
}

fn best_of<T>(repeat: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    let (mut out, mut best) = timed(&mut f);
    for _ in 1..repeat {
        let (o, t) = timed(&mut f);
        if t < best {
            (out, best) = (o, t);
        }
    }
    (out, best)
}

fn main() -> ExitCode {
    init(&[&WHOLE_ROOT]); // in a pool worker: serve tasks and exit here
    let args: Args = lesson::parse_args();
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

    let sizes: Vec<u64> = std::iter::successors(Some(100u64), |n| Some(n * 10))
        .take_while(|&n| n <= args.max_n)
        .collect();
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
        checks.check(
            format!("N = {n}: rayon's sum equals the serial sum"),
            parallel == serial,
        );
        checks.check(
            format!("N = {n}: the process pool's sum equals the serial sum"),
            pooled.as_ref() == Ok(&serial),
        );
        if let Err(e) = &pooled {
            println!("N = {n}: the process pool failed: {e}");
        }
        let rayon_speedup = serial_time.as_secs_f64() / parallel_time.as_secs_f64();
        let pool_speedup = serial_time.as_secs_f64() / pool_time.as_secs_f64();
        rayon_crossover.record(n, rayon_speedup);
        pool_crossover.record(n, pool_speedup);
        println!(
            "N = {n:>11}: serial {:>9}, rayon {:>9}, process pool {:>9}",
            human(serial_time),
            human(parallel_time),
            human(pool_time)
        );
        table.row([
            n.to_string(),
            human(serial_time),
            human(parallel_time),
            format!("{rayon_speedup:.2}x"),
            human(pool_time),
            format!("{pool_speedup:.3}x"),
        ]);
    }
    println!("\n{table}");
    println!(
        "crossover, {}",
        rayon_crossover.describe("rayon", args.max_n)
    );
    println!(
        "crossover, {}",
        pool_crossover.describe("process pool", args.max_n)
    );
    checks.finish()
}
