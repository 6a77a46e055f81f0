//! Tests of the `second_producer` exercise. Own `main` (`harness = false`): the producers are
//! child processes that re-execute this binary.

use exercises::second_producer::{PRODUCER, collect};
use multiproc::{harness, init};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    init(&[&PRODUCER]);
    harness::run(
        &[
            (
                "one_producer_delivers_everything",
                one_producer_delivers_everything,
            ),
            (
                "two_producers_deliver_everything",
                two_producers_deliver_everything,
            ),
            (
                "three_producers_and_a_late_one",
                three_producers_and_a_late_one,
            ),
        ],
        Duration::from_secs(30),
    )
}

fn one_producer_delivers_everything() {
    assert_eq!(collect(1_000, 1).unwrap(), (0..1_000).collect::<Vec<u64>>());
}

fn two_producers_deliver_everything() {
    // Producer 1 starts 100 ms after producer 0: stopping at the first sentinel loses its items.
    let got = collect(5_000, 2).unwrap();
    assert_eq!(got.len(), 5_000, "every item exactly once");
    assert_eq!(got, (0..5_000).collect::<Vec<u64>>());
}

fn three_producers_and_a_late_one() {
    // 7 items over 3 producers: uneven shares; producer 2 starts 200 ms late.
    assert_eq!(collect(7, 3).unwrap(), (0..7).collect::<Vec<u64>>());
}
