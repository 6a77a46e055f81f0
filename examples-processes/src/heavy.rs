//! A warning before a run that its flags make long or large. Every flag keeps its full range, but
//! a run estimated at more than a minute or more than a gigabyte says so on stderr before it
//! starts, in one line, so nobody waits an hour by accident:
//!
//! ```text
//! warning: --tasks 10000 --task-ms 5000 needs about 14 h; continuing
//! ```
//!
//! The estimates are arithmetic on the flags with per-item costs measured once on the book's
//! 2-core machine (dev profile, which optimizes): right within a factor of two or so, which is
//! all a warning needs. Nothing is measured at run time.

/// Above this many seconds a run is announced before it starts.
pub const LONG_SECONDS: f64 = 60.0;
/// Above this many bytes a run is announced before it starts.
pub const LARGE_BYTES: f64 = 1e9;
/// Less memory than this goes unmentioned in a warning about time.
const NOTABLE_BYTES: f64 = 1e8;

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

    #[test]
    fn only_a_long_or_large_run_is_announced() {
        let small = Cost {
            seconds: 3.0,
            bytes: 1e8,
        };
        assert_eq!(small.warning("--count 10"), None);
        let large = Cost {
            seconds: 40.0,
            bytes: 1.4e9,
        };
        assert_eq!(
            large.warning("--mib 256").as_deref(),
            Some("warning: --mib 256 needs about 1.4 GB and 40 s; continuing")
        );
    }

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
