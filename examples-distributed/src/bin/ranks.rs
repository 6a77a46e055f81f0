//! One program, N copies: `mpirun -n 4 ranks` starts four processes running this same binary, and
//! MPI numbers them 0 to 3 (their ranks) in one group (the world). Each learns its rank, the
//! world's size and the host it runs on; rank 0 gathers everyone's answer and prints it, so the
//! lines come out in order instead of interleaved. Then a barrier: ranks that arrive early wait
//! there for the last one.
//!
//! Rust only: MPI is not in the tutorials; this is their processes' life cycle when a launcher, not the program, starts the copies.

use clap::Parser;
use examples_distributed::launch::Start;
use examples_distributed::{ROOT, launch};
use lesson::{Checks, Table};
use mpi::traits::*;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Ranks: size, rank, host and a barrier, gathered on rank 0")]
struct Args {
    /// How long each rank sleeps before the barrier, times its rank (milliseconds).
    #[arg(long, default_value_t = 100, value_parser = lesson::usize_in(0, 2_000))]
    stagger_ms: usize,
}

/// Ranks `cargo run` starts when no mpirun started this lesson.
const RANKS: usize = 4;
/// Bytes kept of a host name: MPI gathers fixed-size blocks.
const NAME_BYTES: usize = 64;
/// What a rank tells rank 0: its process id, how long the barrier held it (µs), its host name.
type Report = (u32, u64, [u8; NAME_BYTES]);

// ANCHOR: report
/// This rank's line for rank 0: who it is, and how long it waited at the barrier after its own
/// staggered arrival (rank r arrives r × stagger late).
fn report(world: &impl Communicator, stagger: Duration) -> Report {
    world.barrier(); // start together: mpirun starts the copies one after another
    std::thread::sleep(stagger * world.rank() as u32);
    let arrived = Instant::now();
    world.barrier(); // nobody leaves before the last rank has arrived
    let waited = arrived.elapsed().as_micros() as u64;
    let host = mpi::environment::processor_name().unwrap_or_default();
    let mut name = [0u8; NAME_BYTES];
    let kept = host.len().min(NAME_BYTES);
    name[..kept].copy_from_slice(&host.as_bytes()[..kept]);
    (std::process::id(), waited, name)
}
// ANCHOR_END: report

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let universe = match launch::as_rank(RANKS) {
        Start::Rank(universe) => universe,
        Start::Done(exit_code) => return exit_code,
    };
    let world = universe.world();
    let stagger = Duration::from_millis(args.stagger_ms as u64);
    // ANCHOR: gather
    let (pid, waited, name) = report(&world, stagger);
    let root = world.process_at_rank(ROOT);
    if world.rank() != ROOT {
        root.gather_into(&pid);
        root.gather_into(&waited);
        root.gather_into(&name[..]);
        return ExitCode::SUCCESS;
    }
    let size = world.size() as usize;
    let (mut pids, mut waits, mut names) = (
        vec![0u32; size],
        vec![0u64; size],
        vec![0u8; size * NAME_BYTES],
    );
    root.gather_into_root(&pid, &mut pids[..]);
    root.gather_into_root(&waited, &mut waits[..]);
    root.gather_into_root(&name[..], &mut names[..]);
    // ANCHOR_END: gather
    lesson::header("ranks: one program started N times by mpirun");
    println!(
        "world size {size}; rank r sleeps r × {} ms, then waits at the barrier",
        args.stagger_ms
    );
    let mut table = Table::new(["rank", "host", "pid", "waited at the barrier"]);
    let hosts: Vec<String> = names
        .chunks(NAME_BYTES)
        .map(|n| {
            String::from_utf8_lossy(n)
                .trim_end_matches('\0')
                .to_string()
        })
        .collect();
    for rank in 0..size {
        let wait = lesson::human(Duration::from_micros(waits[rank]));
        table.row([
            rank.to_string(),
            hosts[rank].clone(),
            pids[rank].to_string(),
            wait,
        ]);
    }
    println!("\n{table}");

    let mut checks = Checks::new();
    let mut distinct = pids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    checks.check(
        format!("{size} ranks answered, each its own process"),
        distinct.len() == size,
    );
    let last_arrival = stagger * (size as u32 - 1);
    // Rank 0 arrived first, so the barrier held it until the last rank came, less the moments
    // by which the ranks left the first barrier apart (a little slack for a busy machine).
    let slack = (last_arrival / 5)
        .max(Duration::from_millis(10))
        .min(last_arrival);
    checks.check(
        "the barrier held rank 0 until the last rank arrived",
        Duration::from_micros(waits[0]) + slack >= last_arrival,
    );
    checks.finish()
}
