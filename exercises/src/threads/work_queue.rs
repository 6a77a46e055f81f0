//! Exercise: a dynamic work queue. Workers take the index of the next item from a shared atomic
//! counter until the items run out, so a worker stuck on a slow item never holds up the rest.
//! Lesson: `load_balancing`. Hints: `cargo run -p exercises --bin course -- hint work_queue`.
//! Check: `cargo run -p exercises --bin course -- check work_queue`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// Applies `f` to every item using `workers` threads that pull items one at a time from a shared
/// counter, and returns the results in the order of `items` (not the order they finished).
pub fn dynamic_map<T, R, F>(items: &[T], workers: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let next = AtomicUsize::new(0);
    // TODO: in a `thread::scope`, start `workers` threads. Each loops: take an index with
    //       `next.fetch_add(1, Ordering::Relaxed)`, stop when it is past the end, otherwise
    //       compute `f(&items[i])` and keep the pair `(i, result)`.
    // TODO: gather every worker's pairs and put the results back in input order.
    todo!("dynamic_map")
}
