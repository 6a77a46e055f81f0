//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", "Making Best Use of Python Multiprocessing", N = 5,000,000 against N = 10,000.
//!
//! The same two ways, timed for both of the tutorial's N: rayon's `par_iter().map()` (the pool)
//! and a plain loop. The rayon pool starts once and stays, so it is timed warm; Python's `with
//! Pool()` starts and stops its processes inside the timing.

use rayon::prelude::*;
use std::time::Instant;

fn cube(x: u64) -> f64 {
    (x as f64).sqrt()
}

fn main() {
    rayon::broadcast(|_| ()); // start the pool's threads now, outside the timings
    for n in [5_000_000, 10_000] {
        println!("N = {n}");
        // first way, using the thread pool
        let start_time = Instant::now();
        let result: Vec<f64> = (10..n).into_par_iter().map(cube).collect();
        let finish_time = start_time.elapsed();
        println!("Program finished in {finish_time:?} - using rayon");
        // second way, serial computation
        let start_time = Instant::now();
        let mut serial = Vec::new();
        for x in 10..n {
            serial.push(cube(x));
        }
        let finish_time = start_time.elapsed();
        println!("Program finished in {finish_time:?}");
        assert_eq!(result, serial, "the pool and the loop disagree");
    }
    println!("the pool and the loop agree");
}
