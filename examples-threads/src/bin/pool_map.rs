//! `Pool().map(f, range(10, N))` in Rust is rayon's `into_par_iter().map(f).collect()`: a pool of
//! one thread per core, the range split among them, and the results collected *in input order*,
//! as `Pool.map` returns them. The lesson also sizes a pool by hand (`Pool(processes=k)`) and
//! counts how many items each of its threads handled. Translates the multiprocessing guide's
//! `Pool` example (Bonannella), whose `cube` function takes a square root.

use std::process::ExitCode;

use clap::Parser;
use lesson::{Checks, Table, human, timed, usize_in};
use rayon::prelude::*;
use workloads::root;

#[derive(Parser, Debug)]
#[command(about = "Pool.map with rayon: ordered results, default and custom pool sizes")]
struct Args {
    /// Map over 10..N
    #[arg(long, default_value_t = 5_000_000, value_parser = clap::value_parser!(u64).range(11..=100_000_000))]
    n: u64,
    /// Threads in the hand-built pool
    #[arg(long, default_value_t = 2, value_parser = usize_in(1, 64))]
    workers: usize,
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    lesson::header("pool_map: Pool.map becomes par_iter().map()");
    println!("mapping root over 10..{} ({} items)", args.n, args.n - 10);

    let (expected, serial_time) = timed(|| (10..args.n).map(root).collect::<Vec<f64>>());
    println!("serial loop: {}", human(serial_time));

    // ANCHOR: global_pool
    // rayon's global pool starts on first use with one thread per core, like `Pool()`.
    let (results, global_time) =
        timed(|| (10..args.n).into_par_iter().map(root).collect::<Vec<f64>>());
    // ANCHOR_END: global_pool
    println!(
        "global pool ({} threads): {}",
        rayon::current_num_threads(),
        human(global_time)
    );

    // ANCHOR: custom_pool
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.workers)
        .thread_name(|i| format!("pool-worker-{i}"))
        .build()
        .expect("the OS refused to start the pool's threads");
    // `install` runs the closure inside this pool, so the parallel iterator uses its threads.
    let (tagged, custom_time) = timed(|| {
        pool.install(|| {
            (10..args.n)
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

    let mut per_worker = vec![0usize; args.workers];
    for &(worker, _) in &tagged {
        if let Some(slot) = worker.and_then(|w| per_worker.get_mut(w)) {
            *slot += 1;
        }
    }
    let mut table = Table::new(["run", "threads", "time", "speedup"]);
    let speedup =
        |t: std::time::Duration| format!("{:.2}x", serial_time.as_secs_f64() / t.as_secs_f64());
    table.row(["serial loop", "1", &human(serial_time), "1.00x"]);
    table.row([
        "global pool",
        &rayon::current_num_threads().to_string(),
        &human(global_time),
        &speedup(global_time),
    ]);
    table.row([
        "custom pool",
        &args.workers.to_string(),
        &human(custom_time),
        &speedup(custom_time),
    ]);
    println!("\n{table}");
    for (w, count) in per_worker.iter().enumerate() {
        println!("pool-worker-{w} mapped {count} items");
    }

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
