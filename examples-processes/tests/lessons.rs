//! Runs every lesson binary with small inputs, under a deadline, and checks what it proves.

use examples_processes::report::DIE_VAR;
use lesson::testing::{Outcome, failed_without_figures, has_figure, line, run};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

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

/// A fresh directory with a few files of known content, removed when the guard is dropped.
fn scratch_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    std::fs::write(dir.path().join("abc.txt"), b"abc").unwrap();
    std::fs::write(dir.path().join("sub/big.bin"), vec![7u8; 300_000]).unwrap();
    dir
}

#[test]
fn process_pool_hashes_every_file_in_order_and_unordered() {
    let dir = scratch_dir();
    let out = run(
        env!("CARGO_BIN_EXE_process_pool"),
        &[
            "--dir",
            dir.path().to_str().unwrap(),
            "--workers",
            "2",
            "--chunksize",
            "1",
        ],
        DEADLINE,
    );
    out.assert_verified();
    assert!(out.stdout.contains("3 files under"), "{}", out.stdout);
    // SHA-256("abc") from FIPS 180-2, first 16 hex digits.
    assert!(
        out.stdout.contains("abc.txt: ba7816bf8f01cfea..."),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("map, chunksize 1             3      0"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("imap_unordered, chunksize 1  3      0"),
        "{}",
        out.stdout
    );
}

#[test]
fn process_pool_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_process_pool");
    run(exe, &["--dir", "/definitely/not/here"], DEADLINE).assert_usage_error("--dir");
    run(exe, &["--workers", "0"], DEADLINE).assert_usage_error("--workers");
    run(exe, &["--chunksize", "many"], DEADLINE).assert_usage_error("--chunksize");
}

#[test]
fn apply_async_routes_results_to_the_callback_and_the_missing_file_to_the_error_callback() {
    let dir = scratch_dir();
    let out = run(
        env!("CARGO_BIN_EXE_apply_async"),
        &["--dir", dir.path().to_str().unwrap(), "--workers", "2"],
        DEADLINE,
    );
    out.assert_verified();
    assert!(
        out.stdout.contains("4 tasks in")
            && out
                .stdout
                .contains("the callback got 3 hashes, the error callback 1 error(s)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("error callback got:") && out.stdout.contains("no-such-file.txt"));
}

#[test]
fn apply_async_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_apply_async");
    run(exe, &["--dir", "/definitely/not/here"], DEADLINE).assert_usage_error("--dir");
    run(exe, &["--workers", "65"], DEADLINE).assert_usage_error("--workers");
}

#[test]
fn crash_resilience_loses_only_the_killed_and_aborted_tasks() {
    let out = run(
        env!("CARGO_BIN_EXE_crash_resilience"),
        &["--tasks", "12", "--task-ms", "20"],
        DEADLINE,
    );
    out.assert_verified();
    assert!(
        out.stdout.contains("killed by SIGKILL (9)")
            && out.stdout.contains("killed by SIGABRT (6)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("12 tasks in")
            && out
                .stdout
                .contains("10 completed, 1 lost to SIGKILL, 1 lost to abort"),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout.matches(" failed: worker ").count(),
        2,
        "{}",
        out.stdout
    );
}

#[test]
fn crash_resilience_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_crash_resilience");
    run(exe, &["--tasks", "2"], DEADLINE).assert_usage_error("--tasks");
    run(exe, &["--workers", "0"], DEADLINE).assert_usage_error("--workers");
}

#[test]
fn mp_factorizer_matches_serial_with_one_chunk_per_process() {
    let out = run(
        env!("CARGO_BIN_EXE_mp_factorizer"),
        &["--count", "300", "--procs", "3"],
        DEADLINE,
    );
    out.assert_verified();
    assert_eq!(
        out.stdout.matches("factors 100 numbers").count(),
        3,
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("static chunks, results queue  3"),
        "{}",
        out.stdout
    );
}

#[test]
fn mp_factorizer_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_mp_factorizer");
    run(exe, &["--procs", "0"], DEADLINE).assert_usage_error("--procs");
    run(exe, &["--count", "ten"], DEADLINE).assert_usage_error("--count");
}

#[test]
fn join_deadlock_shows_the_child_stuck_until_the_parent_drains() {
    let out = run(
        env!("CARGO_BIN_EXE_join_deadlock"),
        &["--n", "100000"],
        DEADLINE,
    );
    out.assert_verified();
    assert!(
        out.stdout.contains("had exited (exit code 0)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("still alive after 1s, blocked in send"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("after draining 99998 results: child exit code 0"),
        "{}",
        out.stdout
    );
}

#[test]
fn join_deadlock_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_join_deadlock");
    run(exe, &["--n", "5"], DEADLINE).assert_usage_error("--n");
    run(exe, &["--demo-n", "200000"], DEADLINE).assert_usage_error("--demo-n");
}

#[test]
fn pool_factorizer_matches_serial_with_both_chunk_sizes() {
    let out = run(
        env!("CARGO_BIN_EXE_pool_factorizer"),
        &["--count", "300", "--procs", "3", "--chunksize", "7"],
        DEADLINE,
    );
    out.assert_verified();
    assert!(
        out.stdout
            .contains("static: one chunk per worker  100         3"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("dynamic: small chunks         7           43"),
        "{}",
        out.stdout
    );
}

#[test]
fn pool_factorizer_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_pool_factorizer");
    run(exe, &["--chunksize", "0"], DEADLINE).assert_usage_error("--chunksize");
    run(exe, &["--procs", "65"], DEADLINE).assert_usage_error("--procs");
}

#[test]
fn bubble_sort_child_sorts_the_tutorial_array() {
    let out = run(
        env!("CARGO_BIN_EXE_bubble_sort_child"),
        &["--len", "300", "--seed", "9"],
        DEADLINE,
    );
    out.assert_verified();
    assert!(
        out.stdout
            .contains("Array sorted: [1, 2, 4, 4, 5, 6, 8, 9]"),
        "{}",
        out.stdout
    );
    let only_tutorial = run(
        env!("CARGO_BIN_EXE_bubble_sort_child"),
        &["--len", "0"],
        DEADLINE,
    );
    only_tutorial.assert_verified();
    assert!(!only_tutorial.stdout.contains("seeded random"));
}

#[test]
fn bubble_sort_child_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_bubble_sort_child");
    run(exe, &["--len", "1000000"], DEADLINE).assert_usage_error("--len");
    run(exe, &["--seed", "-3"], DEADLINE).assert_usage_error("-3");
}

#[test]
fn main_guard_code_above_init_runs_in_every_process() {
    let out = run(
        env!("CARGO_BIN_EXE_main_guard"),
        &["--children", "3"],
        DEADLINE,
    );
    out.assert_verified();
    // Once for the parent, once per child: the code above `init` is not guarded.
    assert_eq!(
        out.stdout.matches("main() entered by PID").count(),
        4,
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("spawn before init was refused"));
}

#[test]
fn main_guard_rejects_bad_flags() {
    run(
        env!("CARGO_BIN_EXE_main_guard"),
        &["--children", "99"],
        DEADLINE,
    )
    .assert_usage_error("--children");
}

#[test]
fn serialization_round_trips_serde_types_and_runs_a_task_by_name() {
    let out = run(env!("CARGO_BIN_EXE_serialization"), &[], DEADLINE);
    out.assert_verified();
    assert!(out.stdout.contains("error[E0277]") && out.stdout.contains("error[E0308]"));
    assert!(
        out.stdout
            .contains("task \"double\" (a closure without captures) of 10: 20"),
        "{}",
        out.stdout
    );
}

#[test]
fn serialization_rejects_bad_flags() {
    run(
        env!("CARGO_BIN_EXE_serialization"),
        &["--mib", "2"],
        DEADLINE,
    )
    .assert_usage_error("--mib");
}

#[test]
fn large_data_sums_the_array_three_ways_and_leaves_no_file() {
    let before = temp_files("large_data-");
    let out = run(env!("CARGO_BIN_EXE_large_data"), &["--mib", "2"], DEADLINE);
    out.assert_verified();
    assert!(
        out.stdout.contains("the array itself (2 MiB)") && out.stdout.contains("2097152 + framing"),
        "{}",
        out.stdout
    );
    assert_eq!(
        temp_files("large_data-"),
        before,
        "the lesson's temporary file was removed"
    );
}

#[test]
fn large_data_rejects_bad_flags() {
    run(env!("CARGO_BIN_EXE_large_data"), &["--mib", "0"], DEADLINE).assert_usage_error("--mib");
    run(
        env!("CARGO_BIN_EXE_large_data"),
        &["--mib", "257"],
        DEADLINE,
    )
    .assert_usage_error("--mib");
}

/// The names in the temporary directory that start with `prefix`.
fn temp_files(prefix: &str) -> Vec<std::ffi::OsString> {
    let mut names: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .filter(|name| name.to_string_lossy().starts_with(prefix))
        .collect();
    names.sort();
    names
}

// ---- A failed run prints no figure (EXAMPLES_TEST_DIE names the task whose workers die) ----

/// Runs a lesson whose workers die as they start `task`, under the deadline: it must fail. Its
/// temporary files go to a directory of its own, so a test that counts them elsewhere is not
/// disturbed.
fn dying(exe: &str, args: &[&str], task: &str) -> Outcome {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(exe)
        .args(args)
        .env(DIE_VAR, task)
        .env("TMPDIR", tmp.path())
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
        "a failed run exits 1:\n{}{}",
        out.stdout,
        out.stderr
    );
    assert!(!out.stdout.contains("checks passed"), "{}", out.stdout);
    out
}

#[test]
fn mp_factorizer_shows_no_speedup_when_a_worker_dies() {
    let exe = env!("CARGO_BIN_EXE_mp_factorizer");
    let out = dying(exe, &["--count", "300", "--procs", "3"], "worker");
    failed_without_figures(line(&out, "static chunks, results queue"));
    assert!(line(&out, "static chunks: failed: ").contains("a worker died"));
    assert!(
        out.stdout
            .contains("static chunks: same factors as serial ... FAILED")
    );
    assert!(has_figure(line(&out, "serial ")), "{}", out.stdout);
}

#[test]
fn pool_factorizer_shows_no_speedup_when_its_workers_die() {
    let exe = env!("CARGO_BIN_EXE_pool_factorizer");
    let args = ["--count", "60", "--procs", "2", "--chunksize", "20"];
    let out = dying(exe, &args, "factor_one");
    for variant in ["static: one chunk per worker", "dynamic: small chunks"] {
        failed_without_figures(line(&out, &format!("{variant}:")));
        failed_without_figures(line(&out, &format!("{variant} ")));
    }
    assert!(
        out.stdout.contains("died running the task"),
        "{}",
        out.stdout
    );
}

#[test]
fn process_pool_shows_no_time_when_its_workers_die() {
    let dir = scratch_dir();
    let exe = env!("CARGO_BIN_EXE_process_pool");
    let args = ["--dir", dir.path().to_str().unwrap(), "--workers", "2"];
    let out = dying(exe, &args, "hash_file");
    failed_without_figures(line(&out, "map, chunksize"));
    failed_without_figures(line(&out, "imap_unordered, chunksize 1 "));
    assert!(has_figure(line(&out, "serial, in the parent")));
}

#[test]
fn apply_async_shows_no_time_when_its_workers_die() {
    let dir = scratch_dir();
    let exe = env!("CARGO_BIN_EXE_apply_async");
    let args = ["--dir", dir.path().to_str().unwrap(), "--workers", "2"];
    let out = dying(exe, &args, "hash_file");
    failed_without_figures(line(&out, "4 tasks"));
    assert!(
        out.stdout.contains("died running the task"),
        "{}",
        out.stdout
    );
}

#[test]
fn crash_resilience_shows_no_time_when_more_workers_die_than_planned() {
    let exe = env!("CARGO_BIN_EXE_crash_resilience");
    let out = dying(exe, &["--tasks", "8", "--task-ms", "1"], "slow_square");
    failed_without_figures(line(&out, "8 tasks"));
    assert!(
        out.stdout
            .contains("two replacement workers were started ... FAILED")
    );
}

#[test]
fn large_data_shows_no_time_for_children_that_died() {
    let exe = env!("CARGO_BIN_EXE_large_data");
    let out = dying(exe, &["--mib", "1"], "checksum");
    for row in [
        "the array itself",
        "the file's path",
        "a shared-memory segment",
    ] {
        failed_without_figures(line(&out, row));
    }
    assert!(has_figure(line(&out, "nothing: checksum in the parent")));
    assert!(out.stdout.contains("killed by SIGKILL"), "{}", out.stdout);
}

#[test]
fn bubble_sort_child_shows_no_time_for_a_child_that_died() {
    let exe = env!("CARGO_BIN_EXE_bubble_sort_child");
    let out = dying(exe, &["--len", "300"], "sort_in_child");
    failed_without_figures(line(&out, "the tutorial's array "));
    failed_without_figures(line(&out, "seeded random numbers "));
}

#[test]
fn join_deadlock_reports_a_dead_child_and_passes_no_check() {
    let exe = env!("CARGO_BIN_EXE_join_deadlock");
    let out = dying(exe, &["--n", "100000"], "factor_below");
    assert!(!out.stdout.contains("... ok"), "{}", out.stdout);
    assert!(
        out.stderr.contains("never finished computing"),
        "{}",
        out.stderr
    );
}

// ---- A long or large run is announced before it starts ----

/// What a lesson wrote on stderr before its header: it is killed as soon as the header is out,
/// so a run with huge flags is never carried out (and whatever temporary file it may have made
/// by then goes with its own temporary directory).
fn stderr_before_header(exe: &str, args: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(exe)
        .args(args)
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lesson starts");
    let (header_tx, header) = mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    thread::spawn(move || {
        let found = (stdout.lines().map_while(Result::ok)).any(|l| l.starts_with("== "));
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
    let huge: [(&str, &[&str]); 4] = [
        (
            env!("CARGO_BIN_EXE_crash_resilience"),
            &["--tasks", "10000", "--task-ms", "5000", "--workers", "1"],
        ),
        (env!("CARGO_BIN_EXE_mp_factorizer"), &["--count", "1000000"]),
        (
            env!("CARGO_BIN_EXE_pool_factorizer"),
            &["--count", "1000000", "--chunksize", "1"],
        ),
        (env!("CARGO_BIN_EXE_large_data"), &["--mib", "256"]),
    ];
    for (exe, args) in huge {
        // The first line; a worker the pool was starting when the lesson was killed may add more.
        let stderr = stderr_before_header(exe, args);
        let first = stderr.lines().next().unwrap_or_default();
        let warning = format!("warning: {} needs about ", args.join(" "));
        assert!(
            first.starts_with(&warning) && first.ends_with("; continuing"),
            "{exe}: {stderr:?}"
        );
    }
    let hours = stderr_before_header(huge[0].0, huge[0].1);
    assert!(hours.contains(" h; continuing"), "{hours:?}");
    for exe in [
        env!("CARGO_BIN_EXE_crash_resilience"),
        env!("CARGO_BIN_EXE_mp_factorizer"),
        env!("CARGO_BIN_EXE_pool_factorizer"),
        env!("CARGO_BIN_EXE_large_data"),
        env!("CARGO_BIN_EXE_join_deadlock"),
        env!("CARGO_BIN_EXE_bubble_sort_child"),
    ] {
        let stderr = stderr_before_header(exe, &[]);
        assert!(
            !stderr.contains("warning"),
            "{exe} with its defaults: {stderr:?}"
        );
    }
}

#[test]
fn large_data_removes_its_file_on_ctrl_c() {
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_large_data"))
        .args(["--mib", "64"])
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the lesson starts");
    // The narration's first line comes once the file has been written.
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let written = (stdout.lines().map_while(Result::ok)).any(|l| l.contains("each child starts"));
    assert!(written, "the lesson wrote its file");
    multiproc::signal::send(child.id(), multiproc::signal::INT).unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < DEADLINE, "Ctrl-C ended the lesson");
        thread::sleep(Duration::from_millis(10));
    };
    assert!(
        status.signal() == Some(multiproc::signal::INT) || status.code() == Some(130),
        "interrupted, not {status}"
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "the temporary file is gone: {left:?}");
}
