//! Solution: blocking_part.

use std::time::Duration;

/// How long the blocking step of one input takes.
pub const STEP: Duration = Duration::from_millis(40);

/// The blocking step (given): a checksum that also holds its thread for [`STEP`], as a heavy
/// computation or a blocking library call would. Called on a runtime thread, it stops every task
/// that thread should be running.
pub fn blocking_checksum(data: &[u8]) -> u64 {
    std::thread::sleep(STEP);
    data.iter()
        .fold(0xcbf2_9ce4_8422_2325, |h: u64, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Checksums every input with [`blocking_checksum`] without ever blocking the async runtime's
/// threads, so other tasks keep running meanwhile; returns the sums in input order.
pub async fn checksums(inputs: Vec<Vec<u8>>) -> Vec<u64> {
    let mut sums = Vec::with_capacity(inputs.len());
    for data in inputs {
        // tokio's blocking pool runs it on a thread of its own: Python's `run_in_executor`.
        let sum = tokio::task::spawn_blocking(move || blocking_checksum(&data))
            .await
            .expect("the checksum panicked");
        sums.push(sum);
    }
    sums
}
