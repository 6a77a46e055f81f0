//! Per-increment cost of a counter shared by 2 processes in a release build: the robust
//! process-shared mutex and `AtomicU64::fetch_add` (the functions `shared_value_lock` times),
//! against Python's `with v.get_lock(): v.value += 1` at about 2 µs per increment on this machine
//! (the twin, `python/sync/shared_value_lock.py`). Targets: the lock at most 220 ns per increment
//! (about 10x faster), the atomic at most 22 ns (about 100x).
//!
//! Each sample starts two worker processes; only their counting loops are timed (the slowest
//! worker's, from the common go), so process start-up does not count. Every run is checked exact.
//!
//! Run: `cargo bench -p examples-sync --bench shm`.

use std::time::Duration;

use criterion::{Criterion, Throughput};
use examples_sync::workers::{Increment, count_in_processes, tasks};

const WORKERS: usize = 2;
const INCREMENTS: u64 = 500_000;

fn shm(c: &mut Criterion) {
    let mut group = c.benchmark_group("shm");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(WORKERS as u64 * INCREMENTS));
    for (name, how) in [
        ("process_mutex", Increment::Locked),
        ("atomic_fetch_add", Increment::FetchAdd),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        let run = count_in_processes(how, WORKERS, INCREMENTS)
                            .unwrap_or_else(|e| panic!("{name}: {e}"));
                        assert_eq!(
                            run.total,
                            WORKERS as u64 * INCREMENTS,
                            "{name} lost updates"
                        );
                        run.elapsed
                    })
                    .sum()
            })
        });
    }
    group.finish();
}

// criterion_main! would generate `main`, but the workers re-execute this binary, so `main` must
// call `init` first.
fn main() {
    multiproc::init(&tasks());
    // A Ctrl-C mid-bench leaves no segment either.
    examples_sync::workers::guard_dev_shm().expect("install the Ctrl-C unlink");
    let mut criterion = Criterion::default().configure_from_args();
    shm(&mut criterion);
    criterion.final_summary();
}
