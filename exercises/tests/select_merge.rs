//! Tests of the `select_merge` exercise. `merge` runs under a deadline that says what is probably
//! wrong if it never returns.

use crossbeam_channel::unbounded;
use exercises::select_merge::merge;
use exercises::support::within;
use std::thread;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(10);
const QUIET: Duration = Duration::from_millis(500);

#[test]
fn reads_both_until_both_close() {
    let (num_tx, num_rx) = unbounded();
    let (word_tx, word_rx) = unbounded();
    let producers = thread::spawn(move || {
        for i in 0..100u64 {
            num_tx.send(i).unwrap();
            if i % 10 == 0 {
                word_tx.send(format!("w{i}")).unwrap();
            }
        }
    });
    let merged = within(
        DEADLINE,
        "both senders are gone: does the loop end once both channels have said they are closed?",
        move || merge(num_rx, word_rx, Duration::from_secs(60)),
    );
    producers.join().unwrap();
    assert_eq!(
        merged.numbers,
        (0..100).collect::<Vec<_>>(),
        "in arrival order"
    );
    assert_eq!(merged.words.len(), 10);
    assert!(
        !merged.went_quiet,
        "it ended because both closed, not on the timer"
    );
}

#[test]
fn one_closed_channel_does_not_starve_the_timer() {
    let (num_tx, num_rx) = unbounded::<u64>();
    let (word_tx, word_rx) = unbounded::<String>();
    num_tx.send(5).unwrap();
    drop(num_tx); // closed at once
    let start = Instant::now();
    let merged = within(
        DEADLINE,
        "The words channel is open but silent and the numbers channel is closed. A closed channel \
         is ready every time select! asks, so the timer never wins: replace it with never().",
        move || merge(num_rx, word_rx, QUIET),
    );
    drop(word_tx);
    assert_eq!(merged.numbers, [5]);
    assert!(
        merged.went_quiet,
        "nothing came for {QUIET:?}: it should have stopped on the timer"
    );
    assert!(
        start.elapsed() >= QUIET,
        "stopped before the quiet time passed"
    );
}

#[test]
fn the_timer_restarts_with_every_message() {
    let (num_tx, num_rx) = unbounded::<u64>();
    let (_word_tx, word_rx) = unbounded::<String>();
    let slow = thread::spawn(move || {
        for i in 0..4 {
            thread::sleep(QUIET / 5);
            num_tx.send(i).unwrap();
        }
        thread::sleep(QUIET * 2); // keep the channel open, silent
    });
    let merged = within(
        DEADLINE,
        "is there a timer arm in the select!?",
        move || merge(num_rx, word_rx, QUIET),
    );
    assert_eq!(
        merged.numbers,
        [0, 1, 2, 3],
        "messages {} ms apart are not a quiet spell of {} ms",
        (QUIET / 5).as_millis(),
        QUIET.as_millis()
    );
    assert!(merged.went_quiet);
    slow.join().unwrap();
}
