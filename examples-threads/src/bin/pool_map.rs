//! `Pool().map(f, range(10, N))` in Rust is rayon's `into_par_iter().map(f).collect()`: a pool of
//! one thread per core, the range split among them, and the results collected *in input order*,
//! as `Pool.map` returns them. The lesson also sizes a pool by hand (`Pool(processes=k)`) and
//! counts how many items each of its threads handled. The guide's `cube` takes a square root.
//!
//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", "The Pool class", `Pool().map` of square roots.

use std::process::ExitCode;

use clap::Parser;
use examples_threads::heavy;
use lesson::report::Run;
use lesson::{Checks, Failure, Table, timed, usize_in};
use rayon::prelude::*;
use workloads::root;

#[derive(Parser, Debug)]
#[command(about = "Pool.map with rayon: ordered results, default and custom pool sizes")]
struct Args {
    /// Map over 10..N
    #[arg(long, default_value_t = 5_000_000, value_parser = usize_in(11, 100_000_000))]
    n: usize,
    /// Threads in the hand-built pool
    #[arg(long, default_value_t = 2, value_parser = usize_in(1, 64))]
    workers: usize,
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    heavy::warn_if_heavy(heavy::pool_map(args.n));
    lesson::header("pool_map: Pool.map becomes par_iter().map()");
    let n = args.n as u64; // `root` takes a u64; usize_in checked the range
    println!("mapping root over 10..{n} ({} items)", n - 10);

    let (expected, serial_time) = timed(|| (10..n).map(root).collect::<Vec<f64>>());
    let serial = Run::judged("serial loop", serial_time, true); // the reference
    println!("serial loop: {}", serial.shown());

    // ANCHOR: global_pool
    // rayon's global pool starts on first use with one thread per core, like `Pool()`.
    let (results, global_time) = timed(|| (10..n).into_par_iter().map(root).collect::<Vec<f64>>());
    // ANCHOR_END: global_pool
    let global_threads = rayon::current_num_threads();
    let in_order = results == expected;
    let roots = (results.iter().enumerate()).all(|(i, &r)| r == ((10 + i) as f64).sqrt());
    let global = Run::judged("global pool", global_time, in_order && roots);
    println!("global pool ({global_threads} threads): {}", global.shown());

    // ANCHOR: custom_pool
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(args.workers)
        .thread_name(|i| format!("pool-worker-{i}"))
        .build();
    let pool = match built {
        Ok(pool) => pool,
        Err(err) => return Failure::from(err).report(),
    };
    // `install` runs the closure inside this pool, so the parallel iterator uses its threads.
    let (tagged, custom_time) = timed(|| {
        pool.install(|| {
            (10..n)
                .into_par_iter()
                .map(|x| (rayon::current_thread_index(), root(x)))
                .collect::<Vec<_>>()
        })
    });
    // ANCHOR_END: custom_pool
    let per_worker = count_per_worker(&tagged, args.workers);
    let custom_in_order = tagged.iter().map(|&(_, r)| r).eq(expected.iter().copied());
    let all_mapped = per_worker.iter().sum::<usize>() == expected.len();
    let custom = Run::judged("custom pool", custom_time, custom_in_order && all_mapped);
    println!("custom pool ({} threads): {}", args.workers, custom.shown());

    print_runs(
        [
            ("serial loop", 1, serial),
            ("global pool", global_threads, global),
            ("custom pool", args.workers, custom),
        ],
        &per_worker,
    );
    let mut checks = Checks::new();
    for (what, ok) in [
        (
            "the pool's results equal the serial loop's, in the same order",
            in_order,
        ),
        ("result i is the root of 10 + i", roots),
    ] {
        checks.check(what, ok && global.right());
    }
    for (what, ok) in [
        (
            "the custom pool's results are in order too",
            custom_in_order,
        ),
        (
            "every item was mapped by one of the custom pool's threads",
            all_mapped,
        ),
    ] {
        checks.check(what, ok && custom.right());
    }
    checks.finish()
}

/// How many items each thread of the custom pool mapped, from the index each result is tagged with.
fn count_per_worker(tagged: &[(Option<usize>, f64)], workers: usize) -> Vec<usize> {
    let mut per_worker = vec![0; workers];
    for &(worker, _) in tagged {
        if let Some(slot) = worker.and_then(|w| per_worker.get_mut(w)) {
            *slot += 1;
        }
    }
    per_worker
}

/// The runs side by side, timed against the first (the serial loop), then each worker's share
/// if the custom pool's run counts.
fn print_runs(runs: [(&str, usize, Run); 3], per_worker: &[usize]) {
    let mut table = Table::new(["run", "threads", "time", "speedup"]);
    for (name, threads, run) in runs {
        let speedup = run.speedup(&runs[0].2, 2);
        table.row([name.to_string(), threads.to_string(), run.shown(), speedup]);
    }
    println!("\n{table}");
    for (w, count) in per_worker.iter().enumerate().filter(|_| runs[2].2.right()) {
        println!("pool-worker-{w} mapped {count} items");
    }
}
