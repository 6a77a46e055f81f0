//! Rust beside Python on the reader's own machine, in one command:
//!
//! ```console
//! cargo run --release -p report            # everything: 2 min 18 s on 2 cores, after the build
//! cargo run --release -p report -- --quick # small inputs, a few seconds, to see it work
//! ```
//!
//! It builds the lessons, runs the measured core of each one and its Python twin with a progress
//! line, and writes `target/report/report.html` (self-contained, charts inline), each chart as an
//! SVG, and the numbers as `report.md` and `report.csv`. Every figure is read from a lesson's own
//! output; a run that failed (a failed check, a crash, a deadline) marks its row failed and shows
//! no figure. Without Python the Rust side still runs, and the report says Python was not found.

mod book;
mod distributed;
mod machine;
mod parse;
mod parts;
mod run;
mod write;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::Parser;
use parts::{Ctx, PARTS};
use run::{Job, Lang};

/// How long one lesson may run before the report stops it and marks its rows failed.
const DEADLINE: Duration = Duration::from_secs(120);

#[derive(Parser, Debug)]
#[command(
    about = "Run every lesson's measured core beside its Python twin and write an HTML report"
)]
struct Args {
    /// Small inputs: the whole report in seconds (figures less steady)
    #[arg(long)]
    quick: bool,
    /// Which parts to run, comma-separated [default: all of them]
    #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(PARTS.map(|p| p.0)))]
    parts: Option<Vec<String>>,
    /// Where to write the report [default: target/report in the workspace]
    #[arg(long)]
    out: Option<PathBuf>,
    /// The Python interpreter that runs the twins
    #[arg(long, default_value = "python3")]
    python: String,
    /// Use the lessons already built next to this program instead of building them first
    #[arg(long)]
    no_build: bool,
    /// Run nothing: draw the book's charts (book/src/measured/charts/) from the outputs recorded
    /// in book/src/measured/, so that each chart shows the figures its page prints
    #[arg(long)]
    from_book: bool,
}

fn main() -> ExitCode {
    multiproc::init(&[&parts::NOOP]);
    let args: Args = lesson::parse_args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().unwrap_or(root);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/report"));
    if let Err(e) = std::fs::create_dir_all(&out) {
        lesson::usage_error(format!("cannot create {}: {e}", out.display()));
    }
    let out = out.canonicalize().unwrap_or(out);
    if args.from_book {
        let charts = args
            .out
            .clone()
            .unwrap_or_else(|| root.join("book/src/measured/charts"));
        return book::draw(&root, &charts)
            .map_or_else(lesson::Failure::report, |()| ExitCode::SUCCESS);
    }
    let chosen: Vec<&str> = match &args.parts {
        Some(parts) => PARTS
            .iter()
            .map(|p| p.0)
            .filter(|p| parts.iter().any(|c| c == p))
            .collect(),
        None => PARTS.iter().map(|p| p.0).collect(),
    };
    eprintln!("report: looking at the machine ...");
    let mut machine = machine::Machine::describe(&args.python);
    eprintln!("machine: {}", machine.start_line());
    if machine.python.is_none() {
        eprintln!(
            "Python was not found ({}): only the Rust side will run",
            args.python
        );
    }
    let bin_dir = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(PathBuf::from));
    let bin_dir = bin_dir.unwrap_or_else(|| root.join("target/debug"));
    if !args.no_build && !build_lessons(&root) {
        return lesson::Failure::msg("the lessons did not build").report();
    }
    let python = machine.python.as_ref().map(|_| args.python.clone());
    let mpi = if chosen.contains(&"distributed") {
        distributed::ready(&root, &bin_dir, python.as_deref(), !args.no_build)
    } else {
        Err("not chosen".into())
    };
    match &mpi {
        Err(why) if chosen.contains(&"distributed") => {
            eprintln!("report: the distributed part will not run: {why}");
        }
        _ => {}
    }
    let ctx = Ctx {
        quick: args.quick,
        workers: workers(multiproc::cores(), args.quick),
        bin_dir,
        root: root.clone(),
        python,
        out: out.clone(),
        mpi,
    };
    for stale in chosen
        .iter()
        .flat_map(|_| ["load_balancing", "mp_factorizer", "crash_resilience"])
    {
        let _ = std::fs::remove_file(out.join(format!("{stale}.timeline.svg")));
    }
    let planned: Vec<(&str, Vec<Job>)> =
        chosen.iter().map(|&p| (p, parts::jobs(p, &ctx))).collect();
    let total: usize = planned.iter().map(|(_, jobs)| jobs.len()).sum();
    let mut done_count = 0;
    let mut written = Vec::new();
    for (part, jobs) in planned {
        let mut done = Vec::new();
        for job in jobs {
            let side = if job.lang == Lang::Rust {
                "Rust"
            } else {
                "Python"
            };
            run::progress(done_count, total, &format!("{part}: {side} {}", job.name));
            let outcome = match (job.lang, &ctx.python) {
                (Lang::Python, None) => None,
                _ => Some(run::run(&job, &root, args.quick, DEADLINE)),
            };
            if let Some(why) = outcome.as_ref().and_then(|o| o.failed.as_ref()) {
                eprintln!("  failed: {why}");
            }
            done_count += 1;
            done.push((job, outcome));
        }
        let section = parts::collect(part, &ctx, &done);
        let about = PARTS.iter().find(|p| p.0 == part).map_or("", |p| p.1);
        written.push((part, about, section, done));
    }
    run::progress(done_count, total, "done");
    machine.finished();
    if let Err(e) = write::write_all(&out, &machine, &written, &root) {
        return lesson::Failure::msg(format!("cannot write the report: {e}")).report();
    }
    let failed = (written.iter().flat_map(|p| &p.2.rows))
        .filter(|r| {
            matches!(r.rust, parts::Figure::Failed(_))
                || matches!(r.python, parts::Figure::Failed(_))
        })
        .count();
    println!("report written to {}", out.join("report.html").display());
    println!(
        "(also report.md, report.csv and each chart as an SVG in {})",
        out.display()
    );
    if failed > 0 {
        println!("{failed} rows failed: they show no figure (see the report for why)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// 1, 2, 4, ... up to the core count, the core count itself, and one step beyond it.
fn workers(cores: usize, quick: bool) -> Vec<usize> {
    let mut list: Vec<usize> = (0..).map(|p| 1 << p).take_while(|&w| w <= cores).collect();
    if list.last() != Some(&cores) {
        list.push(cores);
    }
    if !quick {
        list.push(list.last().map_or(2, |&w| (w + 1).next_power_of_two()));
    }
    list
}

/// Builds every chapter's lessons with this program's profile (release for `--release`).
fn build_lessons(root: &std::path::Path) -> bool {
    eprintln!("report: building the lessons (the first time takes a few minutes) ...");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build.current_dir(root).args(["build", "-q", "--bins"]);
    let chapters = [
        "examples-threads",
        "examples-processes",
        "examples-ipc",
        "examples-sync",
    ];
    for chapter in chapters.into_iter().chain(["examples-async"]) {
        build.args(["-p", chapter]);
    }
    if !cfg!(debug_assertions) {
        build.arg("--release");
    }
    build.status().is_ok_and(|s| s.success())
}

#[cfg(test)]
mod tests {
    #[test]
    fn workers_go_up_by_powers_of_two_to_the_cores_and_one_beyond() {
        assert_eq!(super::workers(2, false), [1, 2, 4]);
        assert_eq!(super::workers(6, false), [1, 2, 4, 6, 8]);
        assert_eq!(super::workers(16, false), [1, 2, 4, 8, 16, 32]);
        assert_eq!(super::workers(2, true), [1, 2]);
    }
}
