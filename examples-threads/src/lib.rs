//! Three ways to spread the factorizer over threads, shared by the lessons and the benchmark.
//!
//! Each takes the same list and returns the same map from number to factors, so a lesson can
//! check every strategy against [`serial`] and time them side by side. They differ only in how
//! numbers reach threads:
//!
//! * [`static_chunks`]: the tutorial's plan. Cut the list into one equal slice per thread up
//!   front. Cheap, but a slice full of hard numbers finishes last while other cores sit idle.
//! * [`work_queue`]: threads take the next number from a shared counter until none is left, so a
//!   thread that drew easy numbers simply takes more of them.
//! * [`rayon_pool`]: rayon splits the work and idle threads steal from busy ones
//!   ([`work_stealing`] is the same run, reporting per worker).
//!
//! Beside them: [`heavy`], the estimates behind the warning before a run whose flags make it long
//! or large, and [`require_writable`] for an output path. Every lesson reports its timed runs
//! through [`lesson::report::Run`], whose figures are shown only if it finished right.

pub mod heavy;

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use workloads::factorize_naive;

/// Number → its prime factors: the tutorial's result dict.
pub type Factorization = HashMap<u64, Vec<u64>>;

/// A strategy that reports per worker: [`static_chunks`] and [`work_queue`] have this type.
pub type ReportingStrategy = fn(&[u64], usize) -> (Factorization, Vec<WorkerReport>);

/// What one worker did: how many numbers it factorized and when it ran out of work, measured
/// from the start of the run. The spread between the first and last worker to finish is time a
/// core spent idle.
#[derive(Debug, Clone, Copy)]
pub struct WorkerReport {
    pub numbers: usize,
    pub finished_after: Duration,
}

/// The baseline every parallel version is checked and timed against.
pub fn serial(nums: &[u64]) -> Factorization {
    nums.iter().map(|&n| (n, factorize_naive(n))).collect()
}

// ANCHOR: static_chunks
/// One thread per equal slice of the list; each fills its own map, merged after `join`.
pub fn static_chunks(nums: &[u64], threads: usize) -> (Factorization, Vec<WorkerReport>) {
    let chunk_size = nums.len().div_ceil(threads).max(1);
    let start = Instant::now();
    let handles: Vec<_> = nums
        .chunks(chunk_size)
        .map(|chunk| {
            // `thread::spawn` needs `'static` data, so each thread gets its own copy of its
            // chunk, as Python's `args=` does. The scoped_threads lesson shows how to borrow.
            let chunk = chunk.to_vec();
            thread::spawn(move || {
                let out: Factorization = chunk.iter().map(|&n| (n, factorize_naive(n))).collect();
                let report = WorkerReport {
                    numbers: chunk.len(),
                    finished_after: start.elapsed(),
                };
                (out, report)
            })
        })
        .collect();
    // A join hands back the thread's return value: no shared dict needed to get results out.
    merge(
        handles
            .into_iter()
            .map(|h| h.join().expect("a factorizer thread panicked")),
    )
}
// ANCHOR_END: static_chunks

// ANCHOR: work_queue
/// Threads pull the index of the next number from one shared atomic counter: a work queue
/// whose whole state is "how far have we got".
pub fn work_queue(nums: &[u64], threads: usize) -> (Factorization, Vec<WorkerReport>) {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Factorization::new();
                    let mut taken = 0;
                    // Relaxed is enough: the counter only has to hand each index out once;
                    // the results travel back through `join`, which synchronizes.
                    while let Some(&n) = nums.get(next.fetch_add(1, Ordering::Relaxed)) {
                        out.insert(n, factorize_naive(n));
                        taken += 1;
                    }
                    let report = WorkerReport {
                        numbers: taken,
                        finished_after: start.elapsed(),
                    };
                    (out, report)
                })
            })
            .collect();
        merge(
            handles
                .into_iter()
                .map(|h| h.join().expect("a factorizer thread panicked")),
        )
    })
}
// ANCHOR_END: work_queue

// ANCHOR: rayon_pool
/// rayon's parallel iterator in a pool of exactly `threads` threads: work stealing balances it.
pub fn rayon_pool(nums: &[u64], threads: usize) -> Factorization {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("the OS refused to start the pool's threads");
    pool.install(|| nums.par_iter().map(|&n| (n, factorize_naive(n))).collect())
}
// ANCHOR_END: rayon_pool

// ANCHOR: work_stealing
/// [`rayon_pool`]'s run, reporting per worker like the other two: each number comes back with the
/// index of the pool thread that factorized it and when, so the lesson can draw who did what.
pub fn work_stealing(nums: &[u64], threads: usize) -> (Factorization, Vec<WorkerReport>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("the OS refused to start the pool's threads");
    let start = Instant::now();
    let done: Vec<_> = pool.install(|| {
        let by = |n: u64| {
            (
                n,
                factorize_naive(n),
                rayon::current_thread_index(),
                start.elapsed(),
            )
        };
        nums.par_iter().map(|&n| by(n)).collect()
    });
    let idle = WorkerReport {
        numbers: 0,
        finished_after: Duration::ZERO,
    };
    let (mut out, mut reports) = (Factorization::new(), vec![idle; threads]);
    for (n, factors, thread, at) in done {
        let report = &mut reports[thread.unwrap_or(0)]; // `install` runs everything in the pool
        report.numbers += 1;
        report.finished_after = report.finished_after.max(at);
        out.insert(n, factors);
    }
    (out, reports)
}
// ANCHOR_END: work_stealing

/// Refuses, before any work is done, an output path the lesson could not write at the end: the
/// file is opened for writing now. One the check had to create is removed again, so a run that
/// fails later leaves nothing behind; an existing file is left as it was.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    let existed = path.symlink_metadata().is_ok();
    OpenOptions::new().append(true).create(true).open(path)?;
    if !existed {
        std::fs::remove_file(path)?;
    }
    Ok(())
}

/// [`check_writable`], or the one-line refusal (exit code 2) that names the path and `what` the
/// lesson meant to write there.
pub fn require_writable(path: &Path, what: &str) {
    if let Err(e) = check_writable(path) {
        lesson::usage_error(format!("cannot write {what} to {}: {e}", path.display()));
    }
}

fn merge(
    parts: impl Iterator<Item = (Factorization, WorkerReport)>,
) -> (Factorization, Vec<WorkerReport>) {
    let mut merged = Factorization::new();
    let mut reports = Vec::new();
    for (out, report) in parts {
        merged.extend(out);
        reports.push(report);
    }
    (merged, reports)
}

/// First and last worker finish times: how long the earliest-done core waited for the slowest.
pub fn finish_spread(reports: &[WorkerReport]) -> (Duration, Duration) {
    let times = reports.iter().map(|r| r.finished_after);
    let first = times.clone().min().unwrap_or_default();
    (first, times.max().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u64> {
        workloads::factor_inputs(300, 11)
    }

    #[test]
    fn every_strategy_matches_serial() {
        let nums = sample();
        let expected = serial(&nums);
        for threads in [1, 2, 3, 8] {
            let (by_chunks, chunk_reports) = static_chunks(&nums, threads);
            let (by_queue, queue_reports) = work_queue(&nums, threads);
            assert_eq!(by_chunks, expected, "static_chunks with {threads}");
            assert_eq!(by_queue, expected, "work_queue with {threads}");
            let counted = |r: &[WorkerReport]| r.iter().map(|r| r.numbers).sum::<usize>();
            assert_eq!(rayon_pool(&nums, threads), expected, "rayon with {threads}");
            let (stolen, stealing_reports) = work_stealing(&nums, threads);
            assert_eq!(stolen, expected, "work_stealing with {threads}");
            assert_eq!(counted(&stealing_reports), nums.len());
            assert_eq!(counted(&chunk_reports), nums.len());
            assert_eq!(counted(&queue_reports), nums.len());
            assert_eq!(queue_reports.len(), threads);
        }
    }

    #[test]
    fn check_writable_refuses_a_missing_directory_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("chart.svg");
        check_writable(&fresh).unwrap();
        assert!(!fresh.exists(), "the probe removed the file it created");
        std::fs::write(&fresh, "kept").unwrap();
        check_writable(&fresh).unwrap();
        assert_eq!(std::fs::read_to_string(&fresh).unwrap(), "kept");
        assert!(check_writable(&dir.path().join("no/such/chart.svg")).is_err());
        assert!(
            check_writable(dir.path()).is_err(),
            "a directory is not a file"
        );
    }

    #[test]
    fn more_threads_than_numbers_and_empty_input() {
        let nums = [12, 97, 1_000_003];
        let (out, reports) = static_chunks(&nums, 8);
        assert_eq!(out, serial(&nums));
        assert_eq!(reports.len(), 3, "chunks() yields only non-empty slices");
        assert!(static_chunks(&[], 4).0.is_empty());
        assert!(work_queue(&[], 4).0.is_empty());
    }
}
