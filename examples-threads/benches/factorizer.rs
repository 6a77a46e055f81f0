//! The factorizer's speed bar, in a release build: with 2 workers, dynamic scheduling (the shared
//! work queue, rayon) should reach at least 1.9x the serial run on the default 12,000 numbers.
//! Static chunks are benchmarked too, to show what load imbalance costs.
//!
//! Run: `cargo bench -p examples-threads --bench factorizer` (about a minute on 2 cores).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use examples_threads::{rayon_pool, serial, static_chunks, work_queue};
use workloads::inputs::{DEFAULT_COUNT, DEFAULT_SEED, factor_inputs};

fn factorizer(c: &mut Criterion) {
    let nums = factor_inputs(DEFAULT_COUNT, DEFAULT_SEED);
    let mut group = c.benchmark_group("factorizer");
    // Each run takes about a second: ten samples give a stable median without a long wait.
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(12));
    group.bench_function("serial", |b| b.iter(|| serial(black_box(&nums))));
    group.bench_function("static_chunks/2", |b| {
        b.iter(|| static_chunks(black_box(&nums), 2))
    });
    group.bench_function("work_queue/2", |b| {
        b.iter(|| work_queue(black_box(&nums), 2))
    });
    group.bench_function("rayon/2", |b| b.iter(|| rayon_pool(black_box(&nums), 2)));
    group.finish();
}

criterion_group!(benches, factorizer);
criterion_main!(benches);
