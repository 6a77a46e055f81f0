//! The producer/consumer queue as MPI messages. There is no queue object between machines: a
//! message goes to one named rank. Rank 0 produces items and deals them to the consumer ranks in
//! turn; each consumer answers every item and, when a message with the stop tag comes, reports how
//! many it handled and ends. The stop tag is the tutorial's sentinel, carried by the envelope
//! instead of a special value in the data. Rank 0 checks every item came back exactly once.
//!
//! Rust only: MPI is not in the tutorials; this is their Queue-with-sentinels lesson done with point-to-point messages between ranks.

use clap::Parser;
use examples_distributed::launch::Start;
use examples_distributed::queue::{TAG_ANSWER, TAG_DONE, TAG_ITEM, TAG_STOP, Tally};
use examples_distributed::{ROOT, launch};
use lesson::{Checks, Table, usize_in};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Producer/consumer as MPI point-to-point messages, with a stop tag")]
struct Args {
    /// How many items rank 0 produces.
    #[arg(long, default_value_t = 10_000, value_parser = usize_in(1, 10_000_000))]
    items: usize,
}

/// Ranks `cargo run` starts when no mpirun started this lesson: a producer and two consumers.
const RANKS: usize = 3;
// ANCHOR: consumer
/// A consumer rank: answer each item with its square until the stop tag, then say how many.
fn consume(world: &SimpleCommunicator) {
    let producer = world.process_at_rank(ROOT);
    let mut handled = 0u64;
    loop {
        let (item, status) = producer.receive::<u64>();
        if status.tag() == TAG_STOP {
            break;
        }
        handled += 1;
        producer.send_with_tag(&[item, item * item][..], TAG_ANSWER);
    }
    producer.send_with_tag(&[handled][..], TAG_DONE);
}
// ANCHOR_END: consumer

// ANCHOR: producer
/// Rank 0: deal the items in turn, then one stop message to each consumer; keep reading answers
/// while sending (so nobody's outgoing messages pile up) and until every consumer said done.
fn produce(world: &SimpleCommunicator, items: u64) -> Tally {
    let consumers = world.size() - 1;
    let mut tally = Tally::default();
    let read_waiting = |tally: &mut Tally| {
        while let Some(status) = world.any_process().immediate_probe() {
            let from = world.process_at_rank(status.source_rank());
            let (message, status) = from.receive_vec_with_tag::<u64>(status.tag());
            tally.take(&message, status.source_rank(), status.tag());
        }
    };
    for item in 0..items {
        let consumer = 1 + (item % consumers as u64) as i32;
        world
            .process_at_rank(consumer)
            .send_with_tag(&item, TAG_ITEM);
        read_waiting(&mut tally);
    }
    for consumer in 1..=consumers {
        world
            .process_at_rank(consumer)
            .send_with_tag(&0u64, TAG_STOP);
    }
    while tally.counted.len() < consumers as usize {
        let (message, status) = world.any_process().receive_vec::<u64>();
        tally.take(&message, status.source_rank(), status.tag());
    }
    tally
}
// ANCHOR_END: producer

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let universe = match launch::as_rank(RANKS) {
        Start::Rank(universe) => universe,
        Start::Done(exit_code) => return exit_code,
    };
    let world = universe.world();
    if world.size() < 2 {
        eprintln!("error: needs at least 2 ranks (a producer and a consumer)");
        return ExitCode::from(lesson::USAGE_ERROR);
    }
    if world.rank() != ROOT {
        consume(&world);
        return ExitCode::SUCCESS;
    }
    lesson::header("mpi_queue: producer and consumers as point-to-point messages");
    println!(
        "rank 0 deals {} items to {} consumer ranks, then a stop tag to each",
        args.items,
        world.size() - 1
    );
    let (tally, took) = lesson::timed(|| produce(&world, args.items as u64));
    let mut table = Table::new([
        "consumer rank",
        "items it counted",
        "answers that came back",
    ]);
    for (&rank, &counted) in &tally.counted {
        table.row([
            rank.to_string(),
            counted.to_string(),
            tally.answers_from(rank).to_string(),
        ]);
    }
    println!(
        "\n{table}(all {} items there and back in {})",
        args.items,
        lesson::human(took)
    );

    let mut checks = Checks::new();
    checks.check(
        "every item answered exactly once, and right",
        tally.all_once(args.items as u64),
    );
    let agree = tally
        .counted
        .iter()
        .all(|(&rank, &n)| tally.answers_from(rank) == n);
    checks.check(
        "each consumer's own count matches the answers it sent",
        agree,
    );
    checks.check(
        "no answer arrived after its consumer's stop report",
        !tally.late,
    );
    checks.finish()
}
