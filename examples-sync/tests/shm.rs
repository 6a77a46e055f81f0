//! The cleanup guarantees of the shared-memory lessons, tested on the real binaries: after a
//! normal run, a panic, Ctrl-C, or a `SIGKILL` of the parent once its workers have started, no
//! `/dev/shm/multiproc-*` segment of that run and no process it started may remain (a killed
//! parent's segment is removed by the next run's `remove_stale`). Plus the segment's own checks.
//!
//! Ctrl-C is tested as a terminal sends it, SIGINT to the lesson's whole process group, at every
//! moment of a run: each process lesson must then end promptly killed by SIGINT (what a program
//! without a handler does; a shell shows status 130), whether or not it had a segment to unlink
//! first, with nothing left behind.
//!
//! Each lesson run carries a unique marker in its environment, which its workers inherit, so the
//! tests can find every process a run started even after its parent is gone.
//!
//! Linux only: the tests find processes in `/proc` and segments in `/dev/shm`, and the killed
//! holder needs robust mutexes; macOS has none of the three.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use examples_sync::workers::{Counter, F64Array, FAULT_VAR};
use multiproc::shm::{Shared, segments_of};
use multiproc::signal::{INT, KILL};

const MARKER: &str = "EXAMPLES_SYNC_TEST_RUN";
const DEADLINE: Duration = Duration::from_secs(60);

/// A lesson started with a marker, its stdout lines arriving on a channel.
struct Run {
    child: Child,
    marker: String,
    lines: mpsc::Receiver<String>,
}

fn start(exe: &str, args: &[&str], fault: Option<&str>) -> Run {
    let env: Vec<(&str, &str)> = fault.map(|f| (FAULT_VAR, f)).into_iter().collect();
    start_with(exe, args, &env, false)
}

/// Starts a lesson with extra environment variables; `own_group` makes it the leader of a new
/// process group, which its workers join, as a shell does for a command it runs in a terminal.
fn start_with(exe: &str, args: &[&str], env: &[(&str, &str)], own_group: bool) -> Run {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let marker = format!(
        "{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    );
    let mut command = Command::new(exe);
    command
        .args(args)
        .env(MARKER, &marker)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if own_group {
        command.process_group(0);
    }
    let mut child = command.spawn().expect("the lesson starts");
    let stdout = child.stdout.take().expect("piped");
    let (tx, lines) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    Run {
        child,
        marker,
        lines,
    }
}

impl Run {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for a stdout line containing `text` (the lesson is killed if it never comes).
    fn wait_for_line(&mut self, text: &str) -> String {
        let deadline = Instant::now() + DEADLINE;
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if line.contains(text) {
                return line;
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!("the lesson never printed {text:?}");
    }

    /// `pid` is our unreaped child, so the number cannot have been given to another process.
    fn signal(&self, signal: i32) {
        multiproc::signal::send(self.pid(), signal).expect("the lesson is alive");
    }

    /// What Ctrl-C in a terminal does: SIGINT to the whole foreground process group, the lesson
    /// and every worker it started. The lesson (started with `own_group`) leads the group, and is
    /// our unreaped child, so the group still exists.
    fn ctrl_c(&self) {
        let group = libc::pid_t::try_from(self.pid()).expect("a pid fits");
        // SAFETY: `kill` takes plain integers and has no memory-safety preconditions.
        let sent = unsafe { libc::kill(-group, libc::SIGINT) };
        assert_eq!(sent, 0, "{}", std::io::Error::last_os_error());
    }

    /// Waits for the lesson to end (killing it after the deadline); returns its exit status
    /// and stderr.
    fn finish(self) -> (std::process::ExitStatus, String, String) {
        let (status, stdout, stderr, _) = self.finish_timed();
        (status, stdout, stderr)
    }

    /// [`Run::finish`], also saying how long the lesson took to end from now.
    fn finish_timed(mut self) -> (std::process::ExitStatus, String, String, Duration) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("the lesson still ran after {DEADLINE:?}");
            }
            thread::sleep(Duration::from_millis(10));
        };
        let took = start.elapsed();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
        }
        let stdout: Vec<String> = self.lines.try_iter().collect();
        assert_no_process_left(&self.marker);
        (status, stdout.join("\n"), stderr, took)
    }
}

/// Live processes (zombies excluded: they have no environment left) carrying `marker`.
fn marked(marker: &str) -> Vec<u32> {
    let needle = format!("{MARKER}={marker}");
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|b| *b == 0).any(|v| v == needle.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

/// Workers of a killed parent exit on their own within milliseconds (their lifeline closes);
/// three seconds of grace, then any survivor fails the test.
fn assert_no_process_left(marker: &str) {
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut left = marked(marker);
    while !left.is_empty() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
        left = marked(marker);
    }
    for &pid in &left {
        // Best effort, so a failing test leaves nothing running either.
        let _ = multiproc::signal::send(pid, KILL);
    }
    assert!(left.is_empty(), "processes outlived the lesson: {left:?}");
}

const RACE: &str = env!("CARGO_BIN_EXE_shared_value_race");
const LOCK: &str = env!("CARGO_BIN_EXE_shared_value_lock");
const ARRAY: &str = env!("CARGO_BIN_EXE_shared_array");
const EVENT: &str = env!("CARGO_BIN_EXE_process_event");
const SMALL: &[&str] = &["--workers", "3", "--increments", "20000"];

#[test]
fn a_normal_run_leaves_nothing() {
    for (exe, args) in [
        (RACE, SMALL),
        (LOCK, SMALL),
        (ARRAY, &["--workers", "3", "--len", "10000"][..]),
        (EVENT, &["--workers", "3"][..]),
    ] {
        let run = start(exe, args, None);
        let pid = run.pid();
        let (status, stdout, stderr) = run.finish();
        assert!(status.success(), "{exe}: {status}\n{stdout}\n{stderr}");
        assert_eq!(segments_of(pid), Vec::<String>::new(), "{exe}");
    }
}

#[test]
fn a_panicking_parent_leaves_nothing() {
    let run = start(LOCK, SMALL, Some("panic"));
    let pid = run.pid();
    let (status, _, stderr) = run.finish();
    assert_eq!(status.code(), Some(101), "{stderr}");
    assert!(stderr.contains("panics before unlinking"), "{stderr}");
    assert_eq!(segments_of(pid), Vec::<String>::new());
}

#[test]
fn ctrl_c_before_the_unlink_removes_the_segment() {
    let mut run = start(ARRAY, &["--workers", "3", "--len", "1000"], Some("pause"));
    let pid = run.pid();
    run.wait_for_line("fault: pausing before unlinking");
    assert_eq!(segments_of(pid).len(), 1, "the segment exists while paused");
    run.signal(INT);
    let (status, _, stderr) = run.finish();
    // It cleaned up, said so, then ended as SIGINT's default action would have.
    assert_eq!(status.signal(), Some(INT), "{status}: {stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(stderr.contains("segments left in /dev/shm: 0"), "{stderr}");
    assert_eq!(segments_of(pid), Vec::<String>::new());
}

#[test]
fn ctrl_c_while_counting_ends_the_run() {
    // After the unlink there is nothing to clean up, and Ctrl-C kills the parent at once; its
    // workers follow through their lifeline.
    let mut run = start(LOCK, &["--workers", "2", "--increments", "10000000"], None);
    let pid = run.pid();
    run.wait_for_line("expected total");
    thread::sleep(Duration::from_millis(300));
    run.signal(INT);
    let (status, _, _) = run.finish();
    assert_eq!(status.signal(), Some(INT), "{status}");
    assert_eq!(segments_of(pid), Vec::<String>::new());
}

#[test]
fn a_killed_parent_leaves_a_segment_that_the_next_run_removes() {
    let mut run = start(RACE, SMALL, Some("pause"));
    let pid = run.pid();
    run.wait_for_line("fault: pausing before unlinking");
    run.signal(KILL);
    let (status, _, _) = run.finish(); // also checks that the workers died with their parent
    assert_eq!(status.code(), None, "killed by a signal");
    // SIGKILL runs no cleanup: this is the one case the early unlink cannot cover.
    assert_eq!(
        segments_of(pid).len(),
        1,
        "the killed parent's segment is still there"
    );
    let next = start(RACE, &["--workers", "1", "--increments", "10"], None);
    let (status, stdout, stderr) = next.finish();
    assert!(status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        segments_of(pid),
        Vec::<String>::new(),
        "remove_stale took it"
    );
}

#[test]
fn a_killed_worker_does_not_leave_the_others_waiting() {
    let run = start(
        LOCK,
        &["--workers", "3", "--increments", "20000", "--kill-holder"],
        None,
    );
    let (status, stdout, stderr) = run.finish();
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("told the holder died (EOWNERDEAD) ... ok"),
        "{stdout}"
    );
    assert!(stdout.contains("total 60000, lock recovered from a dead holder 1 time(s)"));
}

#[test]
fn a_worker_refuses_a_segment_of_another_type() {
    let counter = Shared::<Counter>::create("test", 0, |_| Ok(())).expect("create");
    let err = Shared::<F64Array>::open(counter.name()).expect_err("wrong type");
    assert!(err.to_string().contains("another type"), "{err}");
    assert!(Shared::<Counter>::open(counter.name()).is_ok());
    let name = counter.name().to_string();
    drop(counter);
    assert!(
        Shared::<Counter>::open(&name).is_err(),
        "dropping the owner unlinks"
    );
}

#[test]
fn the_process_mutex_guards_its_value() {
    let shared = Counter::create().expect("create");
    for _ in 0..3 {
        let mut n = shared.locked.lock().expect("lock");
        assert!(!n.recovered());
        *n += 1;
    }
    assert_eq!(*shared.locked.lock().expect("lock"), 3);
}

/// When a Ctrl-C comes, for one run each.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// Right after the lesson started: often before its `main` has done anything.
    AtStart,
    /// A fixed time after the lesson's first narrated line: wherever the run is by then.
    After(Duration),
    /// While the workers start: each waits before connecting back (the toolkit's start-delay
    /// hook), so the parent is inside `spawn`, its segment created and named.
    WorkersStarting,
    /// Every worker has mapped the segment, the parent has not unlinked it (fault hook `pause`).
    BeforeUnlink,
    /// The workers have been released and run (fault hook `pause-running`).
    WorkersRunning,
}

const MOMENTS: [Moment; 7] = [
    Moment::AtStart,
    Moment::After(Duration::ZERO),
    Moment::After(Duration::from_millis(20)),
    Moment::After(Duration::from_millis(60)),
    Moment::WorkersStarting,
    Moment::BeforeUnlink,
    Moment::WorkersRunning,
];

/// How long a lesson may take to end after Ctrl-C.
const PROMPTLY: Duration = Duration::from_secs(5);

/// Ctrl-C, as a terminal sends it, at every [`Moment`] of a run of `exe`, whose first narrated
/// line contains `first_line`. Every time, the lesson must end promptly as SIGINT's default action
/// ends a process (a shell shows status 130), leaving no segment and no process behind.
fn ctrl_c_ends_the_run(exe: &str, args: &[&str], first_line: &str) {
    for moment in MOMENTS {
        let start_delay = multiproc::child::START_DELAY_VAR;
        let env: &[(&str, &str)] = match moment {
            Moment::WorkersStarting => &[(start_delay, "400")],
            Moment::BeforeUnlink => &[(FAULT_VAR, "pause")],
            Moment::WorkersRunning => &[(FAULT_VAR, "pause-running")],
            Moment::AtStart | Moment::After(_) => &[],
        };
        let mut run = start_with(exe, args, env, true);
        let pid = run.pid();
        match moment {
            Moment::AtStart => {}
            Moment::After(delay) => {
                run.wait_for_line(first_line);
                thread::sleep(delay);
            }
            Moment::WorkersStarting => {
                run.wait_for_line(first_line);
                thread::sleep(Duration::from_millis(150));
            }
            Moment::BeforeUnlink => {
                run.wait_for_line("fault: pausing before unlinking");
            }
            Moment::WorkersRunning => {
                run.wait_for_line("fault: workers released");
            }
        }
        run.ctrl_c();
        let (status, stdout, stderr, took) = run.finish_timed();
        let name = exe.rsplit('/').next().unwrap_or(exe);
        assert_eq!(
            status.signal(),
            Some(libc::SIGINT),
            "{name}, Ctrl-C {moment:?}: {status}\n{stdout}\n{stderr}"
        );
        assert!(took < PROMPTLY, "{name}, Ctrl-C {moment:?}: took {took:?}");
        assert_eq!(
            segments_of(pid),
            Vec::<String>::new(),
            "{name}, Ctrl-C {moment:?}"
        );
    }
}

#[test]
fn ctrl_c_ends_shared_value_race_at_any_moment() {
    let args = ["--workers", "2", "--increments", "10000000"];
    ctrl_c_ends_the_run(RACE, &args, "expected total");
}

#[test]
fn ctrl_c_ends_shared_value_lock_at_any_moment() {
    let args = ["--workers", "2", "--increments", "10000000"];
    ctrl_c_ends_the_run(LOCK, &args, "expected total");
}

#[test]
fn ctrl_c_ends_shared_array_at_any_moment() {
    let args = ["--workers", "2", "--len", "4000000"];
    ctrl_c_ends_the_run(ARRAY, &args, "MB) holding");
}

#[test]
fn ctrl_c_ends_process_event_at_any_moment() {
    ctrl_c_ends_the_run(EVENT, &["--workers", "3"], "-- Event across processes");
}
