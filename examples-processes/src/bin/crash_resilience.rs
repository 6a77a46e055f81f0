//! Two pool workers die mid-task: one by `SIGKILL`, as from the out-of-memory killer or an
//! operator, one by `abort`, as in a crash in native code. The pool reports an error for exactly
//! the task each was running, starts a replacement, and finishes every other task. Python's `Pool`
//! leaves `map` waiting forever for the lost task's result (bpo-22393).
//!
//! Rust only: Python's `Pool` waits forever for a worker killed mid-task; a supervised pool reports that task and finishes.

use clap::Parser;
use examples_processes::heavy;
use examples_processes::report::{Run, die_if_asked};
use lesson::timeline::{Returned, Stamp, draw_pool, require_writable, wall_clock};
use lesson::{Checks, Failure, usize_in};
use multiproc::signal::{ABRT, KILL};
use multiproc::{Exit, Pool, Task, TaskError, init};
use std::{path::PathBuf, process::ExitCode, time::Duration, time::Instant};

/// The input whose task kills its own worker with `SIGKILL`, placed half-way through the run.
const KILLED: usize = usize::MAX - 1;
/// The input whose task aborts its worker, placed last.
const ABORTS: usize = usize::MAX;
/// How long the pool may take to replace its last dead worker before the lesson reports it.
const RECOVERY_DEADLINE: Duration = Duration::from_secs(5);
/// How often the lesson looks whether the pool is back to full strength.
const POLL: Duration = Duration::from_millis(10);

#[derive(Parser)]
#[command(about = "Pool workers killed and aborted mid-run: the pool finishes anyway")]
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
    /// Also draw which worker ran which task, and when, as an SVG timeline at this path.
    #[arg(long)]
    timeline: Option<PathBuf>,
}

// ANCHOR: task
/// Squares `x` after `ms` milliseconds (workers start with no flags, so the duration travels
/// with each input). Two inputs end their worker instead: `KILLED` with a `SIGKILL` it cannot
/// catch, `ABORTS` with `abort`. Neither leaves a panic to catch or a message: the process is gone.
fn slow_square((x, ms): (usize, u64)) -> Result<usize, String> {
    if x == KILLED {
        println!("  worker {} sends itself SIGKILL", std::process::id());
        let _ = multiproc::signal::send(std::process::id(), KILL);
    }
    if x == ABORTS {
        std::process::abort();
    }
    std::thread::sleep(Duration::from_millis(ms));
    Ok(x * x)
}
// ANCHOR_END: task
/// `slow_square` for the pool's workers, behind the test hook that can make them all die, stamped
/// with the worker's PID and when it ran the task, for the timeline.
static SLOW_SQUARE: Task<(usize, u64), Result<(usize, Stamp), String>> =
    Task::new("slow_square", |job| {
        die_if_asked("slow_square");
        let start = wall_clock();
        slow_square(job).map(|v| (v, (std::process::id(), start, wall_clock())))
    });

fn main() -> ExitCode {
    init(&[&SLOW_SQUARE]);
    let args: Args = lesson::parse_args();
    let cost = heavy::crash_resilience(args.tasks, args.task_ms, args.workers);
    heavy::warn_if_heavy(cost);
    args.timeline.as_deref().map(require_writable);
    lesson::header("crash_resilience: a pool that survives its workers");
    let pool = match Pool::new(&SLOW_SQUARE, args.workers) {
        Ok(pool) => pool,
        Err(err) => return Failure::from(err).report(),
    };
    println!("{} workers: PIDs {:?}", args.workers, pool.worker_pids());
    let ms = args.task_ms as u64; // usize_in checked the range
    let mut inputs: Vec<usize> = (0..args.tasks - 1).chain([ABORTS]).collect();
    inputs[args.tasks / 2] = KILLED;
    // ANCHOR: run
    let (mut results, origin) = (Vec::new(), wall_clock()); // (task, result, when it came back)
    let ((), took) = lesson::timed(|| {
        for (index, result) in pool.imap_unordered(inputs.iter().map(|&x| (x, ms)), 1) {
            if let Err(err) = &result {
                println!("task {index} failed: {err}");
            }
            results.push((index, result, wall_clock()));
        }
    });
    // ANCHOR_END: run
    let code = report(&pool, &inputs, &results, took, args.workers);
    let title = format!("{} tasks, {} workers", inputs.len(), args.workers);
    draw_pool(args.timeline.as_deref(), code, title, origin, &results)
}

/// Checks that the pool lost exactly the two tasks whose workers died, and recovered.
fn report(
    pool: &Pool<(usize, u64), (usize, Stamp)>,
    inputs: &[usize],
    results: &[Returned<usize>],
    took: Duration,
    workers: usize,
) -> ExitCode {
    // The last replacement starts when the last task's worker dies, so it may still be connecting.
    let back_by = Instant::now() + RECOVERY_DEADLINE;
    while pool.worker_pids().len() < workers && Instant::now() < back_by {
        std::thread::sleep(POLL);
    }
    let (after, replacements) = (pool.worker_pids(), pool.replacements());
    println!("workers now: PIDs {after:?}; {replacements} replacements started");
    let (mut died, mut right) = (Vec::new(), 0); // died: (input, PID, exit) of each lost task
    for (index, result, _) in results {
        let x = inputs[*index];
        match result {
            Ok((v, _)) if x.checked_mul(x) == Some(*v) => right += 1,
            Err(TaskError::WorkerDied { pid, exit }) => died.push((x, *pid, *exit)),
            _ => {}
        }
    }
    let (kill, abrt) = (Some(Exit::Signal(KILL)), Some(Exit::Signal(ABRT)));
    let lost_to = |s| died.iter().filter(move |d| d.2 == s).map(|d| d.0);
    let (tasks, k, a) = (inputs.len(), lost_to(kill).count(), lost_to(abrt).count());
    let outcomes = [
        right + k + a == tasks,
        lost_to(kill).eq([KILLED]),
        lost_to(abrt).eq([ABORTS]),
        right == tasks - 2,
        replacements == 2,
        after.len() == workers && !after.iter().any(|p| died.iter().any(|d| d.1 == *p)),
    ];
    let claims = [
        "every task was accounted for (no hang, no missing result)",
        "the killed task, and only it, was lost to SIGKILL",
        "the aborting task, and only it, was lost to SIGABRT",
        "every other task completed with the right answer",
        "two replacement workers were started",
        &format!("the pool is back to {workers} workers, neither dead one among them"),
    ];
    // The run's time counts only if the pool lost exactly what it should have and recovered.
    let took = Run::new(took, outcomes.iter().all(|&ok| ok)).in_time();
    println!("\n{tasks} tasks {took}: {right} completed, {k} lost to SIGKILL, {a} lost to abort\n");
    let mut checks = Checks::new();
    for (claim, ok) in claims.into_iter().zip(outcomes) {
        checks.check(claim, ok);
    }
    checks.finish()
}
