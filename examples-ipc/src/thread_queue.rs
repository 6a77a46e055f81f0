//! The producer/consumer pipeline between threads, over crossbeam-channel: what
//! `producer_consumer_threads` ends without a sentinel and `bounded_channels` runs over channels of
//! different capacities.

use crossbeam_channel::{Receiver, Sender, unbounded};
use multiproc::queue::{Ledger, work};
use std::thread;
use std::time::{Duration, Instant};

/// What one run over one work channel measured.
#[derive(Debug)]
pub struct Run {
    /// Every result, checked against its item.
    pub ledger: Ledger,
    pub elapsed: Duration,
    /// The most items queued and not yet taken, seen by the producer after each send.
    pub peak_backlog: usize,
}

// ANCHOR: run
/// Producer thread -> `consumers` threads -> this thread, over `work_q` and a results channel.
/// Nobody sends a sentinel: each loop ends when the channel's last sender is gone.
pub fn run(items: u64, consumers: usize, work_q: (Sender<u64>, Receiver<u64>)) -> Run {
    let (work_tx, work_rx) = work_q;
    let (results_tx, results_rx) = unbounded::<(usize, u64, u64)>();
    let mut ledger = Ledger::new(items, consumers);
    let start = Instant::now();
    let peak_backlog = thread::scope(|s| {
        for id in 0..consumers {
            let (rx, tx) = (work_rx.clone(), results_tx.clone());
            s.spawn(move || {
                for item in rx {
                    let _ = tx.send((id, item, work(item)));
                }
            });
        }
        drop((work_rx, results_tx)); // keep only the consumers' copies
        let producer = s.spawn(move || {
            let mut peak = 0;
            for item in 0..items {
                // Blocks while a bounded channel is full: that is back-pressure.
                let _ = work_tx.send(item);
                peak = peak.max(work_tx.len());
            }
            peak // `work_tx` is dropped here: the consumers' loops end
        });
        // Ends when every consumer has dropped its results sender.
        for (id, item, result) in results_rx {
            ledger.record(id, item, result);
        }
        producer.join().unwrap_or(0)
    });
    Run {
        ledger,
        elapsed: start.elapsed(),
        peak_backlog,
    }
}
// ANCHOR_END: run
