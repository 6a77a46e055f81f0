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
fn event_holds_every_worker_until_it_is_set() {
    let out = lesson(env!("CARGO_BIN_EXE_event"), &["--workers", "3"]);
    out.assert_verified();
    assert!(
        out.stdout.contains("passed before set: 0; after: 3"),
        "{}",
        out.stdout
    );
    for check in [
        "no worker went past the Event before it was set ... ok",
        "every worker woke because the Event was set, after it was set ... ok",
    ] {
        assert!(out.stdout.contains(check), "{check}:\n{}", out.stdout);
    }
}

#[test]
fn process_event_holds_every_worker_process_until_it_is_set() {
    let out = lesson(env!("CARGO_BIN_EXE_process_event"), &["--workers", "3"]);
    out.assert_verified();
    assert!(out.stdout.contains("worker PIDs: ["), "{}", out.stdout);
    assert!(
        out.stdout.contains("passed before set: 0; after: 3"),
        "{}",
        out.stdout
    );
    for check in [
        "no worker process went past the Event before it was set ... ok",
        "every worker process woke because the Event was set ... ok",
        "no segment of this run is left in /dev/shm (0 found) ... ok",
    ] {
        assert!(out.stdout.contains(check), "{check}:\n{}", out.stdout);
    }
}

#[test]
fn condvar_queue_delivers_everything_in_order_and_never_overflows() {
    let out = lesson(
        env!("CARGO_BIN_EXE_condvar"),
        &["--items", "30", "--capacity", "2"],
    );
    out.assert_verified();
    assert!(out.stdout.contains("received 30 items"), "{}", out.stdout);
    for check in [
        "every item arrived once, in order ... ok",
        "the queue never held more than 2 ... ok",
    ] {
        assert!(out.stdout.contains(check), "{check}:\n{}", out.stdout);
    }
}

#[test]
fn barrier_keeps_phase_2_after_all_of_phase_1() {
    let out = lesson(env!("CARGO_BIN_EXE_barrier"), &["--workers", "3"]);
    out.assert_verified();
    let order = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("phase:worker in order: "))
        .unwrap_or_else(|| panic!("no order line:\n{}", out.stdout));
    let phases: Vec<&str> = order.split(' ').map(|e| &e[..1]).collect();
    assert_eq!(phases, ["1", "1", "1", "2", "2", "2"], "{order}");
    assert!(
        out.stdout
            .contains("nobody started phase 2 before everyone finished phase 1 ... ok")
    );
}

#[test]
fn semaphore_never_lets_in_more_than_its_permits() {
    let out = lesson(
        env!("CARGO_BIN_EXE_semaphore"),
        &["--workers", "5", "--permits", "2"],
    );
    out.assert_verified();
    assert!(
        out.stdout.contains("5 of 5 workers got in"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("never more than 2 inside at once ... ok")
    );
}

#[test]
fn rwlock_lets_readers_in_together_and_the_writer_alone() {
    let out = lesson(env!("CARGO_BIN_EXE_rwlock"), &["--readers", "3"]);
    out.assert_verified();
    for check in [
        "all 3 readers held the read lock at the same time ... ok",
        "the writer was alone: no reader inside while it wrote ... ok",
        "readers saw the old value, and the write landed ... ok",
    ] {
        assert!(out.stdout.contains(check), "{check}:\n{}", out.stdout);
    }
    assert!(
        out.stdout.contains(r#"after the write: "v2""#),
        "{}",
        out.stdout
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
    let cases: &[(&str, &[&str], &str)] = &[
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
            env!("CARGO_BIN_EXE_event"),
            &["--workers", "1"],
            "--workers",
        ),
        (
            env!("CARGO_BIN_EXE_process_event"),
            &["--workers", "0"],
            "--workers",
        ),
        (
            env!("CARGO_BIN_EXE_condvar"),
            &["--capacity", "0"],
            "--capacity",
        ),
        (env!("CARGO_BIN_EXE_condvar"), &["--items", "x"], "--items"),
        (
            env!("CARGO_BIN_EXE_barrier"),
            &["--workers", "17"],
            "--workers",
        ),
        (
            env!("CARGO_BIN_EXE_semaphore"),
            &["--permits", "0"],
            "--permits",
        ),
        (
            env!("CARGO_BIN_EXE_semaphore"),
            &["--no-such-flag"],
            "--no-such-flag",
        ),
        (
            env!("CARGO_BIN_EXE_rwlock"),
            &["--readers", "1"],
            "--readers",
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
    for &(exe, args, mentions) in cases {
        lesson(exe, args).assert_usage_error(mentions);
    }
}
