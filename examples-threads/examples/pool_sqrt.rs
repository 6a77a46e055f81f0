//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", "The Pool class", `Pool().map` of square roots.
//!
//! `Pool()` starts one worker process per core; rayon's global pool starts one worker thread per
//! core, and `into_par_iter().map()` is its `pool.map`: the range is split among the workers and
//! the results come back in input order. Threads are enough in Rust: there is no GIL to escape.

use rayon::prelude::*;

const N: u64 = 5_000_000;

// The tutorial's name, though it takes a square root.
fn cube(x: u64) -> f64 {
    (x as f64).sqrt()
}

fn main() {
    let result: Vec<f64> = (10..N).into_par_iter().map(cube).collect();
    println!("Program finished!");
    assert!(result.len() == (N - 10) as usize && result[90] == 10.0, "wrong square roots");
    println!("{} square roots, the first {:.4}", result.len(), result[0]);
    println!("on {} worker threads", rayon::current_num_threads());
}
