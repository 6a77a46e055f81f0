//! Tests of the `rayon_stats` exercise.

use exercises::rayon_stats::{Stats, par_stats};
use std::collections::HashSet;
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

#[test]
fn merge_adds_counts_and_sums_and_keeps_the_larger_max() {
    let (a, b) = (Stats::one(3), Stats::one(10));
    assert_eq!(
        a.merge(b),
        Stats {
            count: 2,
            sum: 13,
            max: Some(10)
        }
    );
    assert_eq!(
        b.merge(a),
        a.merge(b),
        "merge must not care about the order"
    );
    assert_eq!(
        Stats::default().merge(a),
        a,
        "no results merged with some must change nothing (rayon starts every thread from it)"
    );
    assert_eq!(a.merge(Stats::default()), a);
}

#[test]
fn stats_of_squares() {
    let items: Vec<u64> = (1..=10_000).collect();
    let stats = par_stats(&items, |x| x * x);
    assert_eq!(stats.count, 10_000);
    assert_eq!(stats.sum, items.iter().map(|x| x * x).sum::<u64>());
    assert_eq!(stats.max, Some(100_000_000));
    assert_eq!(
        par_stats(&[], |x| x),
        Stats::default(),
        "no items, no results"
    );
}

/// On a pool of two threads, with items slow enough to be worth splitting, more than one thread
/// must have run `f`: a sequential `iter()` runs every item on the caller's thread.
#[test]
fn the_work_is_spread_over_the_pool() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let seen = Mutex::new(HashSet::new());
    let items: Vec<u64> = (0..200).collect();
    let stats = pool.install(|| {
        par_stats(&items, |x| {
            seen.lock().unwrap().insert(thread::current().id());
            thread::sleep(Duration::from_millis(1));
            x
        })
    });
    assert_eq!(stats.sum, items.iter().sum::<u64>());
    assert!(
        seen.lock().unwrap().len() > 1,
        "every item ran on one thread: is the iterator a parallel one (`par_iter`)?"
    );
}
