//! The tutorial's first experiment, in Rust: factorize a fixed list of large numbers serially,
//! then with 1, 2, 4 and 8 threads, each thread taking one equal chunk of the list. In Python the
//! threads were *slower* than serial because of the GIL; here they run on every core. The lesson
//! also shows why the speedup stops short of the core count: the list ascends, so the last chunk
//! holds the hardest numbers and the other threads finish early and wait (`load_balancing` fixes
//! that).
//!
//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the serial and threaded factorizers.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use examples_threads::{finish_spread, heavy, require_writable, serial, static_chunks};
use lesson::chart::{Bar, bar_chart_svg};
use lesson::report::Run;
use lesson::{Checks, Failure, Table, human, timed, usize_in};
use workloads::{factors_multiply_back, inputs};

#[derive(Parser, Debug)]
#[command(about = "Serial vs static chunks in 1, 2, 4, 8 threads on the naive factorizer")]
struct Args {
    /// How many numbers to factorize
    #[arg(long, default_value_t = inputs::DEFAULT_COUNT, value_parser = usize_in(1, 1_000_000))]
    count: usize,
    /// Thread counts to try, comma-separated
    #[arg(long, value_delimiter = ',', default_values_t = [1, 2, 4, 8], value_parser = usize_in(1, 64))]
    threads: Vec<usize>,
    /// Seed for the list of numbers (the book's figures use the default)
    #[arg(long, default_value_t = inputs::DEFAULT_SEED)]
    seed: u64,
    /// Also draw the run as an SVG bar chart at this path
    #[arg(long)]
    svg: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    if let Some(path) = &args.svg {
        require_writable(path, "the chart");
    }
    heavy::warn_if_heavy(heavy::threaded_factorizer(args.count, &args.threads));
    lesson::header("threaded_factorizer: serial vs static chunks in threads");
    let nums = inputs::factor_inputs(args.count, args.seed);
    println!(
        "factorizing {} numbers between {} and {} (seed {}), sorted ascending",
        nums.len(),
        nums[0],
        nums[nums.len() - 1],
        args.seed
    );

    let mut checks = Checks::new();
    let (expected, serial_time) = timed(|| serial(&nums));
    let right = expected.iter().all(|(&n, f)| factors_multiply_back(n, f));
    let serial_run = Run::judged("serial", serial_time, right);
    println!("serial: {}", serial_run.shown());
    let mut table = table(&serial_run);
    let mut bars = vec![bar("serial", serial_run, "serial")];

    // ANCHOR: experiment
    for &threads in &args.threads {
        let ((result, reports), time) = timed(|| static_chunks(&nums, threads));
        let run = Run::judged(&format!("{threads} threads"), time, result == expected);
        let (first, last) = finish_spread(&reports);
        match run.time() {
            Some(_) => println!(
                "{threads} thread(s): {} chunk(s) of up to {} numbers; threads finished between {} and {}",
                reports.len(),
                nums.len().div_ceil(threads),
                human(first),
                human(last)
            ),
            None => println!("{threads} thread(s): failed"),
        }
        checks.check(
            format!("{threads} threads give the same factors as serial"),
            run.right(),
        );
        // ANCHOR_END: experiment
        table.row([
            "static chunks".to_string(),
            threads.to_string(),
            run.shown(),
            run.speedup(&serial_run, 2),
            run.figure(human(first)),
            run.figure(human(last)),
        ]);
        let s = if threads == 1 { "" } else { "s" };
        bars.push(bar(&format!("{threads} thread{s}"), run, "threads"));
    }
    checks.check(
        "every factor list multiplies back to its number",
        serial_run.right(),
    );

    println!("\n{table}");
    explain();
    if let Some(path) = &args.svg
        && let Err(failure) = draw(path, bars)
    {
        return failure.report();
    }
    checks.finish()
}

/// The results table, its first row the serial run.
fn table(serial_run: &Run) -> Table {
    let mut table = Table::new([
        "variant",
        "threads",
        "time",
        "speedup",
        "first thread done",
        "last thread done",
    ]);
    let speedup = serial_run.speedup(serial_run, 2);
    table.row(["serial", "1", &serial_run.shown(), &speedup, "-", "-"]);
    table
}

fn explain() {
    println!(
        "Threads run on all {} cores: no GIL. Where the first thread finished long before the last,\n\
         a core sat idle: the list ascends, so later chunks hold larger, slower numbers. More chunks\n\
         than cores spread that out a little; `load_balancing` removes it.",
        multiproc::cores()
    );
}

/// Writes the chart: one bar per run that finished with the right answer.
fn draw(path: &Path, bars: Vec<Option<Bar>>) -> lesson::Result<()> {
    let bars: Vec<Bar> = bars.into_iter().flatten().collect();
    let svg = bar_chart_svg("Factorizing with threads (shorter is faster)", "s", &bars);
    std::fs::write(path, svg)
        .map_err(|e| Failure::msg(format!("cannot write the chart to {}: {e}", path.display())))?;
    println!("chart written to {}", path.display());
    Ok(())
}

/// A bar of the chart, for a run that finished with the right answer.
fn bar(label: &str, run: Run, series: &str) -> Option<Bar> {
    Some(Bar {
        label: label.to_string(),
        value: run.time()?.as_secs_f64(),
        series: series.to_string(),
    })
}
