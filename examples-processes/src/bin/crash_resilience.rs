//! A worker process killed in the middle of a run, and another that aborts: the pool reports an
//! error for exactly the task each was running, starts a replacement, and finishes every other
//! task. Python's `Pool` cannot do this: a worker killed mid-task leaves `map` waiting forever
//! for a result that will never come (bpo-22393). It shows why the toolkit's pool supervises its
//! workers instead of trusting them.
//!
//! Rust only: Python's `Pool` waits forever for a worker killed mid-task; a supervised pool reports that task and finishes.

use clap::Parser;
use lesson::{Checks, Failure, usize_in};
use multiproc::signal::{ABRT, KILL};
use multiproc::{Exit, Pool, Task, TaskError, init};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The input whose task aborts its worker.
const ABORTS: usize = usize::MAX;
/// A worker is killed once this many results are in: mid-run, most tasks still queued.
const KILL_AFTER_RESULTS: usize = 2;
/// How long the pool may take to replace its last dead worker before the lesson reports it.
const RECOVERY_DEADLINE: Duration = Duration::from_secs(5);

#[derive(Parser)]
#[command(about = "Kill a pool worker mid-run and watch the pool finish anyway")]
struct Args {
    /// Tasks to run.
    #[arg(long, default_value_t = 24, value_parser = usize_in(8, 10_000))]
    tasks: usize,
    /// How long each task takes, in milliseconds.
    #[arg(long, default_value_t = 50, value_parser = usize_in(1, 5_000))]
    task_ms: usize,
    /// Worker processes.
    #[arg(long, default_value_t = 2, value_parser = usize_in(1, 16))]
    workers: usize,
}

// ANCHOR: task
/// Squares `x` after `ms` milliseconds; the task whose input is `ABORTS` aborts its worker
/// instead, as a crash in native code would (no panic to catch, no message: the process is gone).
fn slow_square((x, ms): (usize, u64)) -> Result<usize, String> {
    if x == ABORTS {
        std::process::abort();
    }
    std::thread::sleep(Duration::from_millis(ms));
    Ok(x * x)
}
static SLOW_SQUARE: Task<(usize, u64), Result<usize, String>> =
    Task::new("slow_square", slow_square);
// ANCHOR_END: task

// ANCHOR: kill
/// Runs every input through `imap_unordered`, killing a worker with `SIGKILL` mid-run. Returns
/// each input's result in input order and the PID of the worker it killed.
fn run_and_kill(
    pool: &Pool<(usize, u64), usize>,
    inputs: &[(usize, u64)],
) -> (Vec<Result<usize, TaskError>>, Option<u32>) {
    let mut results = vec![Err(TaskError::NotRunning); inputs.len()];
    let mut killed = None;
    for (received, (index, result)) in pool.imap_unordered(inputs.to_vec(), 1).enumerate() {
        if received == KILL_AFTER_RESULTS
            && let Some(&victim) = pool.worker_pids().first()
        {
            println!("killing worker {victim} with SIGKILL");
            // `victim` is a worker the pool has not reaped yet, so its PID is still its own.
            killed = multiproc::signal::send(victim, KILL).ok().map(|()| victim);
        }
        if let Err(err) = &result {
            println!("task {index} failed: {err}");
        }
        results[index] = result;
    }
    (results, killed)
}
// ANCHOR_END: kill

fn main() -> ExitCode {
    init(&[&SLOW_SQUARE]);
    let args: Args = lesson::parse_args();
    lesson::header("crash_resilience: a pool that survives its workers");
    let pool = match Pool::new(&SLOW_SQUARE, args.workers) {
        Ok(pool) => pool,
        Err(err) => return Failure::from(err).report(),
    };
    println!("{} workers: PIDs {:?}", args.workers, pool.worker_pids());
    // Each task carries its duration: workers start with no flags of their own.
    let ms = args.task_ms as u64;
    let inputs: Vec<(usize, u64)> = (0..args.tasks - 1)
        .chain([ABORTS])
        .map(|x| (x, ms))
        .collect();

    let ((results, killed), took) = lesson::timed(|| run_and_kill(&pool, &inputs));
    // The last replacement starts when the last task's worker dies, so it may still be connecting.
    let back_by = Instant::now() + RECOVERY_DEADLINE;
    while pool.worker_pids().len() < args.workers && Instant::now() < back_by {
        std::thread::sleep(Duration::from_millis(10));
    }
    let after = pool.worker_pids();
    println!(
        "workers now: PIDs {after:?}; {} replacements started",
        pool.replacements()
    );

    let ok = results.iter().filter(|r| r.is_ok()).count();
    let died = |signal: i32| {
        let by = |r: &&Result<usize, TaskError>| matches!(r, Err(TaskError::WorkerDied { exit: Some(Exit::Signal(s)), .. }) if *s == signal);
        results.iter().filter(by).count()
    };
    println!(
        "\n{} tasks in {}: {ok} completed, {} lost to SIGKILL, {} lost to abort\n",
        inputs.len(),
        lesson::human(took),
        died(KILL),
        died(ABRT)
    );
    let mut checks = Checks::new();
    checks.check(
        "every task was accounted for (no hang, no missing result)",
        !results
            .iter()
            .any(|r| matches!(r, Err(TaskError::NotRunning))),
    );
    checks.check("exactly one task was lost to the SIGKILL", died(KILL) == 1);
    checks.check(
        "the aborting task, and only it, was lost to SIGABRT",
        died(ABRT) == 1 && results.last().is_some_and(|r| r.is_err()),
    );
    let right = inputs
        .iter()
        .zip(&results)
        .all(|((x, _), r)| r.as_ref().map_or(true, |v| *v == x * x));
    checks.check(
        "every other task completed with the right answer",
        ok == inputs.len() - 2 && right,
    );
    checks.check(
        "two replacement workers were started",
        pool.replacements() == 2,
    );
    checks.check(
        format!(
            "the pool is back to {} workers, the killed one not among them",
            args.workers
        ),
        after.len() == args.workers && killed.is_some_and(|pid| !after.contains(&pid)),
    );
    checks.finish()
}
