//! The "GIL problem" benchmark: the same prime-counting job run `--tasks` times sequentially, then
//! once per thread. In CPython the threaded run is no faster (often slower) than sequential,
//! because only the thread holding the GIL executes bytecode. Rust has no GIL: the threads run on
//! separate cores and the wall time drops with the core count. The tutorial's third contender,
//! one process per task, scales too, but pays for starting each process; it uses the toolkit from
//! the processes chapter.
//!
//! Translates: "Python multiprocessing: True Parallelism", "The GIL Problem" benchmark.

use std::process::ExitCode;
use std::thread;

use clap::Parser;
use examples_threads::heavy;
use lesson::report::Run;
use lesson::{Checks, Failure, Table, timed, usize_in};
use multiproc::{Task, init, spawn};
use workloads::count_primes_below;

#[derive(Parser, Debug)]
#[command(about = "Prime counting: sequential vs one thread per task")]
struct Args {
    /// How many copies of the job to run
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 16))]
    tasks: usize,
    /// Each job counts the primes below this number
    #[arg(long, default_value_t = 1_000_000, value_parser = usize_in(10, 20_000_000))]
    limit: usize,
}

// ANCHOR: process_task
/// The job as a task a child process can run: the same plain `fn`, registered by name.
static COUNT_PRIMES: Task<u64, usize> = Task::new("count_primes", count_primes_below);
// ANCHOR_END: process_task

// ANCHOR: processes
/// One child process per task, all started before the first is joined.
fn in_processes(tasks: usize, limit: u64) -> lesson::Result<Vec<usize>> {
    let mut children = (0..tasks)
        .map(|_| spawn(&COUNT_PRIMES, limit))
        .collect::<Result<Vec<_>, _>>()?;
    let pids: Vec<String> = children.iter().map(|c| c.pid().to_string()).collect();
    println!(
        "            {} child processes: PIDs {}",
        children.len(),
        pids.join(", ")
    );
    children
        .iter_mut()
        .map(|child| {
            child.join()?;
            let pid = child.pid();
            (child.take_result()).ok_or_else(|| Failure::msg(format!("child {pid} sent no result")))
        })
        .collect()
}
// ANCHOR_END: processes

fn main() -> ExitCode {
    init(&[&COUNT_PRIMES]); // in a child process: run the job and exit here
    let args: Args = lesson::parse_args();
    heavy::warn_if_heavy(heavy::cpu_bound_showdown(args.tasks, args.limit));
    lesson::header("cpu_bound_showdown: sequential vs threads vs processes");
    let limit = args.limit as u64; // the job's type; usize_in checked the range
    println!(
        "job: count the primes below {limit} by trial division, {} times",
        args.tasks
    );

    // ANCHOR: sequential
    let (sequential, sequential_time) = timed(|| {
        (0..args.tasks)
            .map(|_| count_primes_below(limit))
            .collect::<Vec<_>>()
    });
    // ANCHOR_END: sequential
    let agree = sequential.iter().all(|&c| c == sequential[0]);
    let sequential_run = Run::judged("sequential", sequential_time, agree);
    println!(
        "sequential: {} ({} primes per job)",
        sequential_run.shown(),
        sequential[0]
    );

    // ANCHOR: threads
    let (threaded, threaded_time) = timed(|| {
        let handles: Vec<_> = (0..args.tasks)
            .map(|_| thread::spawn(move || count_primes_below(limit)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("job panicked"))
            .collect::<Vec<_>>()
    });
    // ANCHOR_END: threads
    let threads_run = Run::judged("threads", threaded_time, threaded == sequential);
    let tasks = args.tasks;
    println!(
        "threads:    {} ({tasks} threads at once)",
        threads_run.shown()
    );

    let (counts, time) = timed(|| in_processes(tasks, limit));
    let right = counts.as_ref().is_ok_and(|counts| *counts == sequential);
    let processes_run = Run::judged("processes", time, right);
    match counts {
        Ok(_) => println!(
            "processes:  {} ({tasks} processes at once)",
            processes_run.shown()
        ),
        Err(failure) => println!("processes:  failed: {failure}"),
    }

    let runs = [
        ("sequential", sequential_run),
        ("threads", threads_run),
        ("processes", processes_run),
    ];
    print_summary(tasks, &runs);
    let mut checks = Checks::new();
    for (what, (_, run)) in [
        "every sequential job found the same count",
        "the threaded jobs found the same counts",
        "the child processes found the same counts",
    ]
    .into_iter()
    .zip(runs)
    {
        checks.check(what, run.right());
    }
    checks.finish()
}

/// The three runs side by side, and the most a parallel run could gain on this machine.
fn print_summary(tasks: usize, runs: &[(&str, Run); 3]) {
    let mut table = Table::new(["approach", "time", "speedup"]);
    for (name, run) in runs {
        table.row([name.to_string(), run.shown(), run.speedup(&runs[0].1, 2)]);
    }
    println!("\n{table}");
    let cores = multiproc::cores();
    println!(
        "With {cores} cores a parallel run can be at most {}x faster. In CPython only the processes\n\
         get there (its threads stay near 1x); in Rust both do, and processes pay for their start-up.",
        cores.min(tasks)
    );
}
