//! Tests of the start-up socket a child connects back to: who else can reach it, what a squatter
//! can do to a spawn, and what a parent killed mid-start leaves behind.
//!
//! Its own `main` (`harness = false`): the children re-execute this binary, and so does the
//! "stranger", a copy of it run as user `nobody` that tries to connect to the socket.

use multiproc::child::START_DELAY_VAR;
use multiproc::socket::{SOCKET_DIR_PREFIX, remove_stale};
use multiproc::{SpawnError, SpawnOptions, Task, harness, init, spawn, spawn_with};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

fn double(x: u64) -> u64 {
    2 * x
}
static DOUBLE: Task<u64, u64> = Task::new("double", double);

/// Set in the stranger's environment: the socket it must try.
const CONNECT_VAR: &str = "STARTUP_TEST_CONNECT";
/// The stranger's verdicts, as exit codes.
const CONNECTED: i32 = 0;
const REFUSED: i32 = 13;
const NOBODY: u32 = 65534;
/// Long enough for the test to reach the socket before the real child does.
const CHILD_DELAY: &str = "1500";

const TESTS: &[(&str, fn())] = &[
    ("a_stranger_cannot_connect", a_stranger_cannot_connect),
    (
        "a_silent_squatter_cannot_hold_a_spawn_past_its_timeout",
        a_silent_squatter_cannot_hold_a_spawn_past_its_timeout,
    ),
    (
        "a_parent_killed_mid_start_leaves_a_folder_the_next_run_sweeps",
        a_parent_killed_mid_start_leaves_a_folder_the_next_run_sweeps,
    ),
];

fn main() -> ExitCode {
    if let Ok(path) = std::env::var(CONNECT_VAR) {
        let code = match ipc_channel::ipc::IpcSender::<u8>::connect(path) {
            Ok(_) => CONNECTED,
            Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => REFUSED,
            Err(err) => {
                eprintln!("stranger: {err}");
                1
            }
        };
        std::process::exit(code);
    }
    init(&[&DOUBLE]);
    if std::env::args().nth(1).as_deref() == Some("--start-and-be-killed") {
        let options = slow_child();
        let _ = spawn_with(&DOUBLE, 1, &options); // killed while this waits
        return ExitCode::FAILURE;
    }
    harness::run(TESTS, Duration::from_secs(60))
}

fn slow_child() -> SpawnOptions {
    SpawnOptions {
        env: vec![(START_DELAY_VAR.into(), CHILD_DELAY.into())],
        ..SpawnOptions::default()
    }
}

/// The start-up socket of a spawn by process `pid`, once it exists (at most `wait`).
fn find_socket(pid: u32, wait: Duration) -> Option<PathBuf> {
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline {
        let prefix = format!("{SOCKET_DIR_PREFIX}{pid}-");
        let found = std::fs::read_dir(std::env::temp_dir())
            .into_iter()
            .flatten()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with(&prefix));
        if let Some(entry) = found {
            return Some(entry.path().join("socket"));
        }
        thread::sleep(Duration::from_millis(1));
    }
    None
}

fn a_stranger_cannot_connect() {
    // SAFETY: `geteuid` has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        println!("(not root: cannot run a process as another user; nothing to check)");
        return;
    }
    // The most permissive umask a user can have: before the fix, the socket was 0777.
    // SAFETY: `umask` only swaps an integer; tests run one at a time, and it is restored below.
    let old = unsafe { libc::umask(0) };
    let spawner = thread::spawn(|| spawn_with(&DOUBLE, 21, &slow_child()).map(|mut c| c.join()));
    let socket = find_socket(std::process::id(), Duration::from_secs(1)).expect("socket appears");
    // The stranger runs from a copy anyone can execute, wherever this checkout lives.
    let room = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(room.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let stranger = room.path().join("stranger");
    std::fs::copy(std::env::current_exe().unwrap(), &stranger).unwrap();
    let verdict = Command::new(&stranger)
        .env(CONNECT_VAR, &socket)
        .uid(NOBODY)
        .gid(NOBODY)
        .stdin(Stdio::null())
        .status()
        .expect("the stranger runs");
    // SAFETY: as above.
    unsafe { libc::umask(old) };
    let started = spawner.join().expect("spawner thread");
    assert_eq!(
        verdict.code(),
        Some(REFUSED),
        "user nobody could connect to {}",
        socket.display()
    );
    assert!(
        started.is_ok(),
        "the real child still connects: {started:?}"
    );
}

fn a_silent_squatter_cannot_hold_a_spawn_past_its_timeout() {
    let timeout = Duration::from_millis(800);
    let options = SpawnOptions {
        start_timeout: timeout,
        ..slow_child()
    };
    let began = Instant::now();
    let spawner = thread::spawn(move || spawn_with(&DOUBLE, 21, &options).map(|_| ()));
    let socket = find_socket(std::process::id(), Duration::from_secs(1)).expect("socket appears");
    // Connects first and never says a word, for far longer than the start timeout.
    let squatter = ipc_channel::ipc::IpcSender::<u8>::connect(socket.to_str().unwrap().into())
        .expect("same user may connect");
    let outcome = spawner.join().expect("spawner thread");
    let took = began.elapsed();
    drop(squatter);
    assert!(
        matches!(outcome, Err(SpawnError::StartTimeout(_))),
        "{outcome:?}"
    );
    assert!(
        took < timeout + Duration::from_millis(700),
        "the squatter held the spawn for {took:?}"
    );
}

fn a_parent_killed_mid_start_leaves_a_folder_the_next_run_sweeps() {
    let mut parent = Command::new(std::env::current_exe().unwrap())
        .arg("--start-and-be-killed")
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let folder = find_socket(parent.id(), Duration::from_secs(2))
        .expect("the parent's socket appears")
        .parent()
        .unwrap()
        .to_path_buf();
    parent.kill().unwrap(); // SIGKILL: nothing of the parent runs again
    parent.wait().unwrap();
    assert!(folder.exists(), "a SIGKILLed parent cannot clean up");
    assert!(remove_stale() >= 1);
    assert!(!folder.exists(), "{} is still there", folder.display());
    // And the next spawn works as usual.
    assert_eq!(
        spawn(&DOUBLE, 4).unwrap().join().map(|e| e.success()).ok(),
        Some(true)
    );
}
