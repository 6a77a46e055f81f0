//! What a pool task costs beyond its own work, and what the dynamic factorizer gains on 2 cores.
//!
//! * `pool_per_task/pipelined_noop_*`: 1,000 no-op tasks per iteration through `map`; divide by
//!   1,000 for the per-task overhead (target: at most 7 µs with chunk size 1).
//! * `pool_per_task/round_trip_apply`: one blocking `apply` of a no-op (target: at most 30 µs;
//!   missed on an idle virtual machine, where waking a sleeping vCPU costs most of 100 µs).
//! * `mp_factorizer/*`: serial vs a 2-process pool handing out chunks of 16, start-up included
//!   (target: at least 1.85x): the `pool_factorizer` lesson's dynamic run. The group keeps the
//!   name of the lesson it came from, which `book/measure` reads.
//!
//! Custom `main` (`harness = false`): the pool's workers re-execute this binary, so
//! `multiproc::init` must run before criterion parses the command line.

use criterion::{Criterion, Throughput, criterion_group};
use multiproc::{Pool, Task, init};
use std::hint::black_box;
use workloads::{factor_inputs, factorize_naive};

fn noop(x: u32) -> Result<u32, String> {
    Ok(x)
}
static NOOP: Task<u32, Result<u32, String>> = Task::new("noop", noop);

fn factor_one(n: u64) -> Result<Vec<u64>, String> {
    Ok(factorize_naive(n))
}
static FACTOR_ONE: Task<u64, Result<Vec<u64>, String>> = Task::new("factor_one", factor_one);

const TASKS: u32 = 1_000;

fn pool_overhead(c: &mut Criterion) {
    let pool = Pool::new(&NOOP, 2).expect("pool");
    let mut group = c.benchmark_group("pool_per_task");
    group.throughput(Throughput::Elements(TASKS.into()));
    group.bench_function("pipelined_noop_chunksize_1", |b| {
        b.iter(|| pool.map_chunked(0..black_box(TASKS), 1))
    });
    group.bench_function("pipelined_noop_default_chunksize", |b| {
        b.iter(|| pool.map(0..black_box(TASKS)))
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("round_trip_apply", |b| b.iter(|| pool.apply(black_box(7))));
    group.finish();
}

fn factorizer(c: &mut Criterion) {
    // The `pool_factorizer` lesson's default input: 20,000 numbers, about 3 s of serial work.
    let nums = factor_inputs(20_000, workloads::inputs::DEFAULT_SEED);
    let mut group = c.benchmark_group("mp_factorizer");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(20));
    group.bench_function("serial", |b| {
        b.iter(|| nums.iter().map(|&n| factorize_naive(n)).collect::<Vec<_>>())
    });
    group.bench_function("dynamic_2_procs_incl_startup", |b| {
        b.iter(|| {
            let pool = Pool::new(&FACTOR_ONE, 2).expect("pool");
            pool.map_chunked(nums.iter().copied(), 16)
        })
    });
    group.finish();
}

criterion_group!(benches, pool_overhead, factorizer);

fn main() {
    init(&[&NOOP, &FACTOR_ONE]);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
