//! The tutorial's fix, between processes: the shared counter behind an inter-process lock, and
//! with an atomic `fetch_add`, timed per increment beside the unlocked race. Python's
//! `with counter.get_lock():` becomes a robust, process-shared POSIX mutex living in the segment
//! itself (parking_lot's and std's locks only work inside one process). With `--kill-holder`, a
//! worker is `SIGKILL`ed while it holds the lock: the next process to lock it is told the holder
//! died, recovers the lock and carries on, so nobody hangs; only the dead worker's increment is
//! lost. Every exact counter is checked exact, and no segment may be left in `/dev/shm`.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Synchronization Primitives", `Value` with a `Lock`.

use std::process::ExitCode;

use clap::Parser;
use examples_sync::workers::{
    Increment, NEEDS_ROBUST_MUTEX, check_nothing_left, count_after_killing_holder,
    count_in_processes, end, guard_dev_shm, tasks,
};
use lesson::Failure;
use lesson::{Checks, Table, human, usize_in};
use multiproc::shm::RECOVERS_FROM_DEAD_HOLDER;

#[derive(Parser, Debug)]
#[command(about = "A counter in shared memory: no lock, an inter-process lock, an atomic")]
struct Args {
    /// How many worker processes add to the counter
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 16))]
    workers: usize,
    /// How many times each worker adds one
    #[arg(long, default_value_t = 1_000_000, value_parser = usize_in(1, 10_000_000))]
    increments: usize,
    /// Also kill a process while it holds the lock, and show that the others carry on
    #[arg(long)]
    kill_holder: bool,
}

fn main() -> ExitCode {
    multiproc::init(&tasks()); // in a worker this runs its task and never returns
    let args: Args = lesson::parse_args();
    lesson::header("shared_value_lock: a shared counter with a lock, and with an atomic");
    if args.kill_holder && !RECOVERS_FROM_DEAD_HOLDER {
        return Failure::msg(NEEDS_ROBUST_MUTEX).report(); // before anything runs
    }
    end(run(&args))
}

fn run(args: &Args) -> lesson::Result<ExitCode> {
    let (workers, increments) = (args.workers, args.increments as u64);
    let expected = workers as u64 * increments;
    guard_dev_shm()?;
    println!("{workers} processes x {increments} increments each: expected total {expected}");
    let mut checks = Checks::new();

    // ANCHOR: table
    let mut table = Table::new(["increment", "total", "lost", "time", "ns per increment"]);
    for how in [
        Increment::LoadThenStore,
        Increment::Locked,
        Increment::FetchAdd,
    ] {
        let run = count_in_processes(how, workers, increments)?;
        if how == Increment::LoadThenStore {
            checks.check(
                "the race never counts more than was added",
                run.total <= expected,
            );
        } else {
            checks.check(
                format!("{} counts exactly {expected}", how.name()),
                run.total == expected,
            );
        }
        table.row([
            how.name().to_string(),
            run.total.to_string(),
            (expected - run.total.min(expected)).to_string(),
            human(run.elapsed),
            format!("{:.1}", run.elapsed.as_secs_f64() * 1e9 / expected as f64),
        ]);
    }
    // ANCHOR_END: table
    println!("\n{table}");
    println!("(time: from the common start to the slowest worker's last increment)");

    if args.kill_holder {
        println!("\n-- a worker killed while it holds the lock --");
        // ANCHOR: kill
        let killed = count_after_killing_holder(workers, increments)?;
        println!(
            "victim {} took the lock, read the count and was killed ({}) before writing it back",
            killed.victim, killed.victim_exit
        );
        println!(
            "then {workers} workers counted through the same lock: total {}, \
             lock recovered from a dead holder {} time(s)",
            killed.run.total, killed.run.recovered
        );
        checks.check(
            "exactly one locker was told the holder died (EOWNERDEAD)",
            killed.run.recovered == 1,
        );
        checks.check(
            format!("the survivors' {expected} increments all arrived; only the victim's was lost"),
            killed.run.total == expected,
        );
        // ANCHOR_END: kill
    }
    check_nothing_left(&mut checks);
    Ok(checks.finish())
}
