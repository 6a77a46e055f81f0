//! How every lesson talks to the student: flags that fail in one line, a header naming the machine
//! and build, result tables, self-checks that set the exit code, small SVG charts ([`chart`]) and
//! worker timelines ([`timeline`]).
//!
//! Nothing here is about parallelism; it keeps the lesson files down to the idea they teach.

pub mod chart;
pub mod heavy;
pub mod report;
pub mod testing;
pub mod timeline;

use std::fmt;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Exit code for a bad flag or unusable input (the same code clap and most Unix tools use).
pub const USAGE_ERROR: u8 = 2;

/// Parses the command line into `T`. `--help` and `--version` print as usual; any other problem
/// (a value out of range, an unknown flag) prints one line to stderr and exits with code 2.
pub fn parse_args<T: clap::Parser>() -> T {
    // Lessons without child processes never call `multiproc::init`, which installs it too.
    multiproc::quiet_on_closed_stdout();
    match T::try_parse() {
        Ok(args) => args,
        Err(err) if !err.use_stderr() => err.exit(),
        Err(err) => {
            if let Some(message) = negative_number::<T>(&err) {
                eprintln!("error: {message} (see --help)");
                std::process::exit(USAGE_ERROR.into())
            }
            let rendered = err.to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("error: invalid arguments");
            eprintln!("{first} (see --help)");
            std::process::exit(USAGE_ERROR.into())
        }
    }
}

/// Explains a negative number given to a numeric flag. Clap reads `--count -1` as an unknown flag
/// `-1` ("unexpected argument '-1' found") and `--count=-1` as "invalid digit found in string";
/// neither tells a student what is wrong. The flag's range comes from asking clap about a number
/// far too large for any flag, whose refusal names the range.
fn negative_number<T: clap::Parser>(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let is_negative = |v: &str| {
        v.strip_prefix('-')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    let args: Vec<String> = std::env::args().collect();
    let (flag, value) = match text(ContextKind::InvalidValue) {
        // `--count=-1`: clap names the flag as `--count <COUNT>`.
        Some(value) if is_negative(&value) => {
            let arg = text(ContextKind::InvalidArg)?;
            (arg.split_whitespace().next()?.to_string(), value)
        }
        Some(_) => return None,
        // `--count -1`: the flag is the argument just before the "unknown" one.
        None => {
            let value = text(ContextKind::InvalidArg).filter(|v| is_negative(v))?;
            let at = args.iter().position(|a| *a == value)?;
            let flag = args.get(at.checked_sub(1)?)?.clone();
            flag.starts_with("--").then_some((flag, value))?
        }
    };
    let probe = args.iter().enumerate().map(|(i, a)| match (i, a) {
        (_, a) if *a == value => "18446744073709551615".to_string(),
        (_, a) if a.starts_with(&format!("{flag}=")) => format!("{flag}=18446744073709551615"),
        (_, a) => a.clone(),
    });
    let range = T::try_parse_from(probe).err().and_then(|e| {
        let text = e.to_string();
        let at = text.find(" is not in ")? + " is not in ".len();
        Some(text[at..].split_whitespace().next()?.to_string())
    });
    Some(match range {
        Some(range) => {
            format!("invalid value '{value}' for '{flag}': must be a positive number in {range}")
        }
        None => format!("invalid value '{value}' for '{flag}': must be a positive number"),
    })
}

/// A clap value parser for a whole number in `low..=high`, so a flag out of range is refused with
/// clap's own message ("0 is not in 1..=64") instead of reaching the lesson.
pub fn usize_in(low: usize, high: usize) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(low as u64..=high as u64)
}

/// Reports input the lesson cannot use (a missing file, say) in one line and exits with code 2.
pub fn usage_error(message: impl fmt::Display) -> ! {
    eprintln!("error: {message}");
    std::process::exit(USAGE_ERROR.into())
}

/// Prints the lesson's banner: what it does, on which machine, under which build profile.
pub fn header(title: &str) {
    println!("== {title} ==");
    println!("machine: {}; build: {}", machine(), build_profile());
}

/// Cores this process may use and the CPU model, e.g. `2 cores (AMD EPYC 7B13)`; a process
/// limited to fewer than the machine has says so, `1 of 2 cores`: pinned to a core (an MPI rank,
/// `taskset`), or held to a CPU quota (a container's `--cpus`, which the Python twins don't see).
pub fn machine() -> String {
    let usable = std::thread::available_parallelism().map_or(1, |n| n.get());
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = (info.lines())
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or_else(
            || std::env::consts::ARCH.to_string(),
            |m| m.trim().to_string(),
        );
    let online = info.lines().filter(|l| l.starts_with("processor")).count();
    let cores = |n: usize| {
        if n == 1 {
            "1 core".to_string()
        } else {
            format!("{n} cores")
        }
    };
    if online > usable {
        format!("{usable} of {} ({model})", cores(online))
    } else {
        format!("{} ({model})", cores(usable))
    }
}

/// Which profile this binary was built with, so a timing is never read without its context.
pub fn build_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "dev profile (optimized, with debug assertions: timings are close to release)"
    } else {
        "release profile"
    }
}

/// Runs `f` and returns its result with the wall-clock time it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// A duration in the unit a person would use for it: `1.23 s`, `45.6 ms`, `789 µs`.
pub fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else if s >= 1e-5 {
        format!("{:.0} µs", s * 1e6)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

/// A plain-text table whose columns line up, printed after a lesson's runs.
#[derive(Debug, Clone)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: ToString>(headers: impl IntoIterator<Item = S>) -> Self {
        Self {
            rows: vec![headers.into_iter().map(|h| h.to_string()).collect()],
        }
    }

    pub fn row<S: ToString>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        self.rows
            .push(cells.into_iter().map(|c| c.to_string()).collect());
        self
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                let cells = self.rows.iter().filter_map(|r| r.get(c));
                cells.map(|s| s.chars().count()).max().unwrap_or(0)
            })
            .collect();
        for (i, row) in self.rows.iter().enumerate() {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, &w)| format!("{cell:<w$}"))
                .collect();
            writeln!(f, "{}", cells.join("  ").trim_end())?;
            if i == 0 {
                let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
                writeln!(f, "{}", rule.join("  "))?;
            }
        }
        Ok(())
    }
}

/// Why a lesson could not finish a run: one error type for every failure a lesson reports.
///
/// Any standard error converts into it with `?` (`io::Error`, the toolkit's `SpawnError`, a
/// `PipeError`...), and a worker's own `Err(String)` with [`Failure::msg`]. [`Failure::report`]
/// prints it as one line and gives the exit code: 130 after Ctrl-C (what a shell reports for
/// death by SIGINT), 1 otherwise. A lesson that caught Ctrl-C only to clean up first (the
/// shared-memory lessons) ends by re-raising SIGINT instead, so that every lesson ends the same
/// way at every moment: see `multiproc::shm::die_of_sigint`. Like `anyhow::Error`, it is
/// deliberately not a `std::error::Error` itself, which is what lets the blanket `From` exist.
#[derive(Debug)]
pub enum Failure {
    /// Ctrl-C arrived; whatever the run had started has been cleaned up.
    Interrupted,
    /// The run failed, and why.
    Failed(String),
}

/// What a lesson's fallible steps return.
pub type Result<T, E = Failure> = std::result::Result<T, E>;

impl Failure {
    /// A failure described in words: a worker's `Err(String)`, or a condition the lesson found.
    pub fn msg(why: impl fmt::Display) -> Self {
        Failure::Failed(why.to_string())
    }

    /// Prints the failure as one line on stderr and returns the lesson's exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Interrupted => {
                eprintln!("interrupted");
                ExitCode::from(INTERRUPTED)
            }
            Failure::Failed(why) => {
                eprintln!("error: {why}");
                ExitCode::FAILURE
            }
        }
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(err: E) -> Self {
        Failure::Failed(err.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Interrupted => f.write_str("interrupted"),
            Failure::Failed(why) => f.write_str(why),
        }
    }
}

/// Exit code after Ctrl-C: 128 + SIGINT, as a shell reports a process that SIGINT ended.
pub const INTERRUPTED: u8 = 130;

/// The lesson's self-checks. Each prints `check: ... ok` or `... FAILED`; [`Checks::finish`]
/// turns any failure into exit code 1, so a lesson that computes a wrong answer cannot look green.
#[derive(Debug, Default)]
pub struct Checks {
    failed: Vec<String>,
    passed: usize,
}

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one check and returns its outcome, so a lesson can react to a failure.
    pub fn check(&mut self, what: impl fmt::Display, ok: bool) -> bool {
        let what = what.to_string();
        println!("check: {what} ... {}", if ok { "ok" } else { "FAILED" });
        if ok {
            self.passed += 1;
        } else {
            self.failed.push(what);
        }
        ok
    }

    pub fn finish(self) -> ExitCode {
        if self.failed.is_empty() {
            println!("all {} checks passed", self.passed);
            ExitCode::SUCCESS
        } else {
            println!(
                "{} of {} checks FAILED",
                self.failed.len(),
                self.failed.len() + self.passed
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns_and_underlines_the_header() {
        let mut t = Table::new(["variant", "time"]);
        t.row(["serial", "1.00 s"]).row(["2 threads", "0.51 s"]);
        let text = t.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "variant    time");
        assert_eq!(lines[1], "---------  ------");
        assert_eq!(lines[3], "2 threads  0.51 s");
    }

    #[test]
    fn human_picks_a_readable_unit() {
        assert_eq!(human(Duration::from_millis(1500)), "1.50 s");
        assert_eq!(human(Duration::from_micros(45_600)), "45.6 ms");
        assert_eq!(human(Duration::from_micros(789)), "789 µs");
        assert_eq!(human(Duration::from_nanos(2_340)), "2.3 µs");
    }

    #[test]
    fn failures_convert_and_report_their_exit_code() {
        fn open_missing() -> Result<std::fs::File> {
            Ok(std::fs::File::open("/no/such/file/anywhere")?)
        }
        let err = open_missing().expect_err("the file does not exist");
        assert!(err.to_string().contains("No such file"), "{err}");
        assert_eq!(err.report(), ExitCode::FAILURE);
        assert_eq!(Failure::Interrupted.report(), ExitCode::from(130));
        assert_eq!(Failure::msg("worker 3 lost").to_string(), "worker 3 lost");
    }

    #[test]
    fn checks_fail_the_exit_code() {
        let mut c = Checks::new();
        assert!(c.check("true holds", true));
        assert!(!c.check("false holds", false));
        assert_eq!(c.finish(), ExitCode::FAILURE);
        let mut c = Checks::new();
        c.check("fine", true);
        assert_eq!(c.finish(), ExitCode::SUCCESS);
    }
}
