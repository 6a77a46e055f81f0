//! The other two queue lessons as binaries: they verify themselves and refuse bad flags.

use lesson::testing::run;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(60);

#[test]
fn producer_consumer_threads_ends_both_ways_and_bounds_the_backlog() {
    let out = run(
        env!("CARGO_BIN_EXE_producer_consumer_threads"),
        &["--items", "50000", "--consumers", "4"],
        DEADLINE,
    );
    out.assert_verified();
    assert!(
        out.stdout.contains("left in the queue: [None]"),
        "{}",
        out.stdout
    );
    for row in [
        "unbounded",
        "bounded(0): rendezvous",
        "bounded(16)",
        "bounded(1024)",
    ] {
        assert!(
            out.stdout
                .contains(&format!("{row}: results == items (0 missing")),
            "{row}\n{}",
            out.stdout
        );
    }
}

#[test]
fn producer_consumer_threads_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_producer_consumer_threads");
    run(exe, &["--consumers", "0"], DEADLINE).assert_usage_error("--consumers");
    run(exe, &["--items", "0"], DEADLINE).assert_usage_error("--items");
    run(exe, &["--items", "-5"], DEADLINE).assert_usage_error("-5");
}

#[test]
fn pipe_answers_every_request_and_closed_ends_are_errors() {
    let out = run(env!("CARGO_BIN_EXE_pipe"), &["--requests", "500"], DEADLINE);
    out.assert_verified();
    assert!(out.stdout.contains("Bye(500)"), "{}", out.stdout);
    assert!(
        out.stdout.contains("recv gave Err(Closed)") && out.stdout.contains("SIGABRT (6)"),
        "{}",
        out.stdout
    );
    // No child outlives the lesson: every "PID=" it printed is gone.
    for pid in out
        .stdout
        .split("PID=")
        .skip(1)
        .filter_map(|s| s.split_whitespace().next()?.parse::<u32>().ok())
    {
        if !out.stdout.contains(&format!("parent PID={pid}")) {
            assert!(
                !multiproc::signal::pid_exists(pid),
                "child {pid} outlived the lesson"
            );
        }
    }
}

#[test]
fn pipe_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_pipe");
    run(exe, &["--requests", "0"], DEADLINE).assert_usage_error("--requests");
    run(exe, &["--requests", "many"], DEADLINE).assert_usage_error("--requests");
}
