//! The `channel_throughput` table under criterion: numbers per second through std mpsc and
//! crossbeam-channel between threads and ipc-channel between processes, one number per message
//! and 1,024 per message. The ipc-channel runs include starting the child process, as in the
//! lesson (a few milliseconds against hundreds for 100,000 single messages).
//!
//! Custom `main` (`harness = false`): the ipc-channel sender is a child process re-executing this
//! binary, so `multiproc::init` must run before criterion parses the command line.

use criterion::{Criterion, Throughput, criterion_group};
use examples_ipc::throughput::{Kind, SEND_NUMBERS, measure};
use multiproc::init;

const ITEMS: u64 = 100_000;

fn channels(c: &mut Criterion) {
    let mut group = c.benchmark_group("channel_throughput");
    group.throughput(Throughput::Elements(ITEMS));
    group.sample_size(10);
    for (kind, key) in [
        (Kind::StdMpsc, "std_mpsc"),
        (Kind::Crossbeam, "crossbeam"),
        (Kind::IpcChannel, "ipc_channel"),
    ] {
        for batch in [1, 1024] {
            let name = format!("{key}_batch_{batch}");
            group.bench_function(name, |b| {
                b.iter(|| {
                    let run = measure(kind, ITEMS, batch).expect("run");
                    assert!(run.verified(ITEMS));
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, channels);

fn main() {
    init(&[&SEND_NUMBERS]);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
