//! Solution: rayon_stats.

use rayon::prelude::*;

/// How many results, their sum and their largest (`None` for no results).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub count: u64,
    pub sum: u64,
    pub max: Option<u64>,
}

impl Stats {
    /// The stats of a single result (given).
    pub fn one(x: u64) -> Stats {
        Stats {
            count: 1,
            sum: x,
            max: Some(x),
        }
    }

    /// Two partial stats, from two halves of the input, combined into the stats of both.
    pub fn merge(self, other: Stats) -> Stats {
        // `None < Some(_)`, so `max` of two options keeps the larger value, or `None` if both are.
        Stats {
            count: self.count + other.count,
            sum: self.sum + other.sum,
            max: self.max.max(other.max),
        }
    }
}

/// Applies `f` to every item on rayon's thread pool and returns the stats of the results.
pub fn par_stats(items: &[u64], f: impl Fn(u64) -> u64 + Sync) -> Stats {
    items
        .par_iter()
        .map(|&x| Stats::one(f(x)))
        .reduce(Stats::default, Stats::merge)
}
