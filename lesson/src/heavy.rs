//! A warning before a run that its flags make long or large. Every flag keeps its full range, but
//! a run estimated at more than a minute or more than a gigabyte says so on stderr before it
//! starts, in one line, so nobody waits an hour by accident:
//!
//! ```text
//! warning: --n 100000000 needs about 4.0 GB and 3 s; continuing
//! ```
//!
//! Each chapter estimates its own lessons' [`Cost`] from their flags (arithmetic with per-item
//! costs measured once on the book's machine, right within a factor of two, which is all a
//! warning needs); this module decides whether that is worth a warning and words it.

/// Above this many seconds a run is announced before it starts.
pub const LONG_SECONDS: f64 = 60.0;
/// Above this many bytes a run is announced before it starts.
pub const LARGE_BYTES: f64 = 1e9;
/// Less memory than this goes unmentioned in a warning about time.
const NOTABLE_BYTES: f64 = 1e8;

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
}
