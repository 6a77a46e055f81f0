//! Solution: parallel_sum.

use std::thread;

/// Cuts `data` into `workers` chunks of `data.len().div_ceil(workers)` items (the last may be
/// shorter, and an empty slice has no chunks), runs `work` on every chunk on its own thread, and
/// returns the results in chunk order.
pub fn map_chunks<F>(data: &[u64], workers: usize, work: F) -> Vec<u64>
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    let chunk_len = data.len().div_ceil(workers).max(1);
    let work = &work;
    thread::scope(|scope| {
        let handles: Vec<_> = data
            .chunks(chunk_len)
            .map(|chunk| scope.spawn(move || work(chunk)))
            .collect();
        handles.into_iter().map(|h| h.join().expect("worker panicked")).collect()
    })
}

/// The sum of `data`, computed by `workers` threads with [`map_chunks`].
pub fn parallel_sum(data: &[u64], workers: usize) -> u64 {
    map_chunks(data, workers, |chunk| chunk.iter().sum()).iter().sum()
}
