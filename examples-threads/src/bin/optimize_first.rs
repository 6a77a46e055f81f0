//! Before parallelizing, ask whether a better algorithm would do more. The tutorial's factorizer
//! is naive on purpose: trial division may try candidates up to √n. Spreading it over every core
//! buys at most the core count; replacing it (Miller-Rabin to recognise primes, Pollard's rho to
//! split the rest) buys far more, on one core. The lesson measures the naive and the better
//! algorithm, each on one core and on every core, on the course's usual list of numbers.
//!
//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", "How to Use Parallel Programming", whether other optimizations could speed up the computation first.

use clap::Parser;
use examples_threads::{Factorization, serial};
use lesson::report::Run;
use lesson::{Checks, Table, timed, usize_in};
use rayon::prelude::*;
use std::process::ExitCode;
use workloads::{factorize_fast, inputs};

#[derive(Parser)]
#[command(about = "A better algorithm on one core against the naive one on every core")]
struct Args {
    /// How many numbers to factorize (the same list as threaded_factorizer's)
    #[arg(long, default_value_t = inputs::DEFAULT_COUNT, value_parser = usize_in(1, 1_000_000))]
    count: usize,
}

// ANCHOR: variants
/// A way to factorize the whole list.
type Factorizer = fn(&[u64]) -> Factorization;

/// The naive factorizer on every core: rayon splits the list as work comes free.
fn naive_parallel(nums: &[u64]) -> Factorization {
    (nums.par_iter())
        .map(|&n| (n, workloads::factorize_naive(n)))
        .collect()
}

/// The better algorithm on one core.
fn fast_serial(nums: &[u64]) -> Factorization {
    nums.iter().map(|&n| (n, factorize_fast(n))).collect()
}

/// The better algorithm on every core.
fn fast_parallel(nums: &[u64]) -> Factorization {
    (nums.par_iter()).map(|&n| (n, factorize_fast(n))).collect()
}
// ANCHOR_END: variants

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    lesson::header("optimize_first: a better algorithm before more cores");
    let cores = rayon::current_num_threads();
    let nums = inputs::factor_inputs(args.count, inputs::DEFAULT_SEED);
    println!(
        "factorizing {} numbers up to {}",
        nums.len(),
        nums[nums.len() - 1]
    );
    let mut checks = Checks::new();
    // ANCHOR: measure
    let (expected, naive_time) = timed(|| serial(&nums));
    let multiply_back = (expected.iter()).all(|(&n, f)| workloads::factors_multiply_back(n, f));
    let baseline = Run::judged("naive, 1 core", naive_time, multiply_back);
    println!("naive, 1 core: {}", baseline.took());
    let mut table = Table::new(["algorithm", "cores", "time", "vs naive on 1 core"]);
    table.row(["naive trial division", "1", &baseline.shown(), "1.0x"]);
    let variants: [(&str, usize, Factorizer); 3] = [
        ("naive trial division", cores, naive_parallel),
        ("Miller-Rabin + Pollard's rho", 1, fast_serial),
        ("Miller-Rabin + Pollard's rho", cores, fast_parallel),
    ];
    for (algorithm, used, factorize) in variants {
        let (result, time) = timed(|| factorize(&nums));
        let name = format!(
            "{algorithm}, {used} {}",
            if used == 1 { "core" } else { "cores" }
        );
        let run = Run::judged(&name, time, result == expected);
        println!("{name}: {}", run.took());
        checks.check(format!("{name} finds the same factors"), run.right());
        table.row([
            algorithm.to_string(),
            used.to_string(),
            run.shown(),
            run.speedup(&baseline, 1),
        ]);
    }
    // ANCHOR_END: measure
    let all_multiply_back = (expected.iter()).all(|(&n, f)| workloads::factors_multiply_back(n, f));
    checks.check(
        "every factor list multiplies back to its number",
        all_multiply_back,
    );
    println!("\n{table}");
    println!(
        "More cores can buy at most {cores}x here. A better algorithm changed what each number costs."
    );
    checks.finish()
}
