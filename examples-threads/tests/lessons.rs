//! Runs every lesson of the threads chapter as a student would, with small inputs, and checks what
//! each one proves. Nothing here asserts on timing: the benches measure speed.

use std::time::Duration;

use lesson::testing::{Outcome, run};

const DEADLINE: Duration = Duration::from_secs(60);

fn lesson(exe: &str, args: &[&str]) -> Outcome {
    run(exe, args, DEADLINE)
}

#[test]
fn hello_threads_returns_values_and_sees_the_panic() {
    let out = lesson(env!("CARGO_BIN_EXE_hello_threads"), &["--threads", "3"]);
    out.assert_verified();
    assert!(
        out.stdout.contains("worker-2  4501500   4501500"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(r#"Some("no numbers left to add")"#));
    assert!(
        out.stderr.contains("thread 'doomed'"),
        "the panic is reported under the thread's name"
    );
}

#[test]
fn threaded_factorizer_verifies_every_thread_count_and_draws_a_chart() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let svg = dir.path().join("factorizer.svg");
    let svg_arg = svg.to_str().expect("temp path is UTF-8");
    let out = lesson(
        env!("CARGO_BIN_EXE_threaded_factorizer"),
        &["--count", "300", "--threads", "1,2,3", "--svg", svg_arg],
    );
    out.assert_verified();
    for threads in ["1", "2", "3"] {
        assert!(out.stdout.contains(&format!(
            "check: {threads} threads give the same factors as serial ... ok"
        )));
    }
    assert!(
        out.stdout.contains("variant        threads"),
        "results table:\n{}",
        out.stdout
    );
    let chart = std::fs::read_to_string(&svg).expect("the chart was written");
    assert_eq!(
        chart.matches("<rect").count(),
        1 + 4,
        "background + serial + three thread counts"
    );
}

#[test]
fn threaded_factorizer_reports_an_unwritable_chart_path() {
    let out = lesson(
        env!("CARGO_BIN_EXE_threaded_factorizer"),
        &[
            "--count",
            "10",
            "--threads",
            "1",
            "--svg",
            "/no/such/dir/chart.svg",
        ],
    );
    out.assert_usage_error("cannot write the chart");
}

#[test]
fn cpu_bound_showdown_counts_agree() {
    let out = lesson(
        env!("CARGO_BIN_EXE_cpu_bound_showdown"),
        &["--tasks", "3", "--limit", "20000"],
    );
    out.assert_verified();
    assert!(
        out.stdout.contains("(2262 primes per job)"),
        "pi(20000) = 2262:\n{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("check: the child processes found the same counts ... ok")
    );
    assert_eq!(
        out.stdout.matches("PIDs ").count(),
        1,
        "one line lists the children's PIDs"
    );
    for approach in ["sequential  ", "threads     ", "processes   "] {
        assert!(
            out.stdout.contains(approach),
            "{approach} row missing:\n{}",
            out.stdout
        );
    }
}

#[test]
fn scoped_threads_borrow_without_copying() {
    let out = lesson(
        env!("CARGO_BIN_EXE_scoped_threads"),
        &["--len", "1001", "--threads", "4"],
    );
    out.assert_verified();
    assert!(
        out.stdout
            .contains("every worker read the original buffer, not a copy ... ok")
    );
    assert_eq!(
        out.stdout.matches("0x").count(),
        1 + 4,
        "the buffer and one chunk per worker"
    );
}

#[test]
fn pool_map_keeps_order_in_both_pools() {
    let out = lesson(
        env!("CARGO_BIN_EXE_pool_map"),
        &["--n", "50000", "--workers", "3"],
    );
    out.assert_verified();
    assert!(out.stdout.contains("custom pool (3 threads)"));
    assert!(out.stdout.contains("pool-worker-2 mapped"));
}

#[test]
fn parallel_overhead_checks_every_size_and_names_a_crossover() {
    let out = lesson(
        env!("CARGO_BIN_EXE_parallel_overhead"),
        &["--max-n", "100000", "--repeat", "2"],
    );
    out.assert_verified();
    for n in ["100", "1000", "10000", "100000"] {
        assert!(out.stdout.contains(&format!(
            "check: N = {n}: rayon's sum equals the serial sum ... ok"
        )));
        assert!(out.stdout.contains(&format!(
            "check: N = {n}: the process pool's sum equals the serial sum ... ok"
        )));
    }
    assert!(out.stdout.contains("crossover, rayon: "));
    assert!(out.stdout.contains("crossover, process pool: "));
}

#[test]
fn load_balancing_compares_three_strategies() {
    let out = lesson(
        env!("CARGO_BIN_EXE_load_balancing"),
        &["--count", "400", "--workers", "3"],
    );
    out.assert_verified();
    for strategy in [
        "static chunks: same factors",
        "work queue: same factors",
        "rayon: same factors",
    ] {
        assert!(out.stdout.contains(strategy), "{strategy}");
    }
    // Static chunks deal equal counts: 400 numbers over 3 workers = 134 / 134 / 132.
    assert!(out.stdout.contains("134 / 134 / 132"), "{}", out.stdout);
}

#[test]
fn io_bound_answers_every_request() {
    let out = lesson(
        env!("CARGO_BIN_EXE_io_bound"),
        &["--requests", "4", "--delay-ms", "20"],
    );
    out.assert_verified();
    assert!(out.stdout.contains("one thread per request"));
}

#[test]
fn bad_flags_get_one_line_and_exit_2() {
    let cases: [(&str, &[&str], &str); 9] = [
        (
            env!("CARGO_BIN_EXE_hello_threads"),
            &["--threads", "0"],
            "--threads",
        ),
        (
            env!("CARGO_BIN_EXE_threaded_factorizer"),
            &["--threads", "2,x"],
            "--threads",
        ),
        (
            env!("CARGO_BIN_EXE_threaded_factorizer"),
            &["--count", "0"],
            "--count",
        ),
        (
            env!("CARGO_BIN_EXE_cpu_bound_showdown"),
            &["--limit", "1"],
            "--limit",
        ),
        (
            env!("CARGO_BIN_EXE_scoped_threads"),
            &["--threads", "65"],
            "--threads",
        ),
        (env!("CARGO_BIN_EXE_pool_map"), &["--n", "5"], "--n"),
        (
            env!("CARGO_BIN_EXE_parallel_overhead"),
            &["--repeat", "0"],
            "--repeat",
        ),
        (
            env!("CARGO_BIN_EXE_load_balancing"),
            &["--no-such-flag"],
            "--no-such-flag",
        ),
        (env!("CARGO_BIN_EXE_io_bound"), &["--delay-ms", "-5"], "-5"),
    ];
    for (exe, args, mentions) in cases {
        lesson(exe, args).assert_usage_error(mentions);
    }
}

#[test]
fn help_is_not_an_error() {
    let out = lesson(env!("CARGO_BIN_EXE_load_balancing"), &["--help"]);
    assert!(out.status.success());
    assert!(out.stdout.contains("--workers"));
}
