//! The tutorial's first experiment, in Rust: factorize a fixed list of large numbers serially,
//! then with 1, 2, 4 and 8 threads, each thread taking one equal chunk of the list. In Python the
//! threads were *slower* than serial because of the GIL; here they run on every core. The lesson
//! also shows why the speedup stops short of the core count: the list ascends, so the last chunk
//! holds the hardest numbers and the other threads finish early and wait (`load_balancing` fixes
//! that).
//!
//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the serial and threaded factorizers.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use examples_threads::{finish_spread, serial, static_chunks};
use lesson::chart::{Bar, bar_chart_svg};
use lesson::{Checks, Table, human, timed, usize_in};
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
    println!("serial: {}", human(serial_time));
    let mut table = Table::new([
        "variant",
        "threads",
        "time",
        "speedup",
        "first thread done",
        "last thread done",
    ]);
    table.row(["serial", "1", &human(serial_time), "1.00x", "-", "-"]);
    let mut bars = vec![bar("serial", serial_time.as_secs_f64(), "serial")];

    // ANCHOR: experiment
    for &threads in &args.threads {
        let ((result, reports), time) = timed(|| static_chunks(&nums, threads));
        let (first, last) = finish_spread(&reports);
        let speedup = serial_time.as_secs_f64() / time.as_secs_f64();
        println!(
            "{threads} thread(s): {} chunk(s) of up to {} numbers; threads finished between {} and {}",
            reports.len(),
            nums.len().div_ceil(threads),
            human(first),
            human(last)
        );
        checks.check(
            format!("{threads} threads give the same factors as serial"),
            result == expected,
        );
        // ANCHOR_END: experiment
        table.row([
            "static chunks".to_string(),
            threads.to_string(),
            human(time),
            format!("{speedup:.2}x"),
            human(first),
            human(last),
        ]);
        bars.push(bar(
            &format!("{threads} thread{}", if threads == 1 { "" } else { "s" }),
            time.as_secs_f64(),
            "threads",
        ));
    }
    checks.check(
        "every factor list multiplies back to its number",
        expected.iter().all(|(&n, f)| factors_multiply_back(n, f)),
    );

    println!("\n{table}");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "Threads run on all {cores} cores: no GIL. Where the first thread finished long before the last,\n\
         a core sat idle: the list ascends, so later chunks hold larger, slower numbers. More chunks\n\
         than cores spread that out a little; `load_balancing` removes it."
    );
    if let Some(path) = &args.svg {
        let svg = bar_chart_svg("Factorizing with threads (shorter is faster)", "s", &bars);
        if let Err(e) = std::fs::write(path, svg) {
            lesson::usage_error(format!("cannot write the chart to {}: {e}", path.display()));
        }
        println!("chart written to {}", path.display());
    }
    checks.finish()
}

fn bar(label: &str, value: f64, series: &str) -> Bar {
    Bar {
        label: label.to_string(),
        value,
        series: series.to_string(),
    }
}
