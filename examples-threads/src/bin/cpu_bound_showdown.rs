//! The "GIL problem" benchmark from the multiprocessing tutorial: the same prime-counting job run
//! `--tasks` times sequentially, then once per thread. In CPython the threaded run is no faster
//! (often slower) than sequential, because only the thread holding the GIL executes bytecode. Rust
//! has no GIL: the threads run on separate cores and the wall time drops with the core count.
//! The tutorial's third contender, one process per task, scales too, but pays for starting each
//! process; it uses the toolkit from the processes chapter.

use std::process::ExitCode;
use std::thread;

use clap::Parser;
use lesson::{Checks, Table, human, timed, usize_in};
use multiproc::{Task, init, spawn};
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

// ANCHOR: process_task
/// The job as a task a child process can run: a plain `fn`, registered by name.
fn count_primes_task(limit: u64) -> usize {
    count_primes_below(limit)
}
static COUNT_PRIMES: Task<u64, usize> = Task::new("count_primes", count_primes_task);
// ANCHOR_END: process_task

fn main() -> ExitCode {
    init(&[&COUNT_PRIMES]); // in a child process: run the job and exit here
    let args: Args = lesson::parse_args();
    lesson::header("cpu_bound_showdown: sequential vs threads vs processes");
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

    // ANCHOR: processes
    let (in_processes, processes_time) = timed(|| -> Result<Vec<usize>, String> {
        let mut children = (0..args.tasks)
            .map(|_| spawn(&COUNT_PRIMES, args.limit))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let pids: Vec<String> = children.iter().map(|c| c.pid().to_string()).collect();
        println!(
            "            {} child processes: PIDs {}",
            children.len(),
            pids.join(", ")
        );
        children
            .iter_mut()
            .map(|child| {
                child.join().map_err(|e| e.to_string())?;
                child
                    .take_result()
                    .ok_or_else(|| format!("child {} sent no result", child.pid()))
            })
            .collect()
    });
    // ANCHOR_END: processes
    let in_processes = match in_processes {
        Ok(counts) => counts,
        Err(e) => {
            eprintln!("error: the process run failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "processes:  {} ({} processes at once)",
        human(processes_time),
        args.tasks
    );

    let mut table = Table::new(["approach", "time", "speedup"]);
    for (name, time) in [
        ("sequential", sequential_time),
        ("threads", threaded_time),
        ("processes", processes_time),
    ] {
        let speedup = sequential_time.as_secs_f64() / time.as_secs_f64();
        table.row([name.to_string(), human(time), format!("{speedup:.2}x")]);
    }
    println!("\n{table}");
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "With {cores} cores a parallel run can be at most {:.0}x faster. In CPython only the processes\n\
         get there (its threads stay near 1x); in Rust both do, and processes pay for their start-up.",
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
    checks.check(
        "the child processes found the same counts",
        in_processes == sequential,
    );
    checks.finish()
}
