//! Capstone: summarise a directory of log files in parallel, on a pool of processes that
//! survives a worker killed mid-file, with a progress counter another thread can read, and measure
//! it against the serial version and the Python twin (`python3 python/capstone/log_summary.py`).
//! The whole brief: the book's page "Capstone: a parallel log summary".
//! Hints: `cargo run -p exercises --bin course -- hint capstone`.
//! Check: `cargo run -p exercises --bin course -- check capstone`
//! Measure: `cargo run -p exercises --bin capstone`

use multiproc::{Pool, PoolOptions, Task, TaskError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::{fs, io};

/// The levels a log line may have.
pub const LEVELS: [&str; 4] = ["DEBUG", "INFO", "WARN", "ERROR"];
/// The components of the sample logs.
pub const COMPONENTS: [&str; 5] = ["api", "db", "cache", "auth", "queue"];
/// A file whose first line is this makes its worker abort: the test hook for a worker that
/// dies mid-file (killed by the OOM killer, a crash in native code).
pub const CRASH_MARKER: &str = "#crash";

/// What the logs say, merged over any number of files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Files summarised.
    pub files: u64,
    /// Well-formed lines: `<timestamp> <LEVEL> <component>: <message>`, LEVEL one of [`LEVELS`].
    pub lines: u64,
    /// Well-formed lines per level.
    pub by_level: BTreeMap<String, u64>,
    /// `ERROR` lines per component.
    pub errors_by_component: BTreeMap<String, u64>,
    /// Non-empty lines that are not well-formed.
    pub malformed: u64,
}

impl Summary {
    /// The summary of one file's text (`files` is 1). Empty lines are skipped.
    pub fn of_text(text: &str) -> Summary {
        // TODO: one file's summary (`files` is 1): skip empty lines; split each line on
        //       whitespace; a line whose second field is one of LEVELS and whose third ends in
        //       ':' counts in `lines` and `by_level`, and, for ERROR, in `errors_by_component`
        //       (the component without its ':'); any other line is `malformed`.
        todo!("of_text")
    }

    /// Adds `other` into `self`: counts add up, maps add up key by key.
    pub fn merge(&mut self, other: Summary) {
        // TODO: add every count of `other` into `self`, the maps key by key.
        todo!("merge")
    }
}

/// The pool's task (given): reads one file and summarises it; aborts its worker on a file that
/// starts with [`CRASH_MARKER`].
fn summarize_file(path: String) -> Result<Summary, String> {
    let text = fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    if text.starts_with(CRASH_MARKER) {
        std::process::abort();
    }
    Ok(Summary::of_text(&text))
}
/// The tests and the capstone's command register it with `init`.
pub static SUMMARIZE: Task<String, Result<Summary, String>> =
    Task::new("summarize_file", summarize_file);

/// What a whole run produces: the merged summary, and the files it could not summarise.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub summary: Summary,
    /// Each file left out, with why (unreadable, or its worker died), sorted by path.
    pub lost: Vec<(PathBuf, String)>,
}

/// The serial version (given): one file after another in this process; the baseline to beat.
pub fn serial(paths: &[PathBuf]) -> Report {
    let mut report = Report::default();
    for path in paths {
        match fs::read_to_string(path) {
            Ok(text) => report.summary.merge(Summary::of_text(&text)),
            Err(err) => report.lost.push((path.clone(), err.to_string())),
        }
    }
    report
}

/// The parallel version: a pool of `workers` processes, one file per job, results taken as they
/// arrive; `done` counts the files handled so far (summarised or lost), so another thread can
/// show progress while it runs. A file whose worker dies is listed in `lost`, the pool replaces
/// the worker, and the run goes on: every other file is summarised.
pub fn parallel(paths: &[PathBuf], workers: usize, done: &AtomicUsize) -> Result<Report, String> {
    // TODO: a pool of `workers` processes running SUMMARIZE. How many jobs may wait at one
    //       worker, if a worker that dies must take only the file it was reading?
    // TODO: hand out one path per job and take the results as they arrive, in any order; merge
    //       each summary, list each failure in `lost` with its path and why, count each file in
    //       `done` the moment it is handled.
    // TODO: sort `lost`, so the report does not depend on which worker finished first.
    todo!("parallel")
}

/// Writes `files` sample logs of `lines` lines each into `dir` (given) and returns their paths.
/// The content depends only on the file and line numbers, so the Python twin writes the same.
pub fn write_sample_logs(dir: &Path, files: usize, lines: usize) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let mut paths = Vec::with_capacity(files);
    for f in 0..files {
        let mut text = String::with_capacity(lines * 48);
        for i in 0..lines {
            text.push_str(&sample_line(f, i));
            text.push('\n');
        }
        let path = dir.join(format!("app-{f:04}.log"));
        fs::write(&path, text)?;
        paths.push(path);
    }
    Ok(paths)
}

/// Line `i` of sample file `f`: mostly INFO and DEBUG, some WARN and ERROR, every 97th malformed.
pub fn sample_line(f: usize, i: usize) -> String {
    let h = (f * 7_919 + i * 104_729) % 1_000_003;
    if h.is_multiple_of(97) {
        return "-- log rotated --".to_string();
    }
    let level = match h % 100 {
        0..50 => "INFO",
        50..75 => "DEBUG",
        75..93 => "WARN",
        _ => "ERROR",
    };
    let component = COMPONENTS[(h / 100) % COMPONENTS.len()];
    let (minute, second) = (i / 60 % 60, i % 60);
    format!("2026-11-30T08:{minute:02}:{second:02} {level} {component}: request {h} handled")
}
