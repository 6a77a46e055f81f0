//! Exercise: many requests that mostly wait, overlapped as tokio tasks, at most `limit` at a time:
//! Python's `asyncio.gather` with an `asyncio.Semaphore`. Lesson: `async_io`.
//! Hints: `cargo run -p exercises --bin course -- hint fetch_all`.
//! Check: `cargo run -p exercises --bin course -- check fetch_all`

use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Fetches every id with `fetch` (a request that mostly waits), with at most `limit` requests in
/// flight at once (at least one), and returns `(id, answer)` pairs sorted by id.
pub async fn fetch_all<F, Fut>(ids: Vec<u64>, limit: usize, fetch: F) -> Vec<(u64, String)>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = String> + Send + 'static,
{
    // TODO: start every request at once as a task of its own, so their waits overlap...
    // TODO: ...but let at most `limit` of them be inside `fetch` at any moment.
    // TODO: wait for every task, collect the `(id, answer)` pairs, sort them by id.
    todo!("fetch_all")
}
