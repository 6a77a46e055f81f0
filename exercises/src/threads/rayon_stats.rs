//! Exercise: Python's `Pool.map` followed by a sum, a count and a max, in one parallel pass with
//! rayon: each thread folds its share of the items into partial stats, and the partials are merged.
//! Lesson: `pool_map`. Hints: `cargo run -p exercises --bin course -- hint rayon_stats`.
//! Check: `cargo run -p exercises --bin course -- check rayon_stats`

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
        // TODO: add the counts and the sums, keep the larger max. `Stats::default()` (no results)
        //       merged with any stats must give those stats back unchanged.
        todo!("merge")
    }
}

/// Applies `f` to every item on rayon's thread pool and returns the stats of the results.
pub fn par_stats(items: &[u64], f: impl Fn(u64) -> u64 + Sync) -> Stats {
    // TODO: a parallel iterator over `items`, each item mapped to the stats of `f(item)`, the
    //       stats reduced into one with `merge`, starting from "no results".
    todo!("par_stats")
}
