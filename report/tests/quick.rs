//! The report command end to end, on its smallest parts: it writes the HTML, the SVGs, the
//! Markdown and the CSV; a lesson whose check fails gets a failed row with no figure; without
//! Python the Rust side still runs and the report says so.

use std::path::Path;
use std::process::{Command, Output};

fn report(out: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_report"));
    command.args(["--quick", "--out"]).arg(out).args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the report runs")
}

fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The CSV row whose `what` column is `what`, split into its fields.
fn csv_row(csv: &str, what: &str) -> Vec<String> {
    let line = (csv.lines())
        .find(|l| l.contains(&format!("\"{what}\"")))
        .unwrap_or_else(|| panic!("no row {what} in\n{csv}"));
    line.replace(&format!("\"{what}\""), "what")
        .split(',')
        .map(str::to_string)
        .collect()
}

#[test]
fn a_quick_part_writes_the_html_the_charts_and_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let run = report(dir.path(), &["--parts", "counter"], &[]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("[########################]  4/4 done"),
        "progress: {stderr}"
    );
    let html = read(dir.path(), "report.html");
    assert!(
        html.contains("<h2 id=\"counter\">") && html.contains("<svg"),
        "{html}"
    );
    assert!(html.contains("cores,") && html.contains("GiB memory") && html.contains("rustc"));
    assert!(read(dir.path(), "counter.svg").starts_with("<svg"));
    let csv = read(dir.path(), "report.csv");
    let lock = csv_row(&csv, "counter increment, threads, a lock");
    // part, what, unit, rust, python, ratio, rust_status, python_status
    assert_eq!((lock[6].as_str(), lock[7].as_str()), ("ok", "ok"), "{csv}");
    let rust: f64 = lock[3].parse().unwrap();
    assert!(
        rust > 0.0 && rust < 1e-3,
        "a locked increment takes nanoseconds: {rust}"
    );
    assert!(read(dir.path(), "report.md").contains("| counter increment, threads, a lock |"));
}

#[test]
fn a_failed_check_marks_its_row_failed_and_shows_no_figure() {
    let dir = tempfile::tempdir().unwrap();
    let fail = (lesson::report::FAIL_VAR, "threads");
    let run = report(dir.path(), &["--parts", "workloads"], &[fail]);
    assert!(!run.status.success(), "a failed row fails the report");
    let csv = read(dir.path(), "report.csv");
    let threads = csv_row(&csv, "count primes, 4 jobs: threads");
    assert_eq!(threads[6], "failed", "{csv}");
    assert_eq!(threads[3], "", "no Rust figure for a failed run: {csv}");
    assert_eq!(threads[5], "-", "no ratio either");
    let sequential = csv_row(&csv, "count primes, 4 jobs: sequential");
    assert_eq!(
        sequential[6], "failed",
        "the whole run failed, so none of its figures count"
    );
    let md = read(dir.path(), "report.md");
    let row = md
        .lines()
        .find(|l| l.starts_with("| count primes, 4 jobs: threads |"))
        .unwrap();
    assert!(row.contains("| failed |"), "{row}");
    let chart = read(dir.path(), "workloads.svg");
    assert!(!chart.contains("threads (Rust)"), "no bar for a failed run");
    assert!(
        chart.contains("threads (Python)"),
        "the twin's bar is still there"
    );
    let html = read(dir.path(), "report.html");
    assert!(html.contains("class=\"failed\""), "{html}");
}

#[test]
fn without_python_the_rust_side_runs_and_the_report_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--parts", "counter", "--python", "/nonexistent/python3"];
    let run = report(dir.path(), &args, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(read(dir.path(), "report.html").contains("Python was not found"));
    let csv = read(dir.path(), "report.csv");
    let lock = csv_row(&csv, "counter increment, threads, a lock");
    assert_eq!(
        (lock[6].as_str(), lock[7].as_str()),
        ("ok", "not run"),
        "{csv}"
    );
}

#[test]
fn the_timelines_show_every_strategy_and_the_dead_workers() {
    let dir = tempfile::tempdir().unwrap();
    let run = report(dir.path(), &["--parts", "timelines"], &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let balancing = read(dir.path(), "load_balancing.timeline.svg");
    for panel in [">static chunks<", ">work queue<", ">rayon<", ">worker 2<"] {
        assert!(balancing.contains(panel), "{panel} in {balancing}");
    }
    let crash = read(dir.path(), "crash_resilience.timeline.svg");
    assert_eq!(crash.matches(": worker died</text>").count(), 2, "{crash}");
    assert!(read(dir.path(), "mp_factorizer.timeline.svg").contains(">PID "));
    let html = read(dir.path(), "report.html");
    assert_eq!(
        html.matches("worker timeline").count(),
        3,
        "all three in the report"
    );
}

#[test]
fn without_open_mpi_the_distributed_part_says_why_and_the_report_passes() {
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    // No mpirun on an empty PATH; --no-build, because cargo would not be found there either.
    let path = empty.path().to_str().unwrap();
    let args = ["--parts", "distributed", "--no-build"];
    let run = report(dir.path(), &args, &[("PATH", path)]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("Open MPI not found"), "{stderr}");
    let csv = read(dir.path(), "report.csv");
    let round_trip = csv_row(&csv, "round trip, MPI");
    assert_eq!(
        (round_trip[6].as_str(), round_trip[7].as_str()),
        ("not run", "not run"),
        "{csv}"
    );
    assert!(read(dir.path(), "report.html").contains("This part did not run: Open MPI not found"));
}
