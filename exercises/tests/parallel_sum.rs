use std::collections::HashSet;
use std::sync::Mutex;
use std::thread::{self, ThreadId};

use exercises::parallel_sum::{map_chunks, parallel_sum};

#[test]
fn sums_match_the_serial_sum() {
    let data: Vec<u64> = (1..=10_000).collect();
    for workers in [1, 2, 3, 7, 64] {
        assert_eq!(
            parallel_sum(&data, workers),
            50_005_000,
            "{workers} workers"
        );
    }
    assert_eq!(parallel_sum(&[], 4), 0);
    assert_eq!(parallel_sum(&[5], 4), 5);
}

#[test]
fn chunks_come_back_in_order() {
    let data: Vec<u64> = (0..10).collect();
    // 10 items over 4 workers: chunks of 3, 3, 3, 1.
    let firsts = map_chunks(&data, 4, |chunk| chunk[0]);
    assert_eq!(firsts, vec![0, 3, 6, 9]);
    let lens = map_chunks(&data, 4, |chunk| chunk.len() as u64);
    assert_eq!(lens, vec![3, 3, 3, 1]);
    assert!(map_chunks(&[], 3, |_| 1).is_empty());
}

#[test]
fn every_chunk_runs_on_its_own_thread() {
    let data: Vec<u64> = (0..100).collect();
    let seen: Mutex<HashSet<ThreadId>> = Mutex::new(HashSet::new());
    let results = map_chunks(&data, 4, |chunk| {
        seen.lock().unwrap().insert(thread::current().id());
        chunk.len() as u64
    });
    let seen = seen.into_inner().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(seen.len(), 4, "one thread per chunk");
    assert!(
        !seen.contains(&thread::current().id()),
        "the work ran off the calling thread"
    );
}
