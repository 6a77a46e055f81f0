//! Exercise: a blocking step inside async code. Called directly, it freezes every task on its
//! runtime thread; handed to tokio's blocking pool, it runs beside them. Python's counterpart is
//! `loop.run_in_executor`. Lesson: `async_io`.
//! Hints: `cargo run -p exercises --bin course -- hint blocking_part`.
//! Check: `cargo run -p exercises --bin course -- check blocking_part`

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
        // TODO: this call blocks the runtime's thread for the whole step. Run it where blocking
        //       is allowed, and await its result here.
        let sum = blocking_checksum(&data);
        sums.push(sum);
    }
    sums
}
