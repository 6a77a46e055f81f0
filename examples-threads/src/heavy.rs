//! A warning before a run that its flags make long or large. Every flag keeps its full range, but
//! a run estimated at more than a minute or more than a gigabyte says so on stderr before it
//! starts, in one line, so nobody waits an hour by accident:
//!
//! ```text
//! warning: --n 100000000 needs about 4.0 GB and 3 s; continuing
//! ```
//!
//! The estimates are arithmetic on the flags with per-item costs measured once on the book's
//! 2-core machine (dev profile, which optimizes): right within a factor of two or so, which is
//! all a warning needs. Nothing is measured at run time.

use std::time::Duration;

/// Above this many seconds a run is announced before it starts.
pub const LONG_SECONDS: f64 = 60.0;
/// Above this many bytes a run is announced before it starts.
pub const LARGE_BYTES: f64 = 1e9;
/// Less memory than this goes unmentioned in a warning about time.
const NOTABLE_BYTES: f64 = 1e8;

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

/// What a run will roughly cost: wall-clock seconds and peak bytes of memory.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cost {
    pub seconds: f64,
    pub bytes: f64,
}

impl Cost {
    /// The warning line for a run started with `flags`, if it is long or large. Memory is
    /// named only when there is enough of it to matter.
    pub fn warning(&self, flags: &str) -> Option<String> {
        if self.seconds <= LONG_SECONDS && self.bytes <= LARGE_BYTES {
            return None;
        }
        let time = seconds(self.seconds);
        Some(if self.bytes >= NOTABLE_BYTES {
            let memory = bytes(self.bytes);
            format!("warning: {flags} needs about {memory} and {time}; continuing")
        } else {
            format!("warning: {flags} needs about {time}; continuing")
        })
    }
}

/// Prints [`Cost::warning`] for this process's own flags on stderr, if there is one.
pub fn warn_if_heavy(cost: Cost) {
    let flags: Vec<String> = std::env::args().skip(1).collect();
    if let Some(warning) = cost.warning(&flags.join(" ")) {
        eprintln!("{warning}");
    }
}

fn bytes(b: f64) -> String {
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else {
        format!("{:.0} MB", (b / 1e6).ceil())
    }
}

fn seconds(s: f64) -> String {
    match s {
        s if s >= 7200.0 => format!("{:.0} h", s / 3600.0),
        s if s >= 120.0 => format!("{:.0} min", s / 60.0),
        s => format!("{:.0} s", s.ceil()),
    }
}

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

    #[test]
    fn only_a_long_or_large_run_is_announced() {
        let small = Cost {
            seconds: 3.0,
            bytes: 1e8,
        };
        assert_eq!(small.warning("--n 10"), None);
        let large = Cost {
            seconds: 40.0,
            bytes: 4e9,
        };
        assert_eq!(
            large.warning("--n 100000000").as_deref(),
            Some("warning: --n 100000000 needs about 4.0 GB and 40 s; continuing")
        );
        let long = Cost {
            seconds: 50_000.0,
            bytes: 0.0,
        };
        assert_eq!(
            long.warning("--x").as_deref(),
            Some("warning: --x needs about 14 h; continuing")
        );
    }

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
