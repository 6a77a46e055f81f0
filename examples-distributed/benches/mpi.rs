//! The chapter's speed targets, measured in a release build: `cargo bench -p examples-distributed`.
//!
//! * the dynamic MPI factorizer on 2 ranks against the serial one, timed before the job starts
//!   (target: at least 1.9x on a 2-core machine), best of a few runs each;
//! * small-message round trips and a one-way stream over MPI and over ipc-channel, between the
//!   same two processes.
//!
//! A timed bench rather than criterion: it runs as an MPI job (it starts itself under mpirun),
//! and criterion's runner does not know about ranks.

use examples_distributed::pingpong::{self, Side};
use examples_distributed::{ROOT, factoring, launch};
use mpi::traits::*;
use std::process::ExitCode;
use std::time::Duration;

const RANKS: usize = 2;
const NUMBERS: usize = 10_000;
const RUNS: usize = 3;
const CHUNKS_PER_RANK: usize = 32;
const TARGET_SPEEDUP: f64 = 1.9;
const ROUNDS: usize = 20_000;
const MESSAGES: usize = 200_000;
const BYTES: usize = 8;

fn best(times: impl Iterator<Item = Duration>) -> Duration {
    times.min().unwrap_or_default()
}

/// Where the launcher hands the job its serial time (nanoseconds), measured before the job started.
const SERIAL_VAR: &str = "DISTRIBUTED_BENCH_SERIAL_NS";

fn main() -> ExitCode {
    let nums = workloads::factor_inputs(NUMBERS, workloads::inputs::DEFAULT_SEED);
    if !launch::under_mpirun() {
        // The serial baseline runs here, before any rank exists: a rank waiting in MPI polls, and
        // would take a core from the baseline on a machine with other work running.
        let mut right = true;
        let serial = best((0..RUNS).map(|_| {
            let (results, took) = lesson::timed(|| factoring::serial(&nums));
            right &= factoring::all_right(&nums, &results);
            took
        }));
        if !right {
            println!("factorizer: FAILED, a serial result was wrong: no figures");
            return ExitCode::FAILURE;
        }
        let mut job = launch::mpirun_self(RANKS);
        return match job.env(SERIAL_VAR, serial.as_nanos().to_string()).status() {
            Ok(status) if status.success() => ExitCode::SUCCESS,
            Ok(_) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("error: cannot start mpirun ({e}): install Open MPI");
                ExitCode::FAILURE
            }
        };
    }
    let serial = std::env::var(SERIAL_VAR)
        .ok()
        .and_then(|ns| ns.parse().ok());
    let serial = Duration::from_nanos(serial.unwrap_or(0));
    let Some(universe) = mpi::initialize() else {
        return ExitCode::FAILURE;
    };
    let world = universe.world();
    let root = world.rank() == ROOT;
    let mut right = true;
    let dynamic = best((0..RUNS).map(|_| {
        world.barrier();
        let (results, took) = lesson::timed(|| factoring::dynamic(&world, &nums, CHUNKS_PER_RANK));
        right &= !root || results.is_some_and(|r| factoring::all_right(&nums, &r));
        took
    }));
    world.barrier();
    let side = if root { Side::Starter } else { Side::Answerer };
    let trips = pingpong::mpi_round_trips(&world, side, ROUNDS, BYTES);
    let stream = pingpong::mpi_stream(&world, side, MESSAGES, BYTES);
    let ipc = pingpong::ipc_link(&world, side).and_then(|link| {
        let trips = pingpong::ipc_round_trips(&link, side, ROUNDS, BYTES)?;
        Ok((trips, pingpong::ipc_stream(&link, side, MESSAGES, BYTES)?))
    });
    if !root {
        return ExitCode::SUCCESS;
    }
    println!(
        "machine: {}; {}",
        lesson::machine(),
        lesson::build_profile()
    );
    if !right {
        println!("factorizer: FAILED, a result was wrong or missing: no figures");
        return ExitCode::FAILURE;
    }
    let speedup = serial.as_secs_f64() / dynamic.as_secs_f64();
    let verdict = if speedup >= TARGET_SPEEDUP {
        "met"
    } else {
        "NOT met"
    };
    println!(
        "factorizer, {NUMBERS} numbers, best of {RUNS}: serial {}, dynamic MPI on {RANKS} ranks {}: {speedup:.2}x (target {TARGET_SPEEDUP}x: {verdict})",
        lesson::human(serial),
        lesson::human(dynamic)
    );
    let show = |name: &str, trips: Duration, stream: Duration| {
        let trip = trips / ROUNDS as u32;
        let rate = MESSAGES as f64 / stream.as_secs_f64();
        println!(
            "{name:<12} {BYTES}-byte round trip {:>9}, one way {:>9}, stream {rate:>10.0} messages/s",
            lesson::human(trip),
            lesson::human(trip / 2)
        );
    };
    match (trips, ipc) {
        (Ok(trips), Ok((ipc_trips, ipc_stream))) => {
            show("MPI", trips, stream);
            show("ipc-channel", ipc_trips, ipc_stream);
            ExitCode::SUCCESS
        }
        (Err(why), _) | (_, Err(why)) => {
            println!("latency: FAILED: {why}");
            ExitCode::FAILURE
        }
    }
}
