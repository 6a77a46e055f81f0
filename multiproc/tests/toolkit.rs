//! Tests of the process toolkit itself, each under a deadline.
//!
//! This file has its own `main` (`harness = false` in Cargo.toml): every child the toolkit starts
//! re-executes the current binary, and libtest's generated `main` cannot call
//! `multiproc::init` first. Run one test with `cargo test --test toolkit -- NAME`.

use multiproc::harness;
use multiproc::signal::{is_running, pid_exists};
use multiproc::{
    Exit, Pool, PoolOptions, SpawnError, SpawnOptions, Task, TaskError, init, spawn, spawn_with,
};
use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

fn double(x: u64) -> u64 {
    2 * x
}
fn check(x: u64) -> Result<u64, String> {
    match x {
        13 => panic!("thirteen is unlucky"),
        x if x % 7 == 0 && x % 2 == 1 => Err(format!("{x} is an odd multiple of 7")),
        x => Ok(x * x),
    }
}
fn nap(ms: u64) -> Result<u64, String> {
    thread::sleep(Duration::from_millis(ms));
    Ok(ms)
}
fn noop(x: u32) -> Result<u32, String> {
    Ok(x)
}
fn die(code: i32) {
    std::process::exit(code)
}

static DOUBLE: Task<u64, u64> = Task::new("double", double);
static CHECK: Task<u64, Result<u64, String>> = Task::new("check", check);
static NAP: Task<u64, Result<u64, String>> = Task::new("nap", nap);
static NOOP: Task<u32, Result<u32, String>> = Task::new("noop", noop);
static DIE: Task<i32, ()> = Task::new("die", die);
static UNREGISTERED: Task<u64, u64> = Task::new("unregistered", double);

const TESTS: &[(&str, fn())] = &[
    ("process_returns_its_result", process_returns_its_result),
    ("process_exit_codes", process_exit_codes),
    ("process_terminate_and_kill", process_terminate_and_kill),
    ("a_zombie_is_not_running", a_zombie_is_not_running),
    (
        "child_exits_before_connecting",
        child_exits_before_connecting,
    ),
    (
        "child_that_never_connects_times_out",
        child_that_never_connects_times_out,
    ),
    ("unregistered_task_is_refused", unregistered_task_is_refused),
    ("dropping_a_process_reaps_it", dropping_a_process_reaps_it),
    (
        "map_is_ordered_and_reports_errors",
        map_is_ordered_and_reports_errors,
    ),
    (
        "panicking_task_costs_only_itself",
        panicking_task_costs_only_itself,
    ),
    ("sigkill_worker_mid_map", sigkill_worker_mid_map),
    ("apply_async_callbacks", apply_async_callbacks),
    (
        "imap_unordered_yields_every_index",
        imap_unordered_yields_every_index,
    ),
    ("terminate_fails_queued_tasks", terminate_fails_queued_tasks),
    (
        "dropping_a_pool_reaps_its_workers",
        dropping_a_pool_reaps_its_workers,
    ),
    (
        "ten_thousand_tasks_keep_fds_bounded",
        ten_thousand_tasks_keep_fds_bounded,
    ),
    (
        "sigkill_parent_leaves_no_orphans",
        sigkill_parent_leaves_no_orphans,
    ),
];

const DEADLINE: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    // Fault injection for `child_exits_before_connecting` and the start-up timeout: these run
    // before `init`, like a child crashing or stalling during start-up.
    if std::env::var_os("TOOLKIT_EXIT_EARLY").is_some() {
        std::process::exit(3);
    }
    if std::env::var_os("TOOLKIT_STALL").is_some() {
        thread::sleep(Duration::from_secs(30));
    }
    init(&[&DOUBLE, &CHECK, &NAP, &NOOP, &DIE]);
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--pool-parent") {
        return pool_parent();
    }
    harness::run(TESTS, DEADLINE)
}

fn process_returns_its_result() {
    let mut child = spawn(&DOUBLE, 21).expect("spawn");
    assert_ne!(child.pid(), std::process::id());
    assert_eq!(child.join().unwrap(), Exit::Code(0));
    assert!(!child.is_alive());
    assert_eq!(child.take_result(), Some(42));
    assert!(!pid_exists(child.pid()), "joined means reaped");
}

fn process_exit_codes() {
    let mut child = spawn(&DIE, 7).unwrap();
    assert_eq!(child.join().unwrap().exitcode(), 7);
    let mut child = spawn(&CHECK, 13).unwrap();
    assert_eq!(child.join().unwrap(), Exit::Code(101));
    assert!(child.panic_message().unwrap().contains("unlucky"));
    assert_eq!(child.take_result(), None);
}

fn process_terminate_and_kill() {
    let mut child = spawn(&NAP, 30_000).unwrap();
    assert!(child.is_alive());
    assert_eq!(child.join_timeout(Duration::from_millis(50)).unwrap(), None);
    child.terminate().unwrap();
    let exit = child.join().unwrap();
    assert_eq!((exit, exit.exitcode()), (Exit::Signal(libc::SIGTERM), -15));
    let mut child = spawn(&NAP, 30_000).unwrap();
    child.kill().unwrap();
    assert_eq!(child.join().unwrap().exitcode(), -9);
    child.kill().unwrap(); // reaped: a no-op, never a signal to a reused PID
}

fn a_zombie_is_not_running() {
    let mut sleeper = Command::new("sleep")
        .arg("30")
        .spawn()
        .expect("sleep starts");
    assert!(is_running(sleeper.id()));
    let mut quick = Command::new("true").spawn().expect("true starts");
    let pid = quick.id();
    // Ended but not reaped: a zombie keeps its PID until `wait`.
    let deadline = Instant::now() + Duration::from_secs(10);
    while is_running(pid) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    assert!(
        pid_exists(pid) && !is_running(pid),
        "{pid}: a zombie exists but does not run"
    );
    quick.wait().unwrap();
    assert!(!pid_exists(pid) && !is_running(pid));
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
}

fn dropping_a_process_reaps_it() {
    let child = spawn(&NAP, 30_000).unwrap();
    let pid = child.pid();
    drop(child); // closes the lifeline: the child's watchdog ends it at once
    assert!(!pid_exists(pid), "dropped child {pid} still exists");
}

fn child_exits_before_connecting() {
    let options = SpawnOptions {
        env: vec![("TOOLKIT_EXIT_EARLY".into(), "1".into())],
        ..SpawnOptions::default()
    };
    match spawn_with(&DOUBLE, 1, &options) {
        Err(SpawnError::ExitedBeforeConnecting(exit)) => assert_eq!(exit, Exit::Code(3)),
        other => panic!("expected ExitedBeforeConnecting, got {other:?}"),
    }
    // A pool whose workers cannot start fails to build instead of hanging.
    let options = PoolOptions {
        workers: 2,
        spawn: options,
        ..PoolOptions::default()
    };
    assert!(Pool::with_options(&NAP, options).is_err());
}

fn child_that_never_connects_times_out() {
    let options = SpawnOptions {
        env: vec![("TOOLKIT_STALL".into(), "1".into())],
        start_timeout: Duration::from_millis(300),
    };
    match spawn_with(&DOUBLE, 1, &options) {
        Err(SpawnError::StartTimeout(_)) => {}
        other => panic!("expected StartTimeout, got {other:?}"),
    }
}

fn unregistered_task_is_refused() {
    let err = spawn(&UNREGISTERED, 1).unwrap_err();
    assert!(err.to_string().contains("init"), "{err}");
}

fn map_is_ordered_and_reports_errors() {
    let pool = Pool::new(&CHECK, 2).unwrap();
    let items: Vec<u64> = (0..200).filter(|&x| x != 13).collect();
    for chunksize in [1, 7, 1000] {
        let results = pool.map_chunked(items.clone(), chunksize);
        assert_eq!(results.len(), items.len());
        for (x, result) in items.iter().zip(&results) {
            if x % 7 == 0 && x % 2 == 1 {
                assert!(matches!(result, Err(TaskError::Failed(m)) if m.contains("multiple")));
            } else {
                assert_eq!(result, &Ok(x * x));
            }
        }
    }
    assert!(pool.map(Vec::new()).is_empty());
}

fn panicking_task_costs_only_itself() {
    let pool = Pool::new(&CHECK, 2).unwrap();
    let results = pool.map_chunked(0..40u64, 1);
    for (x, result) in results.iter().enumerate() {
        match x {
            13 => assert!(
                matches!(result, Err(TaskError::Panicked(m)) if m.contains("unlucky")),
                "{result:?}"
            ),
            x if x % 7 == 0 && x % 2 == 1 => assert!(result.is_err()),
            x => assert_eq!(result, &Ok((x * x) as u64)),
        }
    }
    // The panic's error is delivered before its worker has exited, so the replacement may
    // still be starting: wait for it rather than race it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while pool.replacements() < 1 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(pool.replacements(), 1);
}

fn sigkill_worker_mid_map() {
    let pool = Pool::new(&NAP, 2).unwrap();
    let victim = pool.worker_pids()[0];
    let killer = thread::spawn(move || {
        thread::sleep(Duration::from_millis(250));
        // SAFETY: plain integers; `victim` is a worker the pool has not reaped (it is busy).
        unsafe { libc::kill(victim as i32, libc::SIGKILL) };
    });
    let results = pool.map_chunked(vec![100u64; 20], 1);
    killer.join().unwrap();
    let died: Vec<_> = results.iter().filter(|r| r.is_err()).collect();
    assert_eq!(died.len(), 1, "{results:?}");
    assert!(
        matches!(died[0], Err(TaskError::WorkerDied { pid, exit: Some(Exit::Signal(9)) }) if *pid == victim),
        "{died:?}"
    );
    assert_eq!(results.iter().filter(|r| r == &&Ok(100)).count(), 19);
    assert_eq!(pool.replacements(), 1);
    assert!(!pool.worker_pids().contains(&victim));
}

fn apply_async_callbacks() {
    let pool = Pool::new(&CHECK, 2).unwrap();
    let oks = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = [2u64, 7, 13, 21, 4]
        .into_iter()
        .map(|x| {
            let (oks, errors) = (Arc::clone(&oks), Arc::clone(&errors));
            pool.apply_async(
                x,
                move |v| oks.lock().unwrap().push(v),
                move |e| errors.lock().unwrap().push(e),
            )
        })
        .collect();
    handles.iter().for_each(|h| h.wait());
    assert!(handles.iter().all(|h| h.ready()));
    let mut oks = oks.lock().unwrap().clone();
    oks.sort_unstable();
    assert_eq!(oks, vec![4, 16]);
    assert_eq!(errors.lock().unwrap().len(), 3);
    assert_eq!(pool.apply(3), Ok(9));
}

fn imap_unordered_yields_every_index() {
    let pool = Pool::new(&NAP, 2).unwrap();
    let sleeps = [40u64, 1, 30, 1, 20, 1];
    let mut seen: Vec<usize> = pool
        .imap_unordered(sleeps, 1)
        .map(|(i, r)| {
            assert_eq!(r, Ok(sleeps[i]));
            i
        })
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..sleeps.len()).collect::<Vec<_>>());
}

fn terminate_fails_queued_tasks() {
    let mut pool = Pool::new(&NAP, 2).unwrap();
    let results = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let (a, b) = (Arc::clone(&results), Arc::clone(&results));
            pool.apply_async(
                20_000,
                move |v| a.lock().unwrap().push(Ok(v)),
                move |e| b.lock().unwrap().push(Err(e)),
            )
        })
        .collect();
    thread::sleep(Duration::from_millis(100));
    pool.terminate();
    handles.iter().for_each(|h| h.wait());
    let results = results.lock().unwrap();
    assert_eq!(results.len(), 6);
    assert!(results.iter().all(|r| r == &Err(TaskError::NotRunning)));
    assert_eq!(pool.apply(1), Err(TaskError::NotRunning));
}

fn dropping_a_pool_reaps_its_workers() {
    let pool = Pool::new(&NAP, 2).unwrap();
    let pids = pool.worker_pids();
    pool.apply_async(30_000, |_| {}, |_| {});
    drop(pool);
    for pid in pids {
        // Gone from /proc entirely: not running, and reaped rather than left a zombie.
        assert!(!pid_exists(pid), "worker {pid} survived its pool");
    }
    let mut pool = Pool::new(&NAP, 2).unwrap();
    let pids = pool.worker_pids();
    let results: Vec<_> = pool.imap_unordered([5, 5, 5], 1).collect();
    pool.join();
    assert_eq!(results.len(), 3);
    assert!(pids.iter().all(|&pid| !pid_exists(pid)));
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

fn ten_thousand_tasks_keep_fds_bounded() {
    let pool = Pool::new(&NOOP, 2).unwrap();
    let _ = pool.map_chunked(0..100, 1); // warm up
    let before = open_fds();
    let results = pool.map_chunked(0..10_000u32, 1);
    assert!(results.iter().enumerate().all(|(i, r)| r == &Ok(i as u32)));
    for i in 0..200 {
        assert_eq!(pool.apply(i), Ok(i));
    }
    let after = open_fds();
    assert!(after <= before + 4, "fds grew from {before} to {after}");
}

/// The `--pool-parent` role: start a pool with long tasks, report PIDs, and block in `map`.
fn pool_parent() -> ExitCode {
    let pool = Pool::new(&NAP, 2).expect("pool");
    let pids: Vec<String> = pool.worker_pids().iter().map(u32::to_string).collect();
    println!("ready {}", pids.join(" "));
    let _ = pool.map_chunked(vec![60_000u64; 4], 1);
    ExitCode::SUCCESS
}

/// Processes whose parent is `ppid`, with their start times (to tell them from a reused PID).
fn children_of(ppid: u32) -> Vec<(u32, String)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|entry| {
        let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        // After the ")": state, ppid, ... starttime is field 22 of the whole line, 20 here.
        let start = fields.get(19)?.to_string();
        (fields.get(1)?.parse::<u32>().ok()? == ppid).then_some((pid, start))
    })
    .collect()
}

/// True if `pid` exists and is not a zombie (optionally: and started at `start`).
fn is_running_since(pid: u32, start: Option<&str>) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return false;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    fields.first() != Some(&"Z") && start.is_none_or(|s| fields.get(19) == Some(&s))
}

fn sigkill_parent_leaves_no_orphans() {
    let mut parent = Command::new(std::env::current_exe().unwrap())
        .arg("--pool-parent")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(parent.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("ready"), "{line:?}");
    let tree = children_of(parent.id());
    assert_eq!(tree.len(), 2, "expected two workers, found {tree:?}");
    parent.kill().unwrap(); // SIGKILL: no destructor, no cleanup code runs in the parent
    parent.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let left: Vec<_> = tree
            .iter()
            .filter(|(pid, start)| is_running_since(*pid, Some(start)))
            .collect();
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still running 2 s after the parent died: {left:?}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}
