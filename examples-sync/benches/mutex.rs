//! A contended counter in a release build: 2 threads, each adding one 1,000,000 times (the
//! lesson's default count), through `std::sync::Mutex`, `parking_lot::Mutex` and
//! `AtomicU64::fetch_add` (the functions the `thread_counter` lesson times). Every run is checked
//! exact, so a fast wrong answer cannot win.
//!
//! Run: `cargo bench -p examples-sync --bench mutex` (about half a minute).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use examples_sync::{fetch_add, parking_lot_mutex, std_mutex};

const THREADS: usize = 2;
const INCREMENTS: u64 = 1_000_000;

/// One of the lesson's counters: `(threads, increments) -> final count`.
type Counter = fn(usize, u64) -> u64;

fn mutex(c: &mut Criterion) {
    let mut group = c.benchmark_group("mutex");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    let strategies: [(&str, Counter); 3] = [
        ("std_mutex", std_mutex),
        ("parking_lot_mutex", parking_lot_mutex),
        ("atomic_fetch_add", fetch_add),
    ];
    for (name, count) in strategies {
        group.bench_function(name, |b| {
            b.iter(|| {
                let total = count(black_box(THREADS), black_box(INCREMENTS));
                assert_eq!(total, THREADS as u64 * INCREMENTS, "{name} lost updates");
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, mutex);
criterion_main!(benches);
