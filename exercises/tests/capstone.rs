//! Tests of the capstone. Own `main` (`harness = false`): the pool's workers re-execute this
//! binary, so `init` must run first (see `multiproc::harness`). Every sample directory is a fresh
//! temporary one, removed at the end of its test.

use exercises::capstone::{
    CRASH_MARKER, Report, SUMMARIZE, Summary, parallel, serial, write_sample_logs,
};
use exercises::support::within;
use multiproc::{harness, init};
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn main() -> ExitCode {
    init(&[&SUMMARIZE]);
    harness::run(
        &[
            ("one_file_is_summarised", one_file_is_summarised),
            ("summaries_merge_key_by_key", summaries_merge_key_by_key),
            ("parallel_equals_serial", parallel_equals_serial),
            ("progress_counts_every_file", progress_counts_every_file),
            (
                "a_killed_worker_costs_one_file",
                a_killed_worker_costs_one_file,
            ),
            (
                "an_unreadable_file_is_reported",
                an_unreadable_file_is_reported,
            ),
        ],
        Duration::from_secs(90),
    )
}

const PROBABLY: &str = "Does the loop over the results end? It ends when every job has been \
                        answered; a worker that died must still answer its job (the pool does \
                        that), so check you are not waiting for something else, such as a \
                        result count that a lost file never reaches.";

fn sample(files: usize, lines: usize) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_sample_logs(dir.path(), files, lines).unwrap();
    (dir, paths)
}

fn run_parallel(paths: Vec<PathBuf>, workers: usize) -> (Report, usize) {
    within(Duration::from_secs(60), PROBABLY, move || {
        let done = AtomicUsize::new(0);
        let report = parallel(&paths, workers, &done).unwrap();
        (report, done.load(Ordering::Relaxed))
    })
}

fn one_file_is_summarised() {
    let text = "2026-11-30T08:00:00 INFO api: up\n\n\
                2026-11-30T08:00:01 ERROR db: lost\n\
                2026-11-30T08:00:02 ERROR db: lost again\n\
                -- log rotated --\n\
                2026-11-30T08:00:03 TRACE api: unknown level\n\
                2026-11-30T08:00:04 WARN cache no colon\n";
    let s = Summary::of_text(text);
    assert_eq!(s.files, 1);
    assert_eq!(s.lines, 3, "three well-formed lines");
    assert_eq!(
        s.malformed, 3,
        "the rotation line, TRACE, and a component without ':'"
    );
    assert_eq!(s.by_level.get("ERROR"), Some(&2));
    assert_eq!(s.by_level.get("INFO"), Some(&1));
    assert_eq!(
        s.errors_by_component.get("db"),
        Some(&2),
        "keyed without the ':'"
    );
    assert_eq!(s.errors_by_component.len(), 1);
}

fn summaries_merge_key_by_key() {
    let mut a = Summary::of_text("t INFO api: x\nt ERROR db: y\n");
    a.merge(Summary::of_text("t ERROR db: z\nt ERROR auth: w\nbroken\n"));
    assert_eq!(a.files, 2);
    assert_eq!(a.lines, 4);
    assert_eq!(a.malformed, 1);
    assert_eq!(a.by_level.get("ERROR"), Some(&3));
    assert_eq!(a.errors_by_component.get("db"), Some(&2));
    assert_eq!(a.errors_by_component.get("auth"), Some(&1));
    let mut empty = Summary::default();
    empty.merge(a.clone());
    assert_eq!(empty, a, "merging into nothing gives the same summary");
}

fn parallel_equals_serial() {
    let (_dir, paths) = sample(40, 2_000);
    let want = serial(&paths);
    assert_eq!(want.summary.files, 40);
    for workers in [1, 2, 4] {
        let (got, _) = run_parallel(paths.clone(), workers);
        assert_eq!(
            got, want,
            "{workers} workers: the same report as the serial version"
        );
    }
}

fn progress_counts_every_file() {
    let (_dir, paths) = sample(30, 500);
    let done = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&done);
    let watcher = std::thread::spawn(move || {
        // Progress must move while the run goes on, not jump from 0 to the end.
        let mut readings = Vec::new();
        while readings.last() != Some(&30) && readings.len() < 20_000 {
            readings.push(seen.load(Ordering::Relaxed));
            std::thread::sleep(Duration::from_micros(200));
        }
        readings
    });
    let report = within(Duration::from_secs(60), PROBABLY, move || {
        parallel(&paths, 2, &done).unwrap()
    });
    let readings = watcher.join().unwrap();
    assert_eq!(report.summary.files, 30);
    assert_eq!(
        readings.last(),
        Some(&30),
        "`done` must end at the number of files"
    );
    assert!(
        readings.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes backwards"
    );
}

fn a_killed_worker_costs_one_file() {
    let (dir, mut paths) = sample(20, 500);
    let clean = serial(&paths);
    let victim = dir.path().join("app-crash.log");
    fs::write(
        &victim,
        format!("{CRASH_MARKER}\n2026-11-30T08:00:00 INFO api: x\n"),
    )
    .unwrap();
    paths.insert(7, victim.clone());
    let (got, done) = run_parallel(paths, 2);
    assert_eq!(done, 21, "every file is handled, the lost one too");
    assert_eq!(
        got.lost.len(),
        1,
        "exactly one file is lost: {:?}",
        got.lost
    );
    assert_eq!(got.lost[0].0, victim, "the file whose worker died");
    assert!(
        got.lost[0].1.contains("died"),
        "the reason says the worker died: {}",
        got.lost[0].1
    );
    assert_eq!(
        got.summary, clean.summary,
        "every other file is summarised: a dead worker must cost only the file it held (one job \
         in flight per worker)"
    );
}

fn an_unreadable_file_is_reported() {
    let (dir, mut paths) = sample(5, 100);
    let missing = dir.path().join("gone.log");
    paths.push(missing.clone());
    let (got, _) = run_parallel(paths, 2);
    assert_eq!(got.summary.files, 5);
    assert_eq!(got.lost.len(), 1);
    assert_eq!(got.lost[0].0, missing);
}
