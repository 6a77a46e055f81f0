//! Parallelism has a price: waking other threads, splitting the input, gathering the results.
//! For a tiny job that price is larger than the job. This lesson takes square roots over `10..N`
//! serially and with rayon for growing `N` and reports the crossover, the smallest `N` from which
//! the parallel version wins. Each root is rounded down and summed, an exact answer in any order;
//! collecting millions of floats instead would time the memory system rather than the overhead. The multiprocessing guide makes the same point with a
//! process pool: faster at N = 5,000,000, a hundred times slower at N = 10,000. Threads are far
//! cheaper to hand work to than processes, so Rust's crossover sits much lower.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lesson::{Checks, Table, human, timed, usize_in};
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
    let args: Args = lesson::parse_args();
    lesson::header("parallel_overhead: when does a parallel map pay off?");
    // Start rayon's pool before timing, so the first size does not pay for thread creation.
    rayon::broadcast(|_| ());
    println!(
        "rayon pool: {} threads; best of {} runs per size",
        rayon::current_num_threads(),
        args.repeat
    );

    let sizes: Vec<u64> = std::iter::successors(Some(100u64), |n| Some(n * 10))
        .take_while(|&n| n <= args.max_n)
        .collect();
    let mut table = Table::new(["N", "serial", "rayon", "rayon speedup"]);
    let mut checks = Checks::new();
    let mut crossover = None;
    for &n in &sizes {
        // ANCHOR: compare
        let (serial, serial_time) = best_of(args.repeat, || (10..n).map(whole_root).sum::<u64>());
        let (parallel, parallel_time) = best_of(args.repeat, || {
            (10..n).into_par_iter().map(whole_root).sum::<u64>()
        });
        // ANCHOR_END: compare
        checks.check(
            format!("N = {n}: rayon's sum equals the serial sum"),
            parallel == serial,
        );
        let speedup = serial_time.as_secs_f64() / parallel_time.as_secs_f64();
        // The crossover is the first size from which rayon stays ahead.
        if speedup > 1.0 {
            crossover.get_or_insert(n);
        } else {
            crossover = None;
        }
        println!(
            "N = {n:>11}: serial {:>9}, rayon {:>9}",
            human(serial_time),
            human(parallel_time)
        );
        table.row([
            n.to_string(),
            human(serial_time),
            human(parallel_time),
            format!("{speedup:.2}x"),
        ]);
    }
    println!("\n{table}");
    match crossover {
        Some(n) => {
            println!("crossover: from N = {n} on, rayon beats the serial loop on this machine")
        }
        None => println!(
            "crossover: rayon never stayed ahead up to N = {}",
            args.max_n
        ),
    }
    println!("(A process pool pays far more per task: see the processes chapter.)");
    checks.finish()
}
