//! The "GIL problem" benchmark from the multiprocessing tutorial: the same prime-counting job run
//! `--tasks` times sequentially, then once per thread. In CPython the threaded run is no faster
//! (often slower) than sequential, because only the thread holding the GIL executes bytecode. Rust
//! has no GIL: the threads run on separate cores and the wall time drops with the core count.
//! The third column of the tutorial, processes, joins this table in the processes chapter.

use std::process::ExitCode;
use std::thread;

use clap::Parser;
use lesson::{Checks, Table, human, timed, usize_in};
use workloads::count_primes_below;

#[derive(Parser, Debug)]
#[command(about = "Prime counting: sequential vs one thread per task")]
struct Args {
    /// How many copies of the job to run
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 16))]
    tasks: usize,
    /// Each job counts the primes below this number
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(10..=20_000_000))]
    limit: u64,
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    lesson::header("cpu_bound_showdown: sequential vs threads (no GIL)");
    println!(
        "job: count the primes below {} by trial division, {} times",
        args.limit, args.tasks
    );

    // ANCHOR: sequential
    let (sequential, sequential_time) = timed(|| {
        (0..args.tasks)
            .map(|_| count_primes_below(args.limit))
            .collect::<Vec<_>>()
    });
    // ANCHOR_END: sequential
    println!(
        "sequential: {} ({} primes per job)",
        human(sequential_time),
        sequential[0]
    );

    // ANCHOR: threads
    let (threaded, threaded_time) = timed(|| {
        let handles: Vec<_> = (0..args.tasks)
            .map(|_| thread::spawn(move || count_primes_below(args.limit)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("job panicked"))
            .collect::<Vec<_>>()
    });
    // ANCHOR_END: threads
    println!(
        "threads:    {} ({} threads at once)",
        human(threaded_time),
        args.tasks
    );

    let speedup = sequential_time.as_secs_f64() / threaded_time.as_secs_f64();
    let mut table = Table::new(["approach", "time", "speedup"]);
    table.row(["sequential", &human(sequential_time), "1.00x"]);
    table.row(["threads", &human(threaded_time), &format!("{speedup:.2}x")]);
    println!("\n{table}");
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "With {cores} cores the threaded run can be at most {:.0}x faster; CPython's threads stay near 1x.",
        cores.min(args.tasks) as f64
    );

    let mut checks = Checks::new();
    checks.check(
        "every sequential job found the same count",
        sequential.iter().all(|&c| c == sequential[0]),
    );
    checks.check(
        "the threaded jobs found the same counts",
        threaded == sequential,
    );
    checks.finish()
}
