//! A run that fails says so and shows nothing else: when a lesson's server or child dies mid-run,
//! it prints one `error:` line on stderr (no panic), no figure and no passed check, exits 1, and
//! leaves no process behind. And a run whose flags make it take many minutes says so on stderr
//! before it starts, while a default run does not.
//!
//! The deaths are the tests' own doing, through each child's test hook (an environment variable
//! the child reads: it kills itself with `SIGKILL` at a chosen point), or, for `empty_is_not_done`,
//! a `SIGKILL` from here.

use examples_ipc::hook::CHILD_DIES_AFTER_VAR;
use multiproc::manager::DIES_AFTER_VAR as SERVER_DIES_AFTER_VAR;
use multiproc::queue::CONSUMER_DIES_AFTER_VAR;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(60);

/// Marks every process a run starts, so any left behind can be found (children inherit it).
const TAG_VAR: &str = "EXAMPLES_IPC_FAILURE_TEST";

fn exe(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_BIN_EXE_pipe"))
        .parent()
        .unwrap();
    dir.join(name).to_str().unwrap().to_string()
}

/// What one run printed and how it ended.
#[derive(Debug)]
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// A lesson started in its own process group, with `env` added and a tag of its own.
fn start(lesson: &str, args: &[&str], env: &[(&str, &str)]) -> (Child, String) {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let tag = format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let child = Command::new(exe(lesson))
        .args(args)
        .envs(env.iter().copied())
        .env(TAG_VAR, &tag)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lesson starts");
    (child, tag)
}

/// Reads a pipe to its end on a thread of its own.
fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

/// Waits for a started lesson to end (killing its group at the deadline), then checks that no
/// process it started outlives it.
fn finish(mut child: Child, tag: &str, stdout: thread::JoinHandle<String>) -> Ran {
    let stderr = drain(child.stderr.take().unwrap());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            kill_group(&child);
            let _ = child.wait();
            panic!("still running after {DEADLINE:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    let ran = Ran {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    assert_none_left(tag, &ran);
    ran
}

fn run(lesson: &str, args: &[&str], env: &[(&str, &str)]) -> Ran {
    let (mut child, tag) = start(lesson, args, env);
    let stdout = drain(child.stdout.take().unwrap());
    finish(child, &tag, stdout)
}

fn kill_group(child: &Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill")
        .args(["-KILL", "--", &group])
        .stderr(Stdio::null())
        .status();
}

/// Processes of this user whose environment carries `tag`, other than zombies.
fn tagged(tag: &str) -> Vec<u32> {
    let needle = format!("{TAG_VAR}={tag}\0");
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = stat
                .rsplit_once(") ")
                .is_some_and(|(_, s)| s.starts_with('Z'));
            !zombie
                && environ
                    .windows(needle.len())
                    .any(|w| w == needle.as_bytes())
        })
        .collect()
}

fn assert_none_left(tag: &str, ran: &Ran) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while !tagged(tag).is_empty() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(tagged(tag), Vec::<u32>::new(), "left behind by {ran:#?}");
}

/// Exit 1, one `error:` line and nothing else on stderr, no panic, no passed check, none of
/// `figures` on stdout.
fn assert_failed_quietly(ran: &Ran, mentions: &str, figures: &[&str]) {
    assert_eq!(ran.code, Some(1), "{ran:#?}");
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {ran:#?}");
    assert!(lines[0].starts_with("error: "), "{ran:#?}");
    assert!(lines[0].contains(mentions), "{mentions:?}: {ran:#?}");
    assert!(!ran.stderr.contains("panicked"), "{ran:#?}");
    assert_no_pass_and_no_figure(ran, figures);
}

fn assert_no_pass_and_no_figure(ran: &Ran, figures: &[&str]) {
    assert!(!ran.stdout.contains("... ok"), "a passed check: {ran:#?}");
    assert!(!ran.stdout.contains("checks passed"), "{ran:#?}");
    for figure in figures {
        assert!(!ran.stdout.contains(figure), "printed {figure:?}: {ran:#?}");
    }
}

/// The manager lessons with small flags.
const MANAGER_LESSONS: [(&str, &[&str]); 4] = [
    ("manager_dict", &["--workers", "3"]),
    ("manager_race", &["--workers", "3", "--increments", "500"]),
    ("manager_batching", &["--workers", "3", "--ops", "3000"]),
    ("manager_authkey", &[]),
];

#[test]
fn a_manager_server_dead_at_start_is_one_line_and_exit_1() {
    for (lesson, args) in MANAGER_LESSONS {
        let ran = run(lesson, args, &[(SERVER_DIES_AFTER_VAR, "0")]);
        assert_failed_quietly(&ran, "the manager could not start", &["PID="]);
        assert!(ran.stderr.contains("SIGKILL"), "{lesson}: {ran:#?}");
    }
}

#[test]
fn a_manager_server_dead_mid_run_fails_the_run_without_figures() {
    // After how many operations the server dies: mid-phase for each lesson (manager_batching
    // twice: in its round-trip phase, of 9,000 calls, and in its batched phase after it).
    let deaths = [
        ("manager_dict", "2"),
        ("manager_race", "300"),
        ("manager_batching", "1000"),
        ("manager_batching", "11000"),
        ("manager_authkey", "1"),
    ];
    for (lesson, after) in deaths {
        let args = MANAGER_LESSONS
            .iter()
            .find(|(l, _)| *l == lesson)
            .unwrap()
            .1;
        let ran = run(lesson, args, &[(SERVER_DIES_AFTER_VAR, after)]);
        assert_failed_quietly(
            &ran,
            "died mid-run",
            &[
                "Dict:",
                "ops/s",
                "done in",
                "arrived",
                "refused the connection",
            ],
        );
        assert!(ran.stderr.contains("SIGKILL"), "{lesson}: {ran:#?}");
    }
}

#[test]
fn a_pipe_child_killed_mid_run_fails_the_run_without_figures() {
    let ran = run(
        "pipe",
        &["--requests", "1000"],
        &[(CHILD_DIES_AFTER_VAR, "500")],
    );
    assert_failed_quietly(
        &ran,
        "at request 500 of 1000",
        &["answered", "round trips/s"],
    );
    assert!(ran.stderr.contains("killed by SIGKILL"), "{ran:#?}");
    // Dead at the goodbye, after every answer: still a failed run.
    let ran = run(
        "pipe",
        &["--requests", "1000"],
        &[(CHILD_DIES_AFTER_VAR, "1000")],
    );
    assert_failed_quietly(&ran, "the goodbye", &["answered", "round trips/s"]);
}

#[test]
fn a_consumer_dead_mid_run_fails_the_queue_lessons_without_figures() {
    let ran = run(
        "producer_consumer",
        &["--items", "20000", "--consumers", "2"],
        &[(CONSUMER_DIES_AFTER_VAR, "0:2000")],
    );
    assert_failed_quietly(&ran, "consumer 0", &["items/s", "results in"]);
    // killed_consumer kills consumer 0 on purpose; a survivor's death is a failure. Consumer 1
    // dies early (1000 items): the share a consumer gets varies from run to run, but each is dealt
    // a full credit (4096 items) at once, so the hook always fires.
    let ran = run(
        "killed_consumer",
        &["--items", "50000", "--kill-after", "10000"],
        &[(CONSUMER_DIES_AFTER_VAR, "1:1000")],
    );
    assert_failed_quietly(&ran, "consumer 1", &["results in", "have no result"]);
}

#[test]
fn a_throughput_sender_dead_mid_run_gets_no_row_and_fails() {
    let ran = run(
        "channel_throughput",
        &["--messages", "5000", "--batch", "64"],
        &[(CHILD_DIES_AFTER_VAR, "1000")],
    );
    assert_eq!(ran.code, Some(1), "{ran:#?}");
    assert!(!ran.stderr.contains("panicked"), "{ran:#?}");
    let failed = "ipc-channel with 1 per message: the sender hung up after 1000 of 5000 numbers";
    assert!(ran.stdout.contains(failed), "{ran:#?}");
    assert!(
        ran.stdout
            .lines()
            .any(|l| l.contains("ipc-channel") && l.contains("FAILED")),
        "{ran:#?}"
    );
    assert!(
        !ran.stdout
            .lines()
            .any(|l| l.starts_with("ipc-channel        processes  1 u64")),
        "a row for the failed run: {ran:#?}"
    );
}

#[test]
fn a_consumer_killed_while_empty_is_not_done_waits_fails_the_run() {
    let args = ["--items", "40", "--work-ms", "100", "--consumers", "2"];
    let (mut child, tag) = start("empty_is_not_done", &args, &[]);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("items dealt to") {
        assert_ne!(stdout.read_line(&mut seen).unwrap(), 0, "{seen}");
    }
    // Each consumer has two seconds of work ahead: kill one of them now.
    let consumer = children(child.id()).into_iter().next().expect("a consumer");
    multiproc::signal::send(consumer, multiproc::signal::KILL).unwrap();
    let rest = drain(stdout);
    let ran = finish(child, &tag, rest);
    assert_failed_quietly(&ran, "1 of 2 consumers", &["took", "stopped at once"]);
}

/// The direct children of `pid`.
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|s| {
            s.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// Flags at the top of their ranges, which make runs of many minutes.
const HUGE: [(&str, &[&str]); 4] = [
    (
        "manager_batching",
        &["--workers", "32", "--ops", "10000000"],
    ),
    (
        "manager_race",
        &["--workers", "32", "--increments", "1000000"],
    ),
    ("channel_throughput", &["--messages", "100000000"]),
    (
        "empty_is_not_done",
        &["--items", "200", "--work-ms", "1000", "--consumers", "1"],
    ),
];

#[test]
fn a_long_run_says_so_before_it_starts() {
    for (lesson, args) in HUGE {
        let (mut child, tag) = start(lesson, args, &[]);
        let stdout = drain(child.stdout.take().unwrap());
        let stderr = child.stderr.take().unwrap();
        let (line_tx, line) = mpsc::channel();
        thread::spawn(move || {
            let mut first = String::new();
            let _ = BufReader::new(stderr).read_line(&mut first);
            let _ = line_tx.send(first);
        });
        let first = line.recv_timeout(Duration::from_secs(30));
        // Seen (or not): the run is not wanted either way.
        kill_group(&child);
        let _ = child.wait();
        let _ = stdout.join();
        assert_none_left(
            &tag,
            &Ran {
                code: None,
                stdout: String::new(),
                stderr: String::new(),
            },
        );
        let first = first.unwrap_or_else(|_| panic!("{lesson}: no warning within 30 s"));
        assert!(first.starts_with("warning: "), "{lesson}: {first:?}");
        // A time in minutes or hours, however it is worded.
        assert!(
            ["min", " h", "hour"]
                .iter()
                .any(|unit| first.contains(unit)),
            "{lesson}: {first:?}"
        );
    }
}

#[test]
fn a_default_run_gives_no_warning() {
    for (lesson, _) in HUGE {
        let ran = run(lesson, &[], &[]);
        assert_eq!(ran.code, Some(0), "{ran:#?}");
        assert!(!ran.stderr.contains("warning"), "{lesson}: {ran:#?}");
    }
}
