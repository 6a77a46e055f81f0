//! Runs every lesson of the shared-state chapter as a student would, with small inputs, and checks
//! what each one proves. Nothing here asserts on timing, or on how many updates a race loses: that
//! is up to the scheduler. The benches measure speed; tests/loom.rs proves the races exist.

use std::time::Duration;

use lesson::testing::{Outcome, run};

const DEADLINE: Duration = Duration::from_secs(60);

fn lesson(exe: &str, args: &[&str]) -> Outcome {
    run(exe, args, DEADLINE)
}

#[test]
fn thread_counter_is_exact_with_locks_and_atomics() {
    let out = lesson(
        env!("CARGO_BIN_EXE_thread_counter"),
        &["--threads", "3", "--increments", "20000"],
    );
    out.assert_verified();
    assert!(
        out.stdout.contains("expected total 60000"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("error[E0499]"));
    for strategy in [
        "std::sync::Mutex counts exactly 60000 ... ok",
        "parking_lot::Mutex counts exactly 60000 ... ok",
        "AtomicU64::fetch_add counts exactly 60000 ... ok",
        "the load-then-store race never counts more than was added ... ok",
    ] {
        assert!(out.stdout.contains(strategy), "{strategy}:\n{}", out.stdout);
    }
    assert!(out.stdout.contains("ns per increment"));
}

#[test]
fn thread_counter_with_one_thread_loses_nothing() {
    let out = lesson(
        env!("CARGO_BIN_EXE_thread_counter"),
        &["--threads", "1", "--increments", "5000"],
    );
    out.assert_verified();
    assert!(
        out.stdout.contains("total 5000 of 5000: 0 updates lost"),
        "{}",
        out.stdout
    );
}

#[test]
fn primitives_checks_every_scene() {
    let out = lesson(
        env!("CARGO_BIN_EXE_primitives"),
        &["--workers", "3", "--permits", "2"],
    );
    out.assert_verified();
    for scene in [
        "-- Event",
        "-- Event across processes",
        "-- Condvar",
        "-- Barrier",
        "-- Semaphore",
        "-- RwLock",
    ] {
        assert!(
            out.stdout.contains(scene),
            "{scene} missing:\n{}",
            out.stdout
        );
    }
    assert!(
        out.stdout
            .contains("never more than 2 inside at once ... ok")
    );
    assert!(
        out.stdout
            .contains("all 3 readers held the read lock at the same time ... ok")
    );
    assert!(out.stdout.contains("passed before set: 0; after: 3"));
    assert!(
        out.stdout
            .contains("every worker process woke because the Event was set ... ok")
    );
}

#[test]
fn shared_value_race_reports_its_losses_and_never_counts_more() {
    let out = lesson(
        env!("CARGO_BIN_EXE_shared_value_race"),
        &["--workers", "3", "--increments", "100000"],
    );
    out.assert_verified();
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("total ") && l.contains("updates lost"))
        .unwrap_or_else(|| panic!("no total line:\n{}", out.stdout));
    let total: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(total <= 300_000, "{line}");
    assert!(
        out.stdout.contains("total 100000 of 100000"),
        "{}",
        out.stdout
    );
}

#[test]
fn shared_value_lock_is_exact_over_repeated_runs() {
    for _ in 0..3 {
        let out = lesson(
            env!("CARGO_BIN_EXE_shared_value_lock"),
            &["--workers", "3", "--increments", "20000"],
        );
        out.assert_verified();
        for check in [
            "process-shared mutex counts exactly 60000 ... ok",
            "AtomicU64::fetch_add counts exactly 60000 ... ok",
            "the race never counts more than was added ... ok",
        ] {
            assert!(out.stdout.contains(check), "{check}:\n{}", out.stdout);
        }
        assert!(out.stdout.contains("ns per increment"));
    }
}

#[test]
fn shared_array_checks_every_cell() {
    for workers in ["1", "3"] {
        let out = lesson(
            env!("CARGO_BIN_EXE_shared_array"),
            &["--workers", workers, "--len", "50000"],
        );
        out.assert_verified();
        assert!(
            out.stdout
                .contains("overlapping, compare-exchange: every cell doubled exactly")
        );
        assert!(
            out.stdout
                .contains("one disjoint slice each: every cell doubled exactly 1 times ... ok")
        );
    }
}

#[test]
fn bad_flags_get_one_line_and_exit_2() {
    let cases: [(&str, &[&str], &str); 11] = [
        (
            env!("CARGO_BIN_EXE_thread_counter"),
            &["--threads", "0"],
            "--threads",
        ),
        (
            env!("CARGO_BIN_EXE_thread_counter"),
            &["--increments", "x"],
            "--increments",
        ),
        (
            env!("CARGO_BIN_EXE_primitives"),
            &["--workers", "1"],
            "--workers",
        ),
        (
            env!("CARGO_BIN_EXE_primitives"),
            &["--permits", "0"],
            "--permits",
        ),
        (
            env!("CARGO_BIN_EXE_primitives"),
            &["--no-such-flag"],
            "--no-such-flag",
        ),
        (
            env!("CARGO_BIN_EXE_shared_value_race"),
            &["--workers", "0"],
            "--workers",
        ),
        (
            env!("CARGO_BIN_EXE_shared_value_race"),
            &["--increments", "-3"],
            "",
        ),
        (
            env!("CARGO_BIN_EXE_shared_value_lock"),
            &["--workers", "17"],
            "--workers",
        ),
        (
            env!("CARGO_BIN_EXE_shared_value_lock"),
            &["--kill-holder", "yes"],
            "yes",
        ),
        (env!("CARGO_BIN_EXE_shared_array"), &["--len", "0"], "--len"),
        (
            env!("CARGO_BIN_EXE_shared_array"),
            &["--len", "1e3"],
            "--len",
        ),
    ];
    for (exe, args, mentions) in cases {
        lesson(exe, args).assert_usage_error(mentions);
    }
}
