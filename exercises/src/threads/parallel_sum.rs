//! Exercise: split a slice into one chunk per worker and run `work` on each chunk in its own
//! scoped thread. Lesson: `scoped_threads`.
//! Hints: `cargo run -p exercises --bin course -- hint parallel_sum`.
//! Check: `cargo run -p exercises --bin course -- check parallel_sum`

use std::thread;

/// Cuts `data` into `workers` chunks of `data.len().div_ceil(workers)` items (the last may be
/// shorter, and an empty slice has no chunks), runs `work` on every chunk on its own thread, and
/// returns the results in chunk order.
pub fn map_chunks<F>(data: &[u64], workers: usize, work: F) -> Vec<u64>
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    // TODO: compute the chunk length (at least 1, so `chunks` never gets 0).
    // TODO: open a `thread::scope`, spawn one thread per chunk that calls `work(chunk)`, and
    //       join the handles in order. `work` is `Sync`, so every thread can borrow it.
    todo!("map_chunks")
}

/// The sum of `data`, computed by `workers` threads with [`map_chunks`].
pub fn parallel_sum(data: &[u64], workers: usize) -> u64 {
    // TODO: one line, using map_chunks.
    todo!("parallel_sum")
}
