//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the threaded factorizer.
//!
//! `threaded_factorizer(nums, nthreads)`: one chunk of `ceil(len / nthreads)` numbers and one
//! result map per thread, merged after the joins. The Python thread fills a dict it was handed;
//! a Rust thread returns its map from `join`, which is how it hands it back without sharing.

use std::collections::HashMap;
use std::thread;
use std::time::Instant;
use workloads::factorize_naive; // the serial factorizer's function, kept in the course's crate

// ANCHOR: threads
fn threaded_factorizer(nums: &[u64], nthreads: usize) -> HashMap<u64, Vec<u64>> {
    let chunksize = nums.len().div_ceil(nthreads);
    let mut threads = vec![];
    for chunk in nums.chunks(chunksize) {
        // Each thread gets its own copy of its chunk (as `args=` does) and builds its own map.
        let chunk = chunk.to_vec();
        threads.push(thread::spawn(move || {
            let mut outdict = HashMap::new();
            for n in chunk {
                outdict.insert(n, factorize_naive(n));
            }
            outdict
        }));
    }
    // Wait for all threads to finish, merging their maps into one.
    threads.into_iter().flat_map(|t| t.join().unwrap()).collect()
}
// ANCHOR_END: threads

fn main() {
    let nums: Vec<u64> = (1_000_000_000_000..1_000_000_000_400).collect();
    let start = Instant::now();
    let serial: HashMap<u64, Vec<u64>> = nums.iter().map(|&n| (n, factorize_naive(n))).collect();
    println!("serial:    {:.3?}", start.elapsed());
    for nthreads in [2, 4, 8] {
        let start = Instant::now();
        let factors = threaded_factorizer(&nums, nthreads);
        println!("{nthreads} threads: {:.3?}", start.elapsed());
        assert_eq!(factors, serial, "{nthreads} threads disagree with the serial run");
    }
    println!("every threaded run matches the serial one");
}
