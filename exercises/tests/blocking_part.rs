//! Tests of the `blocking_part` exercise. On a runtime with ONE thread, a ticker task counts
//! timer ticks while the checksums run: if the blocking step runs on that thread, nothing ticks.

use exercises::blocking_part::{STEP, blocking_checksum, checksums};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[tokio::test(flavor = "current_thread")]
async fn other_tasks_keep_running_meanwhile() {
    let ticks = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&ticks);
    let ticker = tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_millis(5));
        loop {
            interval.tick().await;
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    tokio::task::yield_now().await; // let the ticker start
    let before = ticks.load(Ordering::Relaxed);
    let inputs: Vec<Vec<u8>> = (0..5u8).map(|i| vec![i; 1_000]).collect();
    let sums = checksums(inputs.clone()).await;
    let during = ticks.load(Ordering::Relaxed) - before;
    ticker.abort();
    let want: Vec<u64> = inputs.iter().map(|d| blocking_checksum(d)).collect();
    assert_eq!(sums, want, "in input order");
    // 5 steps of 40 ms is 200 ms: a free ticker ticks about 40 times. Ask for far fewer.
    let steps = 5 * STEP.as_millis() as u64;
    assert!(
        during >= steps / 5 / 4,
        "the ticker ticked {during} times in {steps} ms of checksums: the blocking step ran on the \
         runtime's only thread and froze every other task. Hand it to the blocking pool."
    );
}

#[tokio::test(flavor = "current_thread")]
async fn no_inputs_no_sums() {
    assert!(checksums(Vec::new()).await.is_empty());
}
