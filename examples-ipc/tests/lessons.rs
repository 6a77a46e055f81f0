//! The chapter's lessons as binaries (all but the two queue lessons, in `producer_consumer.rs`):
//! each verifies itself with small flags, shows what it is about, leaves no process behind, and
//! refuses bad flags in one line.

use lesson::testing::{Outcome, run};
use multiproc::signal::pid_exists;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(60);

/// Every child PID the lesson printed as `PID=<n>` (not the lesson's own, printed as
/// `parent PID=<n>`) is gone once it has exited.
fn assert_no_children_left(out: &Outcome) {
    let pids: Vec<u32> = out
        .stdout
        .split("PID=")
        .skip(1)
        .filter_map(|s| s.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .filter(|pid| !out.stdout.contains(&format!("parent PID={pid}")))
        .collect();
    assert!(!pids.is_empty(), "no PID printed:\n{}", out.stdout);
    for pid in pids {
        assert!(!pid_exists(pid), "process {pid} outlived the lesson");
    }
}

fn assert_prints(out: &Outcome, texts: &[&str]) {
    for text in texts {
        assert!(out.stdout.contains(text), "{text}:\n{}", out.stdout);
    }
}

#[test]
fn producer_consumer_threads_ends_by_the_sentinel_and_by_dropping_the_sender() {
    let exe = env!("CARGO_BIN_EXE_producer_consumer_threads");
    let out = run(exe, &["--items", "50000", "--consumers", "4"], DEADLINE);
    out.assert_verified();
    assert_prints(
        &out,
        &[
            "left in the queue: [None]",
            "results == items (0 missing, 0 duplicated, 0 wrong)",
            "recv gave Some(Timeout)",
            "once it was dropped: Some(Disconnected)",
        ],
    );
    run(exe, &["--consumers", "0"], DEADLINE).assert_usage_error("--consumers");
    run(exe, &["--items", "0"], DEADLINE).assert_usage_error("--items");
    run(exe, &["--items", "-5"], DEADLINE).assert_usage_error("-5");
}

#[test]
fn bounded_channels_account_for_every_item_and_bound_the_backlog() {
    let exe = env!("CARGO_BIN_EXE_bounded_channels");
    let out = run(exe, &["--items", "50000", "--consumers", "4"], DEADLINE);
    out.assert_verified();
    for row in [
        "unbounded",
        "bounded(0): rendezvous",
        "bounded(16)",
        "bounded(1024)",
    ] {
        assert_prints(&out, &[&format!("{row}: results == items (0 missing")]);
    }
    assert_prints(
        &out,
        &["bounded(16): the backlog never exceeded the bound ... ok"],
    );
    run(exe, &["--consumers", "17"], DEADLINE).assert_usage_error("--consumers");
    run(exe, &["--items", "many"], DEADLINE).assert_usage_error("--items");
}

#[test]
fn empty_is_not_done_stops_early_then_collects_everything() {
    let exe = env!("CARGO_BIN_EXE_empty_is_not_done");
    let out = run(exe, &["--items", "12", "--work-ms", "10"], DEADLINE);
    out.assert_verified();
    assert_prints(
        &out,
        &[
            "0 missing, 0 duplicated, 0 wrong",
            "the channel reads as closed: true",
        ],
    );
    run(exe, &["--items", "201"], DEADLINE).assert_usage_error("--items");
    run(exe, &["--work-ms", "0"], DEADLINE).assert_usage_error("--work-ms");
}

#[test]
fn full_pipe_finds_where_send_blocks_and_recovers() {
    let exe = env!("CARGO_BIN_EXE_full_pipe");
    let out = run(exe, &["--messages", "1000", "--quiet-ms", "100"], DEADLINE);
    out.assert_verified();
    assert_prints(
        &out,
        &["8-byte messages: send blocked before all 1000 were sent ... ok"],
    );
    // The 8-byte row: blocked after some messages, fewer than attempted, all read back.
    let row = out
        .stdout
        .lines()
        .find(|l| l.starts_with("8 bytes"))
        .expect("the 8-byte row");
    let cells: Vec<&str> = row.split_whitespace().collect();
    let blocked: usize = cells[2].parse().expect("a count");
    assert!(blocked > 0 && blocked < 1000, "{row}");
    assert_eq!(cells.last(), Some(&"1000"), "{row}");
    run(exe, &["--messages", "999"], DEADLINE).assert_usage_error("--messages");
    run(exe, &["--quiet-ms", "x"], DEADLINE).assert_usage_error("--quiet-ms");
}

#[test]
fn pipe_answers_every_request() {
    let exe = env!("CARGO_BIN_EXE_pipe");
    let out = run(exe, &["--requests", "500"], DEADLINE);
    out.assert_verified();
    assert_prints(&out, &["Bye(500)", "all 500 answers were right ... ok"]);
    assert_no_children_left(&out);
    run(exe, &["--requests", "0"], DEADLINE).assert_usage_error("--requests");
    run(exe, &["--requests", "many"], DEADLINE).assert_usage_error("--requests");
}

#[test]
fn pipe_closed_ends_are_errors_not_hangs() {
    let exe = env!("CARGO_BIN_EXE_pipe_closed");
    let out = run(exe, &[], DEADLINE);
    out.assert_verified();
    assert_prints(
        &out,
        &[
            "recv after that: Err(Closed)",
            "recv gave Err(Closed)",
            "SIGABRT (6)",
            "returned Some(0)",
        ],
    );
    assert_no_children_left(&out);
    run(exe, &["--requests", "5"], DEADLINE).assert_usage_error("--requests");
}

#[test]
fn manager_dict_runs_the_tutorial_and_reaps_its_server() {
    let exe = env!("CARGO_BIN_EXE_manager_dict");
    let out = run(exe, &["--workers", "3"], DEADLINE);
    out.assert_verified();
    assert_prints(
        &out,
        &[
            "Dict: [(\"worker_0\", 0), (\"worker_1\", 10), (\"worker_2\", 20)]",
            "handed back 3 keys and a list of 3",
        ],
    );
    assert_no_children_left(&out);
    run(exe, &["--workers", "0"], DEADLINE).assert_usage_error("--workers");
    run(exe, &["--workers", "many"], DEADLINE).assert_usage_error("--workers");
}

#[test]
fn manager_race_add_is_exact_where_get_then_set_is_not_guaranteed() {
    let exe = env!("CARGO_BIN_EXE_manager_race");
    let out = run(exe, &["--workers", "3", "--increments", "500"], DEADLINE);
    out.assert_verified();
    assert_prints(&out, &["add counted every increment (1500 of 1500) ... ok"]);
    run(exe, &["--increments", "0"], DEADLINE).assert_usage_error("--increments");
    run(exe, &["--workers", "33"], DEADLINE).assert_usage_error("--workers");
}

#[test]
fn manager_batching_gets_the_same_answers_both_ways() {
    let exe = env!("CARGO_BIN_EXE_manager_batching");
    let out = run(exe, &["--workers", "3", "--ops", "3000"], DEADLINE);
    out.assert_verified();
    assert_prints(&out, &["total = Some(6000) (expected 6000)"]);
    run(exe, &["--ops", "2"], DEADLINE).assert_usage_error("--ops");
    run(exe, &["--batch", "0"], DEADLINE).assert_usage_error("--batch");
}

#[test]
fn manager_authkey_refuses_the_forged_and_keyless_workers() {
    let exe = env!("CARGO_BIN_EXE_manager_authkey");
    let out = run(exe, &[], DEADLINE);
    out.assert_verified();
    assert_prints(
        &out,
        &[
            "with the forged ticket: the manager refused the connection",
            "with the keyless ticket: the manager refused the connection",
            "the dict holds [\"keyed\"]",
        ],
    );
    assert_no_children_left(&out);
    run(exe, &["--workers", "2"], DEADLINE).assert_usage_error("--workers");
}
