//! One I/O-bound job, `--requests` simulated requests that each wait (a sleep stands in for a slow
//! server: no network), run four ways: one after another, one OS thread per request, a fixed pool
//! of threads, and tokio tasks on one thread. Waiting costs no CPU, so what differs is what each
//! waiting request holds: a whole thread (a stack, a kernel task) or a task (a small struct). Then
//! each request gets a CPU part: inline in a task it stalls the event loop; handed to
//! `spawn_blocking`, tokio's counterpart of asyncio's `run_in_executor`, it does not.
//!
//! Translates: "Python multiprocessing: True Parallelism", "When to Use What", asyncio, threads and `run_in_executor` for I/O-bound work.

use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use clap::Parser;
use examples_async::{CPU_PART, Report, beside_heartbeat, cpu_part, estimate, gather, measured};
use examples_async::{request_async, request_blocking};
use lesson::{human, usize_in};
use rayon::ThreadPoolBuilder;
use rayon::prelude::*;
use tokio::runtime::Builder;
use tokio::task::spawn_blocking;

/// Requests the sequential row really runs; its time for all of them is extrapolated from these.
const SEQUENTIAL_SAMPLE: usize = 10;
/// How often the event loop's heartbeat asks to run while the CPU parts go on.
const HEARTBEAT: Duration = Duration::from_millis(5);
/// The CPU part run on the event loop's thread, then handed to the blocking pool.
const CPU_PART_WAYS: [(&str, bool); 2] = [
    ("tokio, CPU part inline", true),
    ("tokio, CPU part in spawn_blocking", false),
];

#[derive(Parser, Debug)]
#[command(about = "One I/O-bound job: in sequence, in threads, in a pool, in tokio tasks")]
struct Args {
    /// How many simulated requests
    #[arg(long, default_value_t = 1000, value_parser = usize_in(SEQUENTIAL_SAMPLE, 20_000))]
    requests: usize,
    /// How long each request waits, in milliseconds
    #[arg(long, default_value_t = 100, value_parser = usize_in(1, 2000))]
    wait_ms: usize,
    /// Threads in the fixed pool
    #[arg(long, default_value_t = 64, value_parser = usize_in(1, 1024))]
    pool_threads: usize,
}

/// A way of running the job: the request ids, each request's wait, the pool's size.
type Way = fn(&[u64], Duration, usize) -> lesson::Result<Vec<u64>>;

// ANCHOR: ways
fn sequential(ids: &[u64], wait: Duration, _: usize) -> lesson::Result<Vec<u64>> {
    Ok(ids.iter().map(|&id| request_blocking(id, wait)).collect())
}

fn thread_per_request(ids: &[u64], wait: Duration, _: usize) -> lesson::Result<Vec<u64>> {
    thread::scope(|scope| {
        let start = |&id: &u64| {
            thread::Builder::new().spawn_scoped(scope, move || request_blocking(id, wait))
        };
        let threads = ids.iter().map(start).collect::<Result<Vec<_>, _>>()?;
        Ok(threads.into_iter().filter_map(|t| t.join().ok()).collect())
    })
}

fn thread_pool(ids: &[u64], wait: Duration, threads: usize) -> lesson::Result<Vec<u64>> {
    let pool = ThreadPoolBuilder::new().num_threads(threads).build()?;
    let request = |&id: &u64| request_blocking(id, wait);
    Ok(pool.install(|| ids.par_iter().map(request).collect()))
}

fn tokio_tasks(ids: &[u64], wait: Duration, _: usize) -> lesson::Result<Vec<u64>> {
    let runtime = Builder::new_current_thread().enable_time().build()?;
    let tasks = ids.iter().map(|&id| runtime.spawn(request_async(id, wait)));
    Ok(runtime.block_on(gather(tasks.collect()))?)
}

/// The tutorial's `run_in_executor(None, urlopen, url)`: blocking calls handed to a thread pool.
fn tokio_spawn_blocking(ids: &[u64], wait: Duration, _: usize) -> lesson::Result<Vec<u64>> {
    let runtime = Builder::new_current_thread().enable_time().build()?;
    let blocking = |&id: &u64| runtime.spawn_blocking(move || request_blocking(id, wait));
    Ok(runtime.block_on(gather(ids.iter().map(blocking).collect()))?)
}
// ANCHOR_END: ways

// ANCHOR: cpu_part
/// Every request waits, then does its CPU part on the event loop's thread (`inline`) or on tokio's
/// blocking pool, one thread per core. Returns the answers and how late a heartbeat task ran.
fn cpu_parts(ids: &[u64], wait: Duration, inline: bool) -> lesson::Result<(Vec<u64>, Duration)> {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let mut builder = Builder::new_current_thread();
    let runtime = builder.enable_time().max_blocking_threads(cores).build()?;
    let tasks = ids.iter().map(|&id| {
        runtime.spawn(async move {
            let answer = request_async(id, wait).await;
            if inline {
                Ok(cpu_part(answer))
            } else {
                spawn_blocking(move || cpu_part(answer)).await
            }
        })
    });
    let (answers, late) = beside_heartbeat(&runtime, HEARTBEAT, gather(tasks.collect()))?;
    Ok((answers?.into_iter().collect::<Result<_, _>>()?, late))
}
// ANCHOR_END: cpu_part

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let (n, pool) = (args.requests, args.pool_threads);
    let wait = Duration::from_millis(args.wait_ms as u64);
    lesson::heavy::warn_if_heavy(estimate(n, wait, SEQUENTIAL_SAMPLE, pool));
    lesson::header("async_io: one I/O-bound job, four ways");
    let (ids, waits) = ((0..n as u64).collect::<Vec<_>>(), wait * n as u32);
    let (wait_each, all) = (human(wait), human(waits));
    println!("{n} requests, each waiting {wait_each}: {all} of waiting in all; a pool of {pool}\n");
    let mut report = Report::default();
    let sample = measured(|| sequential(&ids[..SEQUENTIAL_SAMPLE], wait, pool));
    report.extrapolated("sequential (extrapolated)", SEQUENTIAL_SAMPLE, n, sample);
    let ways: [(&str, Way); 4] = [
        ("one thread per request", thread_per_request),
        ("thread pool (rayon)", thread_pool),
        ("tokio tasks, one thread", tokio_tasks),
        ("tokio spawn_blocking", tokio_spawn_blocking),
    ];
    let runs: Vec<_> = (ways.iter())
        .map(|(name, way)| report.row(name, n, measured(|| way(&ids, wait, pool))))
        .collect();
    report.print_table();
    let overlapped = runs[2].time().is_some_and(|t| t * 10 < waits);
    let what = format!("tokio overlapped the waits: {} for {all}", runs[2].shown());
    report.checks.check(what, overlapped);

    println!("\n-- now each request also sums {CPU_PART} squares after its wait --");
    let mut lateness = Vec::new();
    for (name, inline) in CPU_PART_WAYS {
        let (outcome, took, peak) = measured(|| cpu_parts(&ids, wait, inline));
        let (answers, late) =
            outcome.map_or_else(|e| (Err(e), None), |(a, late)| (Ok(a), Some(late)));
        let run = report.row(name, n, (answers, took, peak));
        let late_by = run.figure(late.map_or("-".into(), human));
        println!("  a heartbeat task on the event loop ran late by at most {late_by}");
        lateness.push(late.filter(|_| run.right()));
    }
    report.print_table();
    let punctual = matches!(lateness[..], [Some(inline), Some(handed_off)] if handed_off < inline);
    let what = "spawn_blocking kept the heartbeat more punctual than inline";
    report.checks.check(what, punctual);
    report.checks.finish()
}
