//! What each lesson of this chapter costs, estimated from its flags for [`lesson::heavy`]: per-item
//! costs measured once on the book's 2-core machine (dev profile, which optimizes).

use std::time::Duration;

pub use lesson::heavy::{Cost, warn_if_heavy};

/// One core factoring one number of the factorizer's list (`workloads::factor_inputs`).
const FACTOR_SECONDS: f64 = 70e-6;
/// Memory per number of a factor map (key, vector, its heap block, the table's slack).
const FACTOR_MAP_BYTES: f64 = 100.0;
/// Counting the primes below N by trial division takes about this × N^1.5 / ln N seconds.
const PRIME_COUNT_FACTOR: f64 = 1.5e-9;
/// Starting a child process and collecting its answer.
const SPAWN_SECONDS: f64 = 0.01;
/// One core taking one square root of `parallel_overhead`'s sum over `10..N`.
const ROOT_SECONDS: f64 = 4e-9;
/// One core taking one square root of `pool_map`'s `map` over `10..N` and keeping the result.
const MAPPED_ROOT_SECONDS: f64 = 10e-9;
/// One item through a process pool's `map`: serialized there, computed, serialized back.
const POOL_ITEM_SECONDS: f64 = 100e-9;
/// Memory per item of `pool_map` (the serial, global and custom pools' result vectors).
const POOL_MAP_BYTES: f64 = 40.0;
/// Memory per item of `parallel_overhead`'s largest process-pool `map` (jobs and results).
const POOL_ITEM_BYTES: f64 = 48.0;

/// Seconds for work that takes one core `serial` seconds, spread over `threads` threads.
fn spread(serial: f64, threads: usize) -> f64 {
    serial / threads.clamp(1, multiproc::cores().max(1)) as f64
}

/// `threaded_factorizer`: the serial run, then one run per thread count.
pub fn threaded_factorizer(count: usize, threads: &[usize]) -> Cost {
    let serial = count as f64 * FACTOR_SECONDS;
    Cost {
        seconds: serial + threads.iter().map(|&t| spread(serial, t)).sum::<f64>(),
        bytes: 2.0 * count as f64 * FACTOR_MAP_BYTES,
    }
}

/// `load_balancing`: the serial run, then three strategies on `workers` threads.
pub fn load_balancing(count: usize, workers: usize) -> Cost {
    let serial = count as f64 * FACTOR_SECONDS;
    Cost {
        seconds: serial + 3.0 * spread(serial, workers),
        bytes: 2.0 * count as f64 * FACTOR_MAP_BYTES,
    }
}

/// `cpu_bound_showdown`: `tasks` prime counts in a row, then in threads, then in processes.
pub fn cpu_bound_showdown(tasks: usize, limit: usize) -> Cost {
    let n = limit as f64;
    let all = tasks as f64 * PRIME_COUNT_FACTOR * n.powf(1.5) / n.ln();
    Cost {
        seconds: all + 2.0 * spread(all, tasks) + tasks as f64 * SPAWN_SECONDS,
        bytes: 0.0,
    }
}

/// `pool_map`: a serial loop and two pools over `10..n`, every result kept.
pub fn pool_map(n: usize) -> Cost {
    let serial = n as f64 * MAPPED_ROOT_SECONDS;
    Cost {
        seconds: serial + 2.0 * spread(serial, usize::MAX),
        bytes: n as f64 * POOL_MAP_BYTES,
    }
}

/// `parallel_overhead`: for each size up to `max_n`, `repeat` serial and rayon runs and one
/// process-pool run.
pub fn parallel_overhead(sizes: &[u64], repeat: usize) -> Cost {
    let per_size = |n: f64| {
        let serial = n * ROOT_SECONDS;
        repeat as f64 * (serial + spread(serial, usize::MAX)) + n * POOL_ITEM_SECONDS
    };
    let largest = sizes.iter().max().copied().unwrap_or(0) as f64;
    Cost {
        seconds: sizes.iter().map(|&n| per_size(n as f64)).sum(),
        bytes: largest * POOL_ITEM_BYTES,
    }
}

/// `io_bound`: `requests` calls one after another, then all at once, each answered after `delay`.
pub fn io_bound(requests: usize, delay: Duration) -> Cost {
    Cost {
        seconds: (requests + 1) as f64 * delay.as_secs_f64(),
        bytes: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lesson::heavy::{LARGE_BYTES, LONG_SECONDS};

    #[test]
    fn the_maximum_flags_warn_and_the_defaults_do_not() {
        let delay = Duration::from_millis;
        assert!(io_bound(64, delay(2000)).seconds > LONG_SECONDS);
        assert!(io_bound(8, delay(100)).seconds < LONG_SECONDS);
        assert!(pool_map(100_000_000).bytes > LARGE_BYTES);
        assert!(pool_map(5_000_000).bytes < LARGE_BYTES);
        let sizes = |max: u64| -> Vec<u64> {
            std::iter::successors(Some(100), |n| Some(n * 10))
                .take_while(|&n| n <= max)
                .collect()
        };
        assert!(parallel_overhead(&sizes(100_000_000), 5).bytes > LARGE_BYTES);
        let default = parallel_overhead(&sizes(10_000_000), 5);
        assert!(default.bytes < LARGE_BYTES && default.seconds < LONG_SECONDS);
        assert!(threaded_factorizer(1_000_000, &[1, 2, 4, 8]).seconds > LONG_SECONDS);
        assert!(threaded_factorizer(12_000, &[1, 2, 4, 8]).seconds < LONG_SECONDS);
        assert!(load_balancing(1_000_000, 1).seconds > LONG_SECONDS);
        assert!(cpu_bound_showdown(16, 20_000_000).seconds > LONG_SECONDS);
        assert!(cpu_bound_showdown(4, 1_000_000).seconds < LONG_SECONDS);
    }
}
