//! The tutorial's race, between processes: a counter in a shared-memory segment that several
//! worker processes increment with no lock. Python's `counter.value += 1` on a
//! `multiprocessing.Value` reads and writes under the Value's lock separately, so updates are
//! lost; here each worker does an atomic `load` and then a separate `store`, which loses updates
//! the same way without any undefined behaviour (a race in the logic, not a data race). The
//! lesson counts the lost updates, runs one worker alone as a control, and checks that the race
//! never counts more than was added and that no segment is left in `/dev/shm`.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Inter-Process Communication", `Value` without a lock, and the lost updates "Synchronization Primitives" warns of.

use std::process::ExitCode;

use clap::Parser;
use examples_sync::workers::{
    Increment, check_nothing_left, count_in_processes, end, guard_dev_shm, tasks,
};
use lesson::{Checks, human, usize_in};

#[derive(Parser, Debug)]
#[command(about = "A counter in shared memory, incremented by several processes with no lock")]
struct Args {
    /// How many worker processes add to the counter
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 16))]
    workers: usize,
    /// How many times each worker adds one (enough that the workers' loops overlap in time: a
    /// loop of a few milliseconds can finish before the scheduler runs the next worker)
    #[arg(long, default_value_t = 5_000_000, value_parser = usize_in(1, 10_000_000))]
    increments: usize,
}

fn main() -> ExitCode {
    multiproc::init(&tasks()); // in a worker this runs its task and never returns
    let args: Args = lesson::parse_args();
    lesson::header("shared_value_race: a shared counter without a lock");
    end(run(args.workers, args.increments as u64))
}

fn run(workers: usize, increments: u64) -> lesson::Result<ExitCode> {
    let expected = workers as u64 * increments;
    guard_dev_shm()?;
    println!("{workers} processes x {increments} increments each: expected total {expected}");
    let mut checks = Checks::new();

    println!("\n-- {workers} workers, atomic load then store --");
    // ANCHOR: race
    let run = count_in_processes(Increment::LoadThenStore, workers, increments)?;
    println!("worker PIDs: {:?}", run.pids);
    let lost = expected - run.total.min(expected);
    println!(
        "total {} of {expected}: {lost} updates lost ({:.1}%) in {}",
        run.total,
        100.0 * lost as f64 / expected as f64,
        human(run.elapsed)
    );
    checks.check(
        "the race never counts more than was added",
        run.total <= expected,
    );

    println!("\n-- control: one worker alone --");
    let alone = count_in_processes(Increment::LoadThenStore, 1, increments)?;
    println!("total {} of {increments}", alone.total);
    checks.check(
        "with one worker, nothing is lost",
        alone.total == increments,
    );
    // ANCHOR_END: race
    check_nothing_left(&mut checks);
    Ok(checks.finish())
}
