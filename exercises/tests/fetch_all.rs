//! Tests of the `fetch_all` exercise. The fake request sleeps on tokio's timer and counts how many
//! requests are in flight at once, so the tests see the overlap and the limit directly.

use exercises::fetch_all::fetch_all;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How many requests are inside `fetch` now, and the most there ever were.
#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
}

async fn run(ids: Vec<u64>, limit: usize) -> (Vec<(u64, String)>, usize) {
    let flight = Arc::new(InFlight::default());
    let seen = Arc::clone(&flight);
    let answers = fetch_all(ids, limit, move |id| {
        let flight = Arc::clone(&seen);
        async move {
            let now = flight.now.fetch_add(1, Ordering::SeqCst) + 1;
            flight.most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            flight.now.fetch_sub(1, Ordering::SeqCst);
            format!("page {id}")
        }
    })
    .await;
    (answers, flight.most.load(Ordering::SeqCst))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_id_is_answered_in_order() {
    let ids: Vec<u64> = (0..200).rev().collect();
    let (answers, _) = run(ids, 20).await;
    let want: Vec<(u64, String)> = (0..200).map(|id| (id, format!("page {id}"))).collect();
    assert_eq!(answers, want, "every id once, sorted by id");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_overlap_up_to_the_limit_and_no_further() {
    let (_, most) = run((0..200).collect(), 25).await;
    assert!(
        most > 1,
        "one request at a time: are you awaiting each request before starting the next? Spawn \
         them as tasks."
    );
    assert!(
        most <= 25,
        "{most} requests in flight with a limit of 25: each request must hold a permit while it \
         runs"
    );
    assert_eq!(most, 25, "200 waiting requests should fill all 25 places");
}

#[tokio::test(flavor = "current_thread")]
async fn a_limit_of_one_runs_them_one_by_one() {
    let (answers, most) = run((0..10).collect(), 1).await;
    assert_eq!(answers.len(), 10);
    assert_eq!(most, 1);
    let (answers, _) = run(Vec::new(), 4).await;
    assert!(answers.is_empty());
}
