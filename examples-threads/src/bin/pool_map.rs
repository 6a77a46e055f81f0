//! `Pool().map(f, range(10, N))` in Rust is rayon's `into_par_iter().map(f).collect()`: a pool of
//! one thread per core, the range split among them, and the results collected *in input order*,
//! as `Pool.map` returns them. The lesson also sizes a pool by hand (`Pool(processes=k)`) and
//! counts how many items each of its threads handled. The guide's `cube` takes a square root.
//!
//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", "The Pool class", `Pool().map` of square roots.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lesson::{Checks, Failure, Table, human, timed, usize_in};
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
    lesson::header("pool_map: Pool.map becomes par_iter().map()");
    let n = args.n as u64; // `root` takes a u64; usize_in checked the range
    println!("mapping root over 10..{n} ({} items)", n - 10);

    let (expected, serial_time) = timed(|| (10..n).map(root).collect::<Vec<f64>>());
    println!("serial loop: {}", human(serial_time));

    // ANCHOR: global_pool
    // rayon's global pool starts on first use with one thread per core, like `Pool()`.
    let (results, global_time) = timed(|| (10..n).into_par_iter().map(root).collect::<Vec<f64>>());
    // ANCHOR_END: global_pool
    let global_threads = rayon::current_num_threads();
    println!(
        "global pool ({global_threads} threads): {}",
        human(global_time)
    );

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
    println!(
        "custom pool ({} threads): {}",
        args.workers,
        human(custom_time)
    );

    let per_worker = count_per_worker(&tagged, args.workers);
    print_runs(
        [
            ("serial loop", 1, serial_time),
            ("global pool", global_threads, global_time),
            ("custom pool", args.workers, custom_time),
        ],
        &per_worker,
    );

    let mut checks = Checks::new();
    checks.check(
        "the pool's results equal the serial loop's, in the same order",
        results == expected,
    );
    checks.check(
        "result i is the root of 10 + i",
        results
            .iter()
            .enumerate()
            .all(|(i, &r)| r == ((10 + i) as f64).sqrt()),
    );
    checks.check(
        "the custom pool's results are in order too",
        tagged.iter().map(|&(_, r)| r).eq(expected.iter().copied()),
    );
    checks.check(
        "every item was mapped by one of the custom pool's threads",
        per_worker.iter().sum::<usize>() == expected.len(),
    );
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

/// The runs side by side, timed against the first (the serial loop), then each worker's share.
fn print_runs(runs: [(&str, usize, Duration); 3], per_worker: &[usize]) {
    let serial_time = runs[0].2;
    let mut table = Table::new(["run", "threads", "time", "speedup"]);
    for (run, threads, time) in runs {
        let speedup = serial_time.as_secs_f64() / time.as_secs_f64();
        table.row([
            run.to_string(),
            threads.to_string(),
            human(time),
            format!("{speedup:.2}x"),
        ]);
    }
    println!("\n{table}");
    for (w, count) in per_worker.iter().enumerate() {
        println!("pool-worker-{w} mapped {count} items");
    }
}
