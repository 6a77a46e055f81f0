//! Target: tokio overlaps 1,000 waits of 100 ms on a current-thread runtime (one OS thread) in at
//! most 200 ms of wall time: spawn the tasks, then wait for all of them. One wait alone is 100 ms,
//! so the target leaves 100 ms for creating, polling and waking 1,000 tasks.
//!
//! The runtime is built once, outside the timing; each iteration spawns and gathers the tasks.

use std::time::{Duration, Instant};

use criterion::Criterion;
use examples_async::{answered_once, gather, request_async};
use tokio::runtime::Builder;

const REQUESTS: u64 = 1_000;
const WAIT: Duration = Duration::from_millis(100);

fn overlap(c: &mut Criterion) {
    let runtime = (Builder::new_current_thread().enable_time())
        .build()
        .expect("a current-thread runtime");
    let mut group = c.benchmark_group("overlap");
    // Ten samples of at least five iterations each, about 100 ms apiece.
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    group.bench_function("1000 waits of 100 ms, one thread", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                let tasks = (0..REQUESTS).map(|id| runtime.spawn(request_async(id, WAIT)));
                let answers = runtime
                    .block_on(gather(tasks.collect()))
                    .expect("no task fails");
                assert!(answered_once(&answers, REQUESTS as usize));
            }
            start.elapsed()
        });
    });
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    overlap(&mut c);
    c.final_summary();
}
