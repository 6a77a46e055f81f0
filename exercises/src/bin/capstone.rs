//! The capstone, measured: writes sample logs into a temporary directory, summarises them
//! serially and then on a process pool (with a live progress line), checks that both agree, and
//! prints the times. Its Python twin is `python3 python/capstone/log_summary.py`, with the same
//! flags and the same files.
//!
//! ```console
//! cargo run -p exercises --bin capstone -- [--files N] [--lines N] [--workers N]
//! ```
//!
//! Until the capstone is solved this stops at the first `todo!()`; with the instructor's
//! solution: `cargo run -p exercises --features solutions --bin capstone`.

use exercises::capstone::{SUMMARIZE, parallel, serial, write_sample_logs};
use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const USAGE: &str =
    "usage: capstone [--files 1..=100000] [--lines 1..=1000000] [--workers 1..=256]";
/// How often the progress line is redrawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

struct Flags {
    files: usize,
    lines: usize,
    workers: usize,
}

fn parse() -> Result<Flags, String> {
    let mut flags = Flags {
        files: 64,
        lines: 40_000,
        workers: multiproc::cores(),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let [flag, value] = pair else {
            return Err(format!("{} needs a value", pair[0]));
        };
        let (slot, max) = match flag.as_str() {
            "--files" => (&mut flags.files, 100_000),
            "--lines" => (&mut flags.lines, 1_000_000),
            "--workers" => (&mut flags.workers, 256),
            other => return Err(format!("unknown flag {other}")),
        };
        *slot = value
            .parse()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| format!("{flag} takes a number from 1 to {max}, not {value:?}"))?;
    }
    Ok(flags)
}

fn main() -> ExitCode {
    multiproc::init(&[&SUMMARIZE]);
    let flags = match parse() {
        Ok(flags) => flags,
        Err(err) => {
            eprintln!("error: {err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&flags) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("failed: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(flags: &Flags) -> Result<(), String> {
    println!(
        "capstone: a log summary over {} files of {} lines, serial vs {} worker processes",
        flags.files, flags.lines, flags.workers
    );
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let paths =
        write_sample_logs(dir.path(), flags.files, flags.lines).map_err(|e| e.to_string())?;

    let start = Instant::now();
    let want = serial(&paths);
    let serial_time = start.elapsed();
    println!("serial:   {:>8.1} ms", serial_time.as_secs_f64() * 1e3);

    let done = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    let start = Instant::now();
    let (got, parallel_time) = thread::scope(|scope| {
        scope.spawn(|| show_progress(&done, &finished, paths.len()));
        let got = parallel(&paths, flags.workers, &done);
        // Timed before the progress thread is told to stop: it may sleep a while longer.
        let took = start.elapsed();
        finished.store(true, Ordering::Relaxed);
        (got, took)
    });
    let got = got?;
    println!(
        "parallel: {:>8.1} ms  ({:.2}x the serial speed)",
        parallel_time.as_secs_f64() * 1e3,
        serial_time.as_secs_f64() / parallel_time.as_secs_f64()
    );

    let s = &got.summary;
    println!(
        "{} files, {} lines, {} malformed",
        s.files, s.lines, s.malformed
    );
    println!("by level: {:?}", s.by_level);
    println!("errors by component: {:?}", s.errors_by_component);
    if got != want {
        return Err("the parallel report differs from the serial one".into());
    }
    println!("checks passed: the parallel report equals the serial one, no file lost");
    Ok(())
}

/// Redraws "n of N files" on stderr until the run is over; only on a terminal, where a
/// redrawn line means something (in a log or a pipe it would be a run of `\r`s).
fn show_progress(done: &AtomicUsize, finished: &AtomicBool, total: usize) {
    if !std::io::stderr().is_terminal() {
        return;
    }
    while !finished.load(Ordering::Relaxed) {
        eprint!("\r{} of {total} files", done.load(Ordering::Relaxed));
        let _ = std::io::stderr().flush();
        thread::sleep(PROGRESS_EVERY);
    }
    eprint!("\r{:30}\r", "");
}
