use std::sync::{Condvar, Mutex};
use std::time::Duration;

use exercises::work_queue::dynamic_map;

#[test]
fn results_come_back_in_input_order() {
    let items: Vec<u64> = (0..1000).collect();
    for workers in [1, 2, 5] {
        let out = dynamic_map(&items, workers, |&x| x * x);
        assert_eq!(
            out,
            items.iter().map(|x| x * x).collect::<Vec<_>>(),
            "{workers} workers"
        );
    }
    assert!(dynamic_map(&[] as &[u64], 3, |&x| x).is_empty());
}

/// Item 0 cannot finish until every other item has: a split decided up front would leave items
/// stuck behind it on the same worker, and this test would fail at its timeout instead of hanging.
/// Only workers that take items as they go can finish it.
#[test]
fn a_blocked_item_does_not_hold_up_the_rest() {
    let items: Vec<usize> = (0..40).collect();
    let done = Mutex::new(0usize);
    let all_others_done = Condvar::new();
    let out = dynamic_map(&items, 2, |&i| {
        if i == 0 {
            let guard = done.lock().unwrap();
            let (guard, timeout) = all_others_done
                .wait_timeout_while(guard, Duration::from_secs(10), |d| *d < items.len() - 1)
                .unwrap();
            assert!(
                !timeout.timed_out(),
                "the other worker never got to the remaining items"
            );
            drop(guard);
        } else {
            *done.lock().unwrap() += 1;
            all_others_done.notify_all();
        }
        i * 10
    });
    assert_eq!(out, (0..40).map(|i| i * 10).collect::<Vec<_>>());
}
