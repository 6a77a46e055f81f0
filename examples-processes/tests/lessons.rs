//! Runs every lesson binary with small inputs, under a deadline, and checks what it proves.

use lesson::testing::run;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(60);

#[test]
fn spawn_join_children_report_our_pid_as_parent() {
    let out = run(
        env!("CARGO_BIN_EXE_spawn_join"),
        &["--children", "3"],
        DEADLINE,
    );
    out.assert_verified();
    let parent = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("main process: PID="))
        .unwrap();
    let reports = out
        .stdout
        .lines()
        .filter(|l| l.contains(&format!("parent PID={parent}")))
        .count();
    assert_eq!(reports, 3, "{}", out.stdout);
}

#[test]
fn spawn_join_rejects_bad_flags() {
    run(
        env!("CARGO_BIN_EXE_spawn_join"),
        &["--children", "0"],
        DEADLINE,
    )
    .assert_usage_error("--children");
    run(
        env!("CARGO_BIN_EXE_spawn_join"),
        &["--children", "x"],
        DEADLINE,
    )
    .assert_usage_error("--children");
}

#[test]
fn exit_codes_match_python_exitcode() {
    let out = run(
        env!("CARGO_BIN_EXE_exit_codes"),
        &["--code", "42"],
        DEADLINE,
    );
    out.assert_verified();
    for row in [
        "calls exit(code)          exit code 42",
        "-6",
        "-15",
        "-9",
        "101",
    ] {
        assert!(
            out.stdout.contains(row),
            "missing {row:?} in\n{}",
            out.stdout
        );
    }
    assert!(out.stderr.contains("panics on purpose"));
}

#[test]
fn exit_codes_rejects_bad_flags() {
    run(env!("CARGO_BIN_EXE_exit_codes"), &["--code", "0"], DEADLINE).assert_usage_error("--code");
    run(env!("CARGO_BIN_EXE_exit_codes"), &["--nope"], DEADLINE).assert_usage_error("--nope");
}
