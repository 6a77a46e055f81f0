//! Tests of the `batch_queue` exercise. Own `main` (`harness = false`): the consumer is a child
//! process that re-executes this binary. A solution that deadlocks fails on the deadline.

use exercises::batch_queue::{SQUARER, square, square_all};
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

fn expected(items: u64) -> Vec<(u64, u64)> {
    (0..items).map(|x| (x, square(x))).collect()
}

fn batches_carry_every_item_once() {
    let out = square_all(10_007, 100).unwrap();
    assert_eq!(out.results, expected(10_007));
}

fn one_message_per_batch() {
    assert_eq!(
        square_all(10_007, 100).unwrap().messages,
        101,
        "the last batch is short"
    );
    assert_eq!(
        square_all(10, 1_000).unwrap().messages,
        1,
        "a batch larger than the input"
    );
}

fn unbatched_many_messages_do_not_deadlock() {
    // 10,000 messages of one item: far more than a socket holds unread (ipc-channel #275).
    let out = square_all(10_000, 1).unwrap();
    assert_eq!(out.messages, 10_000);
    assert_eq!(out.results, expected(10_000));
}
