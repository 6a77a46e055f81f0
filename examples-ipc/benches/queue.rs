//! Producer -> consumer processes through `queue::run`: items per second, unbatched (one item per
//! message, the tutorial's shape) 1 -> 1 and 1 -> 3, and batched. Targets: at least 200k items/s
//! unbatched and 1M items/s batched. The Python twin (`python/ipc/producer_consumer.py --batch 1`,
//! start-up included) does about 38k items/s 1 -> 1 and 31k items/s 1 -> 3 on the same machine.
//!
//! Only the streaming is timed (`RunReport::elapsed`), not starting the consumer processes.

use criterion::{Criterion, Throughput};
use multiproc::queue::{self, CONSUMER, Options};
use std::time::Duration;

fn streaming(c: &mut Criterion) {
    let mut group = c.benchmark_group("producer_consumer");
    group.sample_size(10);
    for (name, items, consumers, batch) in [
        ("unbatched 1->1", 20_000u64, 1, 1),
        ("unbatched 1->3", 20_000, 3, 1),
        ("batched(256) 1->3", 1_000_000, 3, 256),
    ] {
        group.throughput(Throughput::Elements(items));
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let report =
                        queue::run(&Options::new(items, consumers, batch)).expect("the queue runs");
                    assert!(report.ledger.exact(), "a benchmark run lost items");
                    total += report.elapsed;
                }
                total
            });
        });
    }
    group.finish();
}

fn main() {
    // Consumers re-execute this binary: they must become consumers before criterion starts.
    multiproc::init(&[&CONSUMER]);
    let mut c = Criterion::default().configure_from_args();
    streaming(&mut c);
    c.final_summary();
}
