//! Solution: fetch_all.

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
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let fetch = Arc::new(fetch);
    let mut tasks = JoinSet::new();
    for id in ids {
        let (permits, fetch) = (Arc::clone(&permits), Arc::clone(&fetch));
        // A task per request: a task waiting on its timer costs a few hundred bytes, not a
        // thread. The permit, held until the task ends, is what keeps `limit` in flight.
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("the semaphore is never closed");
            (id, fetch(id).await)
        });
    }
    let mut answers = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        answers.push(joined.expect("a request task panicked"));
    }
    answers.sort_unstable_by_key(|&(id, _)| id);
    answers
}
