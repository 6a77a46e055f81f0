//! Python's `multiprocessing.Event` in Rust: worker *processes* wait until the parent sets it. The
//! `event` lesson's `Event` cannot do this (its `Condvar` sleeps on a futex private to one
//! process), so the toolkit's `ProcessEvent` is one 32-bit word in a shared-memory segment and the
//! futex system call without the private flag. The parent starts the workers on the segment,
//! counts the ones that got past before the set (none may have), and checks that every worker
//! woke because the event was set, and that no segment is left in `/dev/shm`.
//!
//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", the FAQ "How Can I Share Data Between Processes in Python?", its "other synchronization primitives provided by the multiprocessing module".

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use examples_sync::workers::{
    check_nothing_left, end, event_across_processes, guard_dev_shm, tasks,
};
use lesson::{Checks, usize_in};

#[derive(Parser, Debug)]
#[command(about = "An Event between processes: worker processes wait for the parent's go")]
struct Args {
    /// How many worker processes wait on the event
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 16))]
    workers: usize,
}

/// How long the parent lets the workers settle into their wait before it counts them and sets
/// the event: long enough that a broken event would have let them through.
const SETTLE: Duration = Duration::from_millis(100);

fn main() -> ExitCode {
    multiproc::init(&tasks()); // in a worker this runs its task and never returns
    let args: Args = lesson::parse_args();
    lesson::header("process_event: one Event, several processes");
    end(run(args.workers))
}

fn run(workers: usize) -> lesson::Result<ExitCode> {
    guard_dev_shm()?;
    println!("\n-- Event across processes: {workers} worker processes wait for the parent's go --");
    // ANCHOR: scene
    let run = event_across_processes(workers, SETTLE)?;
    println!("worker PIDs: {:?}", run.pids);
    println!(
        "passed before set: {}; after: {}",
        run.passed_before, run.passed_after
    );
    let mut checks = Checks::new();
    checks.check(
        "no worker process went past the Event before it was set",
        run.passed_before == 0,
    );
    checks.check(
        "every worker process woke because the Event was set",
        run.woke_set.len() == workers && run.woke_set.iter().all(|&set| set),
    );
    // ANCHOR_END: scene
    check_nothing_left(&mut checks);
    Ok(checks.finish())
}
