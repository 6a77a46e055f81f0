//! What a message costs. Rank 0 and rank 1 bounce a small message back and forth (a round trip
//! is two messages, so half of it is the one-way latency) and then stream many small messages one
//! way (throughput). Then the same two processes do the same over ipc-channel, the course's
//! channel between processes on one machine. Open MPI passes messages between ranks on one
//! machine through shared memory; between machines it uses the network, and costs more.
//!
//! Rust only: MPI is not in the tutorials; this measures its messages beside the ipc-channel the course uses on one machine.

use clap::Parser;
use examples_distributed::launch::Start;
use examples_distributed::pingpong::{self, Side};
use examples_distributed::{ROOT, launch};
use lesson::{Checks, Table, usize_in};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "MPI small-message latency and throughput beside ipc-channel's")]
struct Args {
    /// Round trips to time.
    #[arg(long, default_value_t = 20_000, value_parser = usize_in(1, 10_000_000))]
    rounds: usize,
    /// Messages in the one-way stream.
    #[arg(long, default_value_t = 200_000, value_parser = usize_in(1, 100_000_000))]
    messages: usize,
    /// Bytes in each message.
    #[arg(long, default_value_t = 8, value_parser = usize_in(1, 1 << 20))]
    bytes: usize,
}

/// Ranks `cargo run` starts when no mpirun started this lesson.
const RANKS: usize = 2;
/// Round trips made before timing, so connections and buffers are set up.
const WARM_UP: usize = 100;

/// The figures from rank 0's side: per transport, its round trips' and its stream's times.
type Figures = [(Duration, Duration); 2];

// ANCHOR: measure
/// Both transports between rank 0 and rank 1, one after the other, on the same two processes.
fn measure(world: &SimpleCommunicator, side: Side, args: &Args) -> Result<Figures, String> {
    pingpong::mpi_round_trips(world, side, WARM_UP, args.bytes)?;
    let mpi_trips = pingpong::mpi_round_trips(world, side, args.rounds, args.bytes)?;
    let mpi_stream = pingpong::mpi_stream(world, side, args.messages, args.bytes);
    let link = pingpong::ipc_link(world, side)?;
    pingpong::ipc_round_trips(&link, side, WARM_UP, args.bytes)?;
    let ipc_trips = pingpong::ipc_round_trips(&link, side, args.rounds, args.bytes)?;
    let ipc_stream = pingpong::ipc_stream(&link, side, args.messages, args.bytes)?;
    Ok([(mpi_trips, mpi_stream), (ipc_trips, ipc_stream)])
}
// ANCHOR_END: measure

/// How Open MPI carries the messages, read from its `btl` setting in the environment: shared
/// memory between ranks of one machine, unless the setting leaves it out (`tcp,self` lists what
/// to use, `^vader` what not to), and then TCP, the transport between machines.
fn mpi_transport() -> &'static str {
    let btl = std::env::var("OMPI_MCA_btl").unwrap_or_default();
    let (excluding, listed) = match btl.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, btl.as_str()),
    };
    let names_shared_memory = listed.split(',').any(|b| b == "vader" || b == "sm");
    if btl.is_empty() || names_shared_memory != excluding {
        "MPI (Open MPI, shared memory)"
    } else {
        "MPI (Open MPI, TCP)"
    }
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let universe = match launch::as_rank(RANKS) {
        Start::Rank(universe) => universe,
        Start::Done(exit_code) => return exit_code,
    };
    let world = universe.world();
    if world.size() < 2 {
        eprintln!("error: needs 2 ranks");
        return ExitCode::from(lesson::USAGE_ERROR);
    }
    let side = match world.rank() {
        ROOT => Side::Starter,
        pingpong::PEER => Side::Answerer,
        _ => return ExitCode::SUCCESS, // ranks past the first two only watch
    };
    let figures = match measure(&world, side, &args) {
        Ok(figures) => figures,
        Err(why) => {
            eprintln!(
                "error: rank {} failed: {why}; aborting the job",
                world.rank()
            );
            world.abort(1) // the other rank may be waiting for us: MPI ends the whole job
        }
    };
    if side == Side::Answerer {
        return ExitCode::SUCCESS;
    }
    lesson::header("mpi_latency: what a small message costs, MPI beside ipc-channel");
    println!(
        "ranks 0 and 1 on {}; {} round trips, a stream of {} messages, {} bytes each",
        mpi::environment::processor_name().unwrap_or_default(),
        args.rounds,
        args.messages,
        args.bytes
    );
    let mut table = Table::new(["transport", "round trip", "one way", "stream: messages/s"]);
    for (name, (trips, stream)) in [mpi_transport(), "ipc-channel"].iter().zip(figures) {
        let trip = trips / args.rounds as u32;
        let rate = args.messages as f64 / stream.as_secs_f64();
        table.row([
            name.to_string(),
            lesson::human(trip),
            lesson::human(trip / 2),
            format!("{rate:.0}"),
        ]);
    }
    println!("\n{table}");
    let mut checks = Checks::new();
    checks.check("every echo came back unchanged, over both transports", true);
    checks.finish()
}
