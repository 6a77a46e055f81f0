//! Tests of the `second_producer` exercise. Own `main` (`harness = false`): the producers are
//! child processes that re-execute this binary. Each call runs under a deadline that says what
//! is probably wrong if it never returns.

use exercises::second_producer::{PRODUCER, collect};
use exercises::support::within;
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

const PROBABLY: &str = "Did you drop the parent's own sender? While it lives, `recv` waits for \
    it forever once the producers are done. And do you stop once every producer's sentinel has \
    come?";

fn collect_within(items: u64, producers: usize) -> Vec<u64> {
    within(Duration::from_secs(15), PROBABLY, move || {
        collect(items, producers).unwrap()
    })
}

fn one_producer_delivers_everything() {
    assert_eq!(collect_within(1_000, 1), (0..1_000).collect::<Vec<u64>>());
}

fn two_producers_deliver_everything() {
    // Producer 1 starts 100 ms after producer 0: stopping at the first sentinel loses its items.
    let got = collect_within(5_000, 2);
    assert_eq!(got.len(), 5_000, "every item exactly once");
    assert_eq!(got, (0..5_000).collect::<Vec<u64>>());
}

fn three_producers_and_a_late_one() {
    // 7 items over 3 producers: uneven shares; producer 2 starts 200 ms late.
    assert_eq!(collect_within(7, 3), (0..7).collect::<Vec<u64>>());
}
