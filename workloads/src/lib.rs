//! The CPU-bound jobs the lessons parallelize, written plainly so a reader can compare them line by
//! line with the Python tutorials, plus the deterministic inputs the lessons share.
//!
//! Every job here is a pure function: the lessons differ only in *how* they spread the calls over
//! threads or processes, never in what a call computes. That is what lets each lesson check its
//! parallel answer against the serial one.

pub mod factor;
pub mod inputs;
pub mod primes;
pub mod sort;

pub use factor::{factorize_fast, factorize_naive, factors_multiply_back, is_prime};
pub use inputs::{SplitMix64, factor_inputs};
pub use primes::{count_primes_below, is_prime_naive};
pub use sort::bubble_sort;

/// The tutorial's `Pool.map` job (named `cube` there, though it takes a square root).
pub fn root(x: u64) -> f64 {
    (x as f64).sqrt()
}
