//! What each lesson of this chapter costs, estimated from its flags for [`lesson::heavy`]: per-item
//! costs measured once on the book's 2-core machine (dev profile, which optimizes).

pub use lesson::heavy::{Cost, warn_if_heavy};

/// One core factoring one number of the factorizer's list (`workloads::factor_inputs`).
const FACTOR_SECONDS: f64 = 70e-6;
/// Memory per number of a factor map, in the parent and in the message that brings it.
const FACTOR_MAP_BYTES: f64 = 200.0;
/// Starting a worker process, and stopping it.
const SPAWN_SECONDS: f64 = 0.01;
/// One message to a pool worker and its answer, beyond the work it carries.
const MESSAGE_SECONDS: f64 = 20e-6;
/// Bytes of memory per byte of `large_data`'s array: the array, the copy sent by value and its
/// serialized form in the parent, what the child rebuilds, the shared-memory segment.
const LARGE_DATA_COPIES: f64 = 5.0;
/// Seconds per MiB of `large_data`'s array: filling, writing, sending and summing it.
const LARGE_DATA_SECONDS_PER_MIB: f64 = 0.02;

/// Seconds for work that takes one core `serial` seconds, spread over `procs` processes.
fn spread(serial: f64, procs: usize) -> f64 {
    serial / procs.clamp(1, multiproc::cores().max(1)) as f64
}

/// `mp_factorizer`: the serial run, then `procs` processes with one chunk each.
pub fn mp_factorizer(count: usize, procs: usize) -> Cost {
    let serial = count as f64 * FACTOR_SECONDS;
    Cost {
        seconds: serial + spread(serial, procs) + procs as f64 * SPAWN_SECONDS,
        bytes: count as f64 * FACTOR_MAP_BYTES,
    }
}

/// `pool_factorizer`: the serial run, then a pool of `procs` twice, the second time with
/// messages of `chunksize` numbers.
pub fn pool_factorizer(count: usize, procs: usize, chunksize: usize) -> Cost {
    let serial = count as f64 * FACTOR_SECONDS;
    let messages = (count.div_ceil(chunksize.max(1)) + procs) as f64;
    Cost {
        seconds: serial
            + 2.0 * (spread(serial, procs) + procs as f64 * SPAWN_SECONDS)
            + messages * MESSAGE_SECONDS,
        bytes: count as f64 * FACTOR_MAP_BYTES,
    }
}

/// `crash_resilience`: `tasks` tasks of `task_ms` each on `workers` workers, which sleep rather
/// than compute, so every worker counts whatever the cores.
pub fn crash_resilience(tasks: usize, task_ms: usize, workers: usize) -> Cost {
    let work = tasks as f64 * task_ms as f64 / 1000.0;
    Cost {
        seconds: work / workers.max(1) as f64 + (workers + 2) as f64 * SPAWN_SECONDS,
        bytes: 0.0,
    }
}

/// `large_data`: an array of `mib` MiB sent to a child three ways.
pub fn large_data(mib: usize) -> Cost {
    Cost {
        seconds: mib as f64 * LARGE_DATA_SECONDS_PER_MIB,
        bytes: mib as f64 * (1 << 20) as f64 * LARGE_DATA_COPIES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lesson::heavy::{LARGE_BYTES, LONG_SECONDS};

    #[test]
    fn the_maximum_flags_warn_and_the_defaults_do_not() {
        let long = |cost: Cost| cost.seconds > LONG_SECONDS;
        assert!(long(crash_resilience(10_000, 5_000, 1)));
        assert!(!long(crash_resilience(24, 50, 2)));
        assert!(long(mp_factorizer(1_000_000, 2)));
        assert!(!long(mp_factorizer(20_000, 2)));
        assert!(long(pool_factorizer(1_000_000, 2, 16)));
        assert!(!long(pool_factorizer(20_000, 2, 16)));
        assert!(large_data(256).bytes > LARGE_BYTES);
        assert!(large_data(32).bytes < LARGE_BYTES && !long(large_data(32)));
    }
}
