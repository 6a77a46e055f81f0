//! The two queue lessons as binaries: `producer_consumer` accounts exactly for a million items,
//! repeatedly; `killed_consumer` loses exactly the dead consumer's items, within a deadline, with
//! no process left behind; both refuse bad flags.

use lesson::testing::{Outcome, run};
use multiproc::signal::pid_exists;
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_producer_consumer");
const KILLED: &str = env!("CARGO_BIN_EXE_killed_consumer");
const DEADLINE: Duration = Duration::from_secs(60);

/// The consumer PIDs from the lesson's table (the rows under the dashed rule).
fn consumer_pids(out: &Outcome) -> Vec<u32> {
    out.stdout
        .lines()
        .skip_while(|l| !l.starts_with("--------"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().nth(1)?.parse().ok())
        .collect()
}

fn assert_no_survivors(out: &Outcome, expected: usize) {
    let pids = consumer_pids(out);
    assert_eq!(pids.len(), expected, "{}", out.stdout);
    for pid in pids {
        assert!(!pid_exists(pid), "consumer {pid} outlived the lesson");
    }
}

#[test]
fn default_run_verifies_itself() {
    let out = run(EXE, &[], DEADLINE);
    out.assert_verified();
    assert!(
        out.stdout
            .contains("results == items: 0 missing, 0 duplicated, 0 wrong")
    );
    assert_no_survivors(&out, 3);
}

#[test]
fn a_million_items_are_accounted_for_exactly_in_repeated_runs() {
    for args in [
        &["--items", "1000000"][..],
        &["--items", "1000000", "--consumers", "5", "--batch", "1000"],
        &["--items", "1000000", "--consumers", "2", "--batch", "1"],
        &["--items", "1000000", "--consumers", "16", "--batch", "7"],
        &["--items", "1000000", "--batch", "65536"],
    ] {
        let out = run(EXE, args, DEADLINE);
        out.assert_verified();
        assert!(
            out.stdout.contains("got 1000000 results"),
            "{args:?}\n{}",
            out.stdout
        );
    }
}

#[test]
fn a_killed_consumer_costs_exactly_its_unanswered_items_in_time_without_survivors() {
    let start = Instant::now();
    let out = run(
        KILLED,
        &["--items", "300000", "--kill-after", "20000"],
        Duration::from_secs(20),
    );
    out.assert_verified();
    assert!(start.elapsed() < Duration::from_secs(15));
    assert!(
        out.stdout.contains("killed by SIGKILL (9)")
            && out.stdout.contains("consumer 0 (PID")
            && out
                .stdout
                .contains("lost items are exactly the dead consumer's unanswered ones ... ok"),
        "{}",
        out.stdout
    );
    assert_no_survivors(&out, 3);
}

#[test]
fn bad_flags_are_refused_in_one_line() {
    run(EXE, &["--consumers", "0"], DEADLINE).assert_usage_error("--consumers");
    run(EXE, &["--consumers", "17"], DEADLINE).assert_usage_error("--consumers");
    run(EXE, &["--items", "lots"], DEADLINE).assert_usage_error("--items");
    run(EXE, &["--batch", "0"], DEADLINE).assert_usage_error("--batch");
    run(EXE, &["--kill-consumer-after", "10"], DEADLINE)
        .assert_usage_error("--kill-consumer-after");
    run(KILLED, &["--consumers", "1"], DEADLINE).assert_usage_error("--consumers");
    run(KILLED, &["--items", "10", "--kill-after", "10"], DEADLINE)
        .assert_usage_error("--kill-after");
}
