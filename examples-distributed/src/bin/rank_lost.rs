//! A rank lost mid-job. Rank 0 deals items to the other ranks one at a time; after a few, rank 1
//! dies (killed by SIGKILL, or exiting without saying goodbye to MPI). Rank 0 is left waiting for
//! an answer that will never come, but it does not wait forever: mpirun sees a rank end before the
//! job did, kills every other rank and ends with a message naming the one it lost. This lesson
//! starts the job itself, watches it from outside and checks exactly that: an error exit, within
//! a deadline, a message naming rank 1, and no process of the job left behind.
//!
//! Rust only: MPI is not in the tutorials; this is the processes chapter's crashed worker, where MPI's answer is to abort the whole job.

use clap::{Parser, ValueEnum};
use examples_distributed::{ROOT, launch};
use lesson::{Checks, usize_in};
use mpi::traits::*;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    about = "A rank killed mid-job: mpirun aborts the whole job, names the rank, leaves nothing"
)]
struct Args {
    /// Items rank 1 answers before it dies.
    #[arg(long, default_value_t = 5, value_parser = usize_in(0, 1_000))]
    after: usize,
    /// How rank 1 dies.
    #[arg(long, value_enum, default_value_t = Death::Kill)]
    how: Death,
}

#[derive(Clone, Copy, ValueEnum)]
enum Death {
    /// SIGKILL, as a crash or the out-of-memory killer would end it.
    Kill,
    /// `exit(3)` without finishing MPI, as a program that quits early would.
    Exit,
}

/// Ranks in the job: rank 0 and two workers, one of which dies.
const RANKS: usize = 3;
/// Items rank 0 deals: more than the victim lives to answer, so the job cannot finish.
const ITEMS: u64 = 1_000_000;
/// How long mpirun gets to notice the loss and end the job.
const DEADLINE: Duration = Duration::from_secs(30);
const VICTIM: i32 = 1;

// ANCHOR: job
/// Inside the job: rank 0 hands out items and waits for each answer; the victim dies on schedule.
fn job(args: &Args) -> ExitCode {
    let Some(universe) = mpi::initialize() else {
        return ExitCode::FAILURE;
    };
    let world = universe.world();
    let (rank, workers) = (world.rank(), world.size() as u64 - 1);
    if rank == ROOT {
        for item in 0..ITEMS {
            let worker = world.process_at_rank(1 + (item % workers.max(1)) as i32);
            worker.send(&item);
            let (answer, _) = worker.receive::<u64>(); // blocks for good once the victim is gone
            assert_eq!(answer, item + 1);
        }
        println!("rank 0: every item answered (the victim never died?)");
        return ExitCode::SUCCESS;
    }
    let boss = world.process_at_rank(ROOT);
    for answered in 0.. {
        if rank == VICTIM && answered == args.after {
            eprintln!("rank {rank}: dying now, after {answered} items");
            match args.how {
                Death::Kill => drop(multiproc::signal::send(
                    std::process::id(),
                    multiproc::signal::KILL,
                )),
                Death::Exit => std::process::exit(3),
            }
        }
        let (item, _) = boss.receive::<u64>();
        boss.send(&(item + 1));
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: job

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    if launch::under_mpirun() {
        return job(&args);
    }
    lesson::header("rank_lost: a rank dies mid-job, MPI aborts the job");
    println!(
        "starting {RANKS} ranks; rank {VICTIM} dies ({}) after {} items",
        match args.how {
            Death::Kill => "SIGKILL",
            Death::Exit => "exit(3) without MPI_Finalize",
        },
        args.after
    );
    // ANCHOR: watch
    let ended = match launch::watch(launch::mpirun_self(RANKS), DEADLINE) {
        Ok(ended) => ended,
        Err(e) => {
            eprintln!(
                "error: cannot start mpirun ({e}): install Open MPI (see the chapter's page)"
            );
            return ExitCode::FAILURE;
        }
    };
    println!(
        "the job ended after {} with {}; what mpirun said:",
        lesson::human(ended.took),
        ended
            .code
            .map_or("no exit code (killed)".into(), |c| format!("exit code {c}"))
    );
    let said = ended
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("---"));
    said.for_each(|line| println!("  | {line}"));
    let mut checks = Checks::new();
    checks.check(
        format!("the job ended on its own within {DEADLINE:?}"),
        ended.code.is_some(),
    );
    checks.check(
        "with an error exit code",
        ended.code.is_some_and(|c| c != 0),
    );
    // mpirun names a rank by number ("process rank 1") or by process name ("[[job,1],1]").
    let named =
        |l: &str| l.contains(&format!("rank {VICTIM} ")) || l.ends_with(&format!(",{VICTIM}]"));
    let by_mpirun = ended.stderr.lines().filter(|l| !l.starts_with("rank "));
    checks.check(
        "mpirun's own message names the lost rank",
        by_mpirun.into_iter().any(named),
    );
    checks.check(
        "rank 0 never claimed to have finished",
        !ended.stdout.contains("every item answered"),
    );
    checks.check(
        "no process of the job was left behind",
        ended.left_behind.is_empty(),
    );
    // ANCHOR_END: watch
    checks.finish()
}
