//! Tests of the `batch_queue` exercise. Own `main` (`harness = false`): the consumer is a child
//! process that re-executes this binary. Each call runs under a deadline shorter than the
//! harness's, so a deadlock fails with what is probably wrong, not only with the time it took.

use exercises::batch_queue::{Batched, SQUARER, square, square_all};
use exercises::support::within;
use multiproc::{harness, init};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    init(&[&SQUARER]);
    harness::run(
        &[
            (
                "batches_carry_every_item_once",
                batches_carry_every_item_once,
            ),
            ("one_message_per_batch", one_message_per_batch),
            (
                "unbatched_many_messages_do_not_deadlock",
                unbatched_many_messages_do_not_deadlock,
            ),
        ],
        Duration::from_secs(30),
    )
}

/// The two ways a batch queue hangs, in the order students meet them.
const PROBABLY: &str = "Did you drop the last work sender? The consumer's `recv` loop ends only \
    when every sender is gone, so joining the consumer while you still hold one waits forever. \
    And do you read results while you send? Once a few hundred messages sit unread, `send` \
    blocks (ipc-channel #275): a parent that sends everything before reading anything waits for \
    a consumer that waits for it.";

fn square_all_within(items: u64, batch: usize) -> Batched {
    within(Duration::from_secs(15), PROBABLY, move || {
        square_all(items, batch).unwrap()
    })
}

fn expected(items: u64) -> Vec<(u64, u64)> {
    (0..items).map(|x| (x, square(x))).collect()
}

fn batches_carry_every_item_once() {
    let out = square_all_within(10_007, 100);
    assert_eq!(out.results, expected(10_007));
}

fn one_message_per_batch() {
    assert_eq!(
        square_all_within(10_007, 100).messages,
        101,
        "the last batch is short"
    );
    assert_eq!(
        square_all_within(10, 1_000).messages,
        1,
        "a batch larger than the input"
    );
}

fn unbatched_many_messages_do_not_deadlock() {
    // 10,000 messages of one item: far more than a socket holds unread (ipc-channel #275).
    let out = square_all_within(10_000, 1);
    assert_eq!(out.messages, 10_000);
    assert_eq!(out.results, expected(10_000));
}
