//! Skewed work, three ways to deal it out. The factorizer's list ascends, so equal-length chunks
//! are not equal work: with static chunks one core finishes early and idles while the other grinds
//! through the big numbers. A shared work queue (threads take the next number when they are free)
//! and rayon's work stealing keep every core busy to the end: the remark that closes the
//! threads-vs-processes tutorial ("the work isn't evenly divided"), carried out and measured.
//!
//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the closing remark on uneven work between workers.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use examples_threads::{ReportingStrategy, WorkerReport, finish_spread, heavy, require_writable};
use examples_threads::{serial, static_chunks, work_queue, work_stealing};
use lesson::report::Run;
use lesson::timeline::{Span, Timeline};
use lesson::{Checks, Table, human, timed, usize_in};
use workloads::inputs;

#[derive(Parser, Debug)]
#[command(about = "Static chunks vs a shared work queue vs rayon work stealing on skewed work")]
struct Args {
    /// How many numbers to factorize
    #[arg(long, default_value_t = inputs::DEFAULT_COUNT, value_parser = usize_in(1, 1_000_000))]
    count: usize,
    /// Worker threads (default: one per core)
    #[arg(long, value_parser = usize_in(1, 64))]
    workers: Option<usize>,
    /// Seed for the list of numbers
    #[arg(long, default_value_t = inputs::DEFAULT_SEED)]
    seed: u64,
    /// Also draw when each worker ran, per strategy, as an SVG timeline at this path
    #[arg(long)]
    timeline: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let workers = args.workers.unwrap_or_else(multiproc::cores);
    heavy::warn_if_heavy(heavy::load_balancing(args.count, workers));
    if let Some(path) = &args.timeline {
        require_writable(path, "the timeline");
    }
    lesson::header("load_balancing: static chunks vs work queue vs work stealing");
    let nums = inputs::factor_inputs(args.count, args.seed);
    println!(
        "factorizing {} ascending numbers with {workers} workers",
        nums.len()
    );

    let (expected, serial_time) = timed(|| serial(&nums));
    let serial_run = Run::judged("serial", serial_time, true); // the reference the others match
    println!("serial: {}", serial_run.shown());
    let mut checks = Checks::new();
    let mut table = table(&serial_run, nums.len());
    let mut timeline = Timeline::new(format!("{} numbers, {workers} workers", nums.len()));

    // ANCHOR: compare
    let strategies: [(&str, ReportingStrategy); 3] = [
        ("static chunks", static_chunks),
        ("work queue", work_queue),
        ("rayon", work_stealing),
    ];
    for (name, strategy) in strategies {
        let ((result, reports), time) = timed(|| strategy(&nums, workers));
        let run = Run::judged(name, time, result == expected);
        let (first, last) = finish_spread(&reports);
        let counts: Vec<String> = reports.iter().map(|r| r.numbers.to_string()).collect();
        match run.time() {
            Some(time) => println!(
                "{name}: {} (workers done between {} and {})",
                human(time),
                human(first),
                human(last)
            ),
            None => println!("{name}: failed"),
        }
        checks.check(format!("{name}: same factors as serial"), run.right());
        if run.right() {
            timeline.panel(name, spans(&reports)); // a failed run draws nothing
        }
        // ANCHOR_END: compare
        table.row([
            name.to_string(),
            run.shown(),
            run.speedup(&serial_run, 2),
            run.figure(human(first)),
            run.figure(human(last)),
            run.figure(counts.join(" / ")),
        ]);
    }
    println!("\n{table}");
    if let Err(failure) = timeline.save_if(args.timeline.as_deref(), true) {
        return failure.report();
    }
    println!(
        "Static chunks give every worker the same *count* of numbers; the queue gives each one work\n\
         until none is left, so the one that drew small numbers takes more of them and all finish\n\
         together. rayon gets the same effect by letting idle threads steal half of a busy one's range."
    );
    checks.finish()
}

/// One bar per worker, from the start of the run until it ran out of work.
fn spans(reports: &[WorkerReport]) -> Vec<Span> {
    let bar = |(i, r): (usize, &WorkerReport)| {
        let end = r.finished_after.as_secs_f64();
        Span::new(
            format!("worker {}", i + 1),
            0.0,
            end,
            format!("{} numbers", r.numbers),
        )
    };
    reports.iter().enumerate().map(bar).collect()
}

/// The results table, its first row the serial run.
fn table(serial_run: &Run, numbers: usize) -> Table {
    let mut table = Table::new([
        "strategy",
        "time",
        "speedup",
        "first worker done",
        "last worker done",
        "numbers per worker",
    ]);
    let speedup = serial_run.speedup(serial_run, 2);
    let numbers = numbers.to_string();
    table.row(["serial", &serial_run.shown(), &speedup, "-", "-", &numbers]);
    table
}
