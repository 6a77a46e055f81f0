//! A worker process killed in the middle of a run, and another that aborts: the pool reports an
//! error for exactly the task each was running, starts a replacement, and finishes every other
//! task. Python's `Pool` cannot do this: a worker killed mid-task leaves `map` waiting forever
//! for a result that will never come (bpo-22393). Beyond the seed tutorials; it shows why the
//! toolkit's pool supervises its workers instead of trusting them.

use clap::Parser;
use lesson::{Checks, Table};
use multiproc::{Exit, Pool, Task, TaskError, init};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Kill a pool worker mid-run and watch the pool finish anyway")]
struct Args {
    /// Tasks to run.
    #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u64).range(8..=10_000))]
    tasks: u64,
    /// How long each task takes, in milliseconds.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=5_000))]
    task_ms: u64,
    /// Worker processes.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=16))]
    workers: u64,
}

// ANCHOR: task
/// Squares `x` slowly; the task whose input is `u64::MAX` aborts its worker instead, as a crash in
/// native code would (no panic to catch, no message: the process is simply gone).
fn slow_square(x: u64) -> Result<u64, String> {
    if x == u64::MAX {
        std::process::abort();
    }
    std::thread::sleep(Duration::from_millis(TASK_MS.get().copied().unwrap_or(50)));
    Ok(x * x)
}
static SLOW_SQUARE: Task<u64, Result<u64, String>> = Task::new("slow_square", slow_square);
// ANCHOR_END: task

// The task's duration reaches the workers through their environment (they start with no flags).
static TASK_MS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();

fn main() -> ExitCode {
    let _ = TASK_MS.set(
        std::env::var("TASK_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(50),
    );
    init(&[&SLOW_SQUARE]);
    let args: Args = lesson::parse_args();
    lesson::header("crash_resilience: a pool that survives its workers");
    let options = multiproc::PoolOptions {
        workers: args.workers as usize,
        spawn: multiproc::SpawnOptions {
            env: vec![("TASK_MS".into(), args.task_ms.to_string())],
            ..Default::default()
        },
        ..Default::default()
    };
    let pool = match Pool::with_options(&SLOW_SQUARE, options) {
        Ok(pool) => pool,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let before = pool.worker_pids();
    println!("{} workers: PIDs {before:?}", before.len());
    // The last input aborts its worker; all others are ordinary.
    let mut inputs: Vec<u64> = (0..args.tasks - 1).collect();
    inputs.push(u64::MAX);

    // ANCHOR: kill
    let mut results = vec![None; inputs.len()];
    let mut killed = None;
    let ((), took) = lesson::timed(|| {
        for (received, (index, result)) in pool.imap_unordered(inputs.clone(), 1).enumerate() {
            if received == 2 {
                // Mid-run: two results in, most tasks still queued. SIGKILL cannot be caught.
                if let Some(&victim) = pool.worker_pids().first() {
                    println!("killing worker {victim} with SIGKILL");
                    // `victim` is a worker the pool has not reaped yet, so its PID is still its own.
                    let _ = multiproc::signal::send(victim, multiproc::signal::KILL);
                    killed = Some(victim);
                }
            }
            if let Err(err) = &result {
                println!("task {index} failed: {err}");
            }
            results[index] = Some(result);
        }
    });
    // ANCHOR_END: kill
    // The last replacement starts when the last task's worker dies, so it may still be connecting:
    // give it a moment (bounded, so a pool that cannot recover fails a check instead of hanging).
    let back_by = std::time::Instant::now() + Duration::from_secs(5);
    while pool.worker_pids().len() < args.workers as usize && std::time::Instant::now() < back_by {
        std::thread::sleep(Duration::from_millis(10));
    }
    let after = pool.worker_pids();
    println!(
        "workers now: PIDs {after:?}; {} replacements started",
        pool.replacements()
    );

    let results: Vec<Result<u64, TaskError>> = results
        .into_iter()
        .map(|r| r.unwrap_or(Err(TaskError::NotRunning)))
        .collect();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let died = |signal: i32| {
        results.iter().filter(|r| matches!(r, Err(TaskError::WorkerDied { exit: Some(Exit::Signal(s)), .. }) if *s == signal)).count()
    };
    let mut table = Table::new([
        "tasks",
        "completed",
        "lost to SIGKILL",
        "lost to abort",
        "replacements",
        "time",
    ]);
    table.row([
        inputs.len().to_string(),
        ok.to_string(),
        died(libc::SIGKILL).to_string(),
        died(libc::SIGABRT).to_string(),
        pool.replacements().to_string(),
        lesson::human(took),
    ]);
    println!("\n{table}");

    let mut checks = Checks::new();
    checks.check(
        "every task was accounted for (no hang, no missing result)",
        results.len() == inputs.len(),
    );
    checks.check(
        "exactly one task was lost to the SIGKILL",
        died(libc::SIGKILL) == 1,
    );
    checks.check(
        "the aborting task, and only it, was lost to SIGABRT",
        died(libc::SIGABRT) == 1 && results.last().is_some_and(|r| r.is_err()),
    );
    checks.check(
        "every other task completed with the right answer",
        ok == inputs.len() - 2
            && inputs
                .iter()
                .zip(&results)
                .all(|(x, r)| r.as_ref().map_or(true, |v| *v == x * x)),
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
        after.len() == args.workers as usize && killed.is_some_and(|pid| !after.contains(&pid)),
    );
    checks.finish()
}
