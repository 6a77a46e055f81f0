//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the serial factorizer.
//!
//! `factorize_naive` and `serial_factorizer`, line for line: one dict (a `HashMap`) from each
//! number to its prime factors, built on one core. The numbers are 400 in a row from 10^12.

use std::collections::HashMap;
use std::time::Instant;

// ANCHOR: factorize
fn factorize_naive(mut n: u64) -> Vec<u64> {
    if n < 2 {
        return vec![];
    }
    let mut factors = vec![];
    let mut p = 2;
    loop {
        if n == 1 {
            return factors;
        }
        let r = n % p;
        if r == 0 {
            factors.push(p);
            n /= p;
        } else if p * p >= n {
            factors.push(n);
            return factors;
        } else if p > 2 {
            p += 2; // advance in steps of 2 over odd numbers
        } else {
            p += 1; // if p == 2, get to 3
        }
    }
}
// ANCHOR_END: factorize

fn serial_factorizer(nums: &[u64]) -> HashMap<u64, Vec<u64>> {
    nums.iter().map(|&n| (n, factorize_naive(n))).collect()
}

fn main() {
    let nums: Vec<u64> = (1_000_000_000_000..1_000_000_000_400).collect();
    let start = Instant::now();
    let factors = serial_factorizer(&nums);
    println!("serial: {} numbers in {:.3?}", factors.len(), start.elapsed());
    // Every list of factors must multiply back to its number.
    let wrong = factors.iter().filter(|(n, f)| f.iter().product::<u64>() != **n);
    assert_eq!(wrong.count(), 0, "a factorization does not multiply back");
    println!("1000000000000 = {:?}", factors[&1_000_000_000_000]);
    println!("all {} factorizations multiply back", factors.len());
}
