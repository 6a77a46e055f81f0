//! Tests of the `atomic_counter` exercise (lesson: `thread_counter`, which ends on `fetch_add`).

use std::thread;

use exercises::atomic_counter::{Counter, count_with_atomic};

#[test]
fn counts_exactly() {
    assert_eq!(count_with_atomic(1, 1000), 1000);
    assert_eq!(count_with_atomic(0, 1000), 0);
    assert_eq!(count_with_atomic(3, 0), 0);
    for (threads, increments) in [(2, 100_000), (4, 50_000), (8, 25_000), (16, 10_000)] {
        assert_eq!(
            count_with_atomic(threads, increments),
            threads as u64 * increments,
            "{threads} threads x {increments} increments"
        );
    }
}

#[test]
fn a_new_counter_is_at_zero_and_counts_up() {
    let counter = Counter::new();
    assert_eq!(counter.get(), 0);
    assert_eq!(counter.increment(), 0);
    assert_eq!(counter.increment(), 1);
    assert_eq!(counter.get(), 2);
}

/// Many threads share one `&Counter` at once. Each call to `increment` must get a value of its
/// own: together they are exactly `0..threads * increments`, with none lost and none repeated.
#[test]
fn many_threads_share_one_counter() {
    fn shareable<T: Sync + Send>() {}
    shareable::<Counter>();

    let (threads, increments) = (16u64, 10_000u64);
    let counter = Counter::new();
    let shared = &counter;
    let mut seen: Vec<u64> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    (0..increments)
                        .map(|_| shared.increment())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a counting thread panicked"))
            .collect()
    });
    assert_eq!(counter.get(), threads * increments);
    seen.sort_unstable();
    assert!(
        seen.iter().copied().eq(0..threads * increments),
        "every increment returns a value of its own, from 0 up"
    );
}
