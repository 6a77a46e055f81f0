//! Runs every lesson of the threads chapter as a student would, with small inputs, and checks what
//! each one proves. Nothing here asserts on timing: the benches measure speed.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use lesson::report::FAIL_VAR;
use lesson::testing::{Outcome, failed_without_figures, has_figure, line, run};

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
fn threaded_factorizer_refuses_an_unwritable_chart_path_before_computing() {
    // A million numbers take a minute or more to factor: the refusal must come long before.
    let start = Instant::now();
    let out = lesson(
        env!("CARGO_BIN_EXE_threaded_factorizer"),
        &["--count", "1000000", "--svg", "/no/such/dir/chart.svg"],
    );
    out.assert_usage_error("cannot write the chart to /no/such/dir/chart.svg");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(
        out.stdout.is_empty(),
        "nothing was computed:\n{}",
        out.stdout
    );
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

// ---- A failed run prints no figure (EXAMPLES_TEST_FAIL names the run to fail) ----

/// Runs a lesson with the test hook asking it to judge the run `fail` failed, under the deadline.
fn failing(exe: &str, args: &[&str], fail: &str) -> Outcome {
    let mut child = Command::new(exe)
        .args(args)
        .env(FAIL_VAR, fail)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lesson starts");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("{exe} {args:?} still running after {DEADLINE:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    let out = Outcome {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed run exits 1:\n{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("FAILED") && !out.stdout.contains("checks passed"),
        "{}",
        out.stdout
    );
    out
}

#[test]
fn threaded_factorizer_shows_no_figure_for_a_failed_thread_count() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let svg = dir.path().join("factorizer.svg");
    let args = ["--count", "300", "--threads", "1,2", "--svg"];
    let exe = env!("CARGO_BIN_EXE_threaded_factorizer");
    let out = failing(
        exe,
        &[&args[..], &[svg.to_str().unwrap()]].concat(),
        "2 threads",
    );
    failed_without_figures(line(&out, "2 thread(s):"));
    failed_without_figures(line(&out, "static chunks  2"));
    assert!(has_figure(line(&out, "static chunks  1")), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("check: 2 threads give the same factors as serial ... FAILED")
    );
    let chart = std::fs::read_to_string(&svg).expect("the chart was written");
    assert_eq!(
        chart.matches("<rect").count(),
        1 + 2,
        "no bar for the failed run"
    );
}

#[test]
fn load_balancing_shows_no_figure_for_a_failed_strategy() {
    let exe = env!("CARGO_BIN_EXE_load_balancing");
    let out = failing(exe, &["--count", "200", "--workers", "2"], "work queue");
    failed_without_figures(line(&out, "work queue:"));
    failed_without_figures(line(&out, "work queue "));
    assert!(has_figure(line(&out, "static chunks ")), "{}", out.stdout);
}

#[test]
fn cpu_bound_showdown_shows_no_figure_for_failed_threads() {
    let exe = env!("CARGO_BIN_EXE_cpu_bound_showdown");
    let out = failing(exe, &["--tasks", "2", "--limit", "20000"], "threads");
    failed_without_figures(line(&out, "threads:"));
    failed_without_figures(line(&out, "threads "));
    assert!(has_figure(line(&out, "processes ")), "{}", out.stdout);
}

#[test]
fn pool_map_shows_no_figure_for_a_failed_custom_pool() {
    let exe = env!("CARGO_BIN_EXE_pool_map");
    let out = failing(exe, &["--n", "5000", "--workers", "2"], "custom pool");
    failed_without_figures(line(&out, "custom pool ("));
    failed_without_figures(line(&out, "custom pool  "));
    assert!(!out.stdout.contains("pool-worker-"), "{}", out.stdout);
    assert!(has_figure(line(&out, "global pool  ")), "{}", out.stdout);
}

#[test]
fn parallel_overhead_shows_no_figure_for_a_failed_pool_and_no_crossover() {
    let exe = env!("CARGO_BIN_EXE_parallel_overhead");
    let args = ["--max-n", "10000", "--repeat", "1"];
    let out = failing(exe, &args, "process pool 1000");
    let row = line(&out, "1000  ");
    assert!(row.ends_with("failed        -"), "{row:?}");
    assert!(line(&out, "N =        1000:").ends_with("process pool    failed"));
    assert_eq!(
        line(&out, "crossover, process pool:"),
        "crossover, process pool: unknown, a run failed"
    );
}

#[test]
fn io_bound_shows_no_figure_for_failed_requests() {
    let exe = env!("CARGO_BIN_EXE_io_bound");
    let out = failing(exe, &["--requests", "3", "--delay-ms", "10"], "threads");
    failed_without_figures(line(&out, "threads:"));
    failed_without_figures(line(&out, "one thread per request"));
    assert!(has_figure(line(&out, "serial: ")), "{}", out.stdout);
}

// ---- A long or large run is announced before it starts ----

/// What a lesson wrote on stderr before its header: it is killed as soon as the header is out,
/// so a run with huge flags is never carried out.
fn stderr_before_header(exe: &str, args: &[&str]) -> String {
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lesson starts");
    let (header_tx, header) = mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    thread::spawn(move || {
        let found = stdout
            .lines()
            .map_while(Result::ok)
            .any(|l| l.starts_with("== "));
        let _ = header_tx.send(found);
    });
    let mut stderr = child.stderr.take().unwrap();
    let stderr = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let seen = header.recv_timeout(DEADLINE);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(seen, Ok(true), "{exe} {args:?} printed its header");
    stderr.join().unwrap()
}

#[test]
fn huge_flags_are_announced_before_the_run_and_defaults_are_not() {
    let huge: [(&str, &[&str]); 6] = [
        (
            env!("CARGO_BIN_EXE_io_bound"),
            &["--requests", "64", "--delay-ms", "2000"],
        ),
        (
            env!("CARGO_BIN_EXE_parallel_overhead"),
            &["--max-n", "100000000"],
        ),
        (env!("CARGO_BIN_EXE_pool_map"), &["--n", "100000000"]),
        (
            env!("CARGO_BIN_EXE_threaded_factorizer"),
            &["--count", "1000000"],
        ),
        (
            env!("CARGO_BIN_EXE_load_balancing"),
            &["--count", "1000000"],
        ),
        (
            env!("CARGO_BIN_EXE_cpu_bound_showdown"),
            &["--tasks", "16", "--limit", "20000000"],
        ),
    ];
    for (exe, args) in huge {
        // The first line; a child a lesson was starting when it was killed may add more.
        let stderr = stderr_before_header(exe, args);
        let first = stderr.lines().next().unwrap_or_default();
        let warning = format!("warning: {} needs about ", args.join(" "));
        assert!(
            first.starts_with(&warning) && first.ends_with("; continuing"),
            "{exe}: {stderr:?}"
        );
    }
    assert!(
        stderr_before_header(env!("CARGO_BIN_EXE_pool_map"), &["--n", "100000000"]).contains("GB"),
        "memory is what makes it large"
    );
    for exe in [
        env!("CARGO_BIN_EXE_io_bound"),
        env!("CARGO_BIN_EXE_parallel_overhead"),
        env!("CARGO_BIN_EXE_pool_map"),
        env!("CARGO_BIN_EXE_threaded_factorizer"),
        env!("CARGO_BIN_EXE_load_balancing"),
        env!("CARGO_BIN_EXE_cpu_bound_showdown"),
        env!("CARGO_BIN_EXE_scoped_threads"),
        env!("CARGO_BIN_EXE_hello_threads"),
    ] {
        let stderr = stderr_before_header(exe, &[]);
        assert!(
            !stderr.contains("warning"),
            "{exe} with its defaults: {stderr:?}"
        );
    }
}
