//! Tests of the `latch` exercise. Each waits under a deadline that says what is probably wrong.

use exercises::latch::Latch;
use exercises::support::within;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(10);

#[test]
fn an_open_latch_does_not_block() {
    within(DEADLINE, "a latch of 0 is open from the start.", || {
        assert!(Latch::new(0).wait_timeout(Duration::from_secs(60)));
        let latch = Latch::new(2);
        latch.count_down();
        latch.count_down();
        latch.count_down(); // one too many: changes nothing
        assert!(latch.wait_timeout(Duration::from_secs(60)));
    });
}

#[test]
fn a_closed_latch_waits_the_whole_timeout_and_says_so() {
    within(
        DEADLINE,
        "does wait_timeout really give up after the timeout?",
        || {
            let latch = Latch::new(1);
            let timeout = Duration::from_millis(200);
            let start = Instant::now();
            assert!(!latch.wait_timeout(timeout), "the latch never opened");
            assert!(
                start.elapsed() >= timeout,
                "gave up after {:?}, before the timeout",
                start.elapsed()
            );
        },
    );
}

#[test]
fn every_waiter_wakes_when_the_last_event_happens() {
    let woke = within(
        DEADLINE,
        "some waiters still sleep: does count_down wake every waiter (notify_all) when the count \
         reaches zero?",
        || {
            let latch = Arc::new(Latch::new(3));
            let waiters: Vec<_> = (0..8)
                .map(|_| {
                    let latch = Arc::clone(&latch);
                    thread::spawn(move || latch.wait_timeout(Duration::from_secs(60)))
                })
                .collect();
            for _ in 0..3 {
                thread::sleep(Duration::from_millis(30));
                latch.count_down();
            }
            waiters
                .into_iter()
                .map(|w| w.join().unwrap())
                .collect::<Vec<bool>>()
        },
    );
    assert!(
        woke.iter().all(|&open| open),
        "a waiter says the latch is closed"
    );
}

#[test]
fn a_waiter_blocks_until_the_last_event() {
    within(
        DEADLINE,
        "the waiter never woke: is the condvar notified?",
        || {
            let latch = Arc::new(Latch::new(2));
            let counter = Arc::clone(&latch);
            let start = Instant::now();
            let events = thread::spawn(move || {
                thread::sleep(Duration::from_millis(100));
                counter.count_down();
                thread::sleep(Duration::from_millis(100));
                counter.count_down();
            });
            assert!(latch.wait_timeout(Duration::from_secs(60)));
            assert!(
                start.elapsed() >= Duration::from_millis(200),
                "woke after {:?}, before the second event",
                start.elapsed()
            );
            events.join().unwrap();
        },
    );
}
