use exercises::fix_the_race::count_with_lock;

#[test]
fn one_thread_counts_exactly() {
    assert_eq!(count_with_lock(1, 1000), 1000);
    assert_eq!(count_with_lock(1, 0), 0);
}

#[test]
fn no_threads_count_to_zero() {
    assert_eq!(count_with_lock(0, 1000), 0);
}

/// Enough threads and increments that a racy counter loses updates on most runs; a locked one
/// never does.
#[test]
fn many_threads_count_exactly() {
    for (threads, increments) in [(2, 100_000), (4, 50_000), (8, 25_000), (16, 10_000)] {
        assert_eq!(
            count_with_lock(threads, increments),
            threads as u64 * increments,
            "{threads} threads x {increments} increments"
        );
    }
}
