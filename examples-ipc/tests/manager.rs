//! The manager across real processes: concurrent updates give exact contents (repeatedly), a
//! process without the authkey cannot connect, and the server never outlives its parent. (The
//! four manager lessons are run as binaries in `lessons.rs`.)
//!
//! `harness = false`: worker processes re-execute this binary, so `main` must call `init` first.

use multiproc::manager::{Answer, Contents, Manager, ManagerError, Op, SERVER, Ticket, Value};
use multiproc::{Task, harness, init, spawn};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const WORKERS: usize = 4;
const ADDS: usize = 2_000;
const KEYS: usize = 50;

/// Adds to a shared counter, writes keys of its own, appends its id: every kind of update at once.
fn updater((ticket, id): (Ticket, usize)) -> Result<(), ManagerError> {
    let d = ticket.dict()?;
    let l = ticket.list()?;
    for j in 0..ADDS {
        d.add("total", 1)?;
        if j < KEYS {
            d.set(&format!("k{id}_{j}"), j as Value)?;
        }
        if j % 100 == 0 {
            l.append(id as Value)?;
        }
    }
    let pairs = (0..KEYS)
        .map(|j| (format!("u{id}_{j}"), -(j as Value)))
        .collect();
    d.update(pairs)
}
static UPDATER: Task<(Ticket, usize), Result<(), ManagerError>> = Task::new("updater", updater);

/// Tries to connect with the key it was given; returns what happened, as text.
fn try_connect(ticket: Ticket) -> String {
    match ticket.dict() {
        Ok(d) => {
            let _ = d.set("intruder", 1);
            "connected".into()
        }
        Err(ManagerError::Refused) => "refused".into(),
        Err(err) => format!("other error: {err}"),
    }
}
static TRY_CONNECT: Task<Ticket, String> = Task::new("try_connect", try_connect);

/// Connects, writes one key, then hangs holding its connection until it is killed.
fn hang_connected(ticket: Ticket) {
    let d = ticket.dict().expect("connect");
    d.set("hanger", 1).expect("set");
    thread::sleep(Duration::from_secs(30));
}
static HANG_CONNECTED: Task<Ticket, ()> = Task::new("hang_connected", hang_connected);

fn expected_contents() -> Contents {
    let mut dict = BTreeMap::new();
    dict.insert("total".to_string(), (WORKERS * ADDS) as Value);
    for id in 0..WORKERS {
        for j in 0..KEYS {
            dict.insert(format!("k{id}_{j}"), j as Value);
            dict.insert(format!("u{id}_{j}"), -(j as Value));
        }
    }
    let mut list: Vec<Value> = (0..WORKERS as Value)
        .flat_map(|id| std::iter::repeat_n(id, ADDS.div_ceil(100)))
        .collect();
    list.sort_unstable();
    Contents { dict, list }
}

fn concurrent_updates_give_exact_contents_repeatedly() {
    for round in 0..3 {
        let manager = Manager::start().unwrap();
        let mut workers: Vec<_> = (0..WORKERS)
            .map(|id| spawn(&UPDATER, (manager.ticket(), id)).unwrap())
            .collect();
        for w in &mut workers {
            assert_eq!(w.join().unwrap().exitcode(), 0);
            assert_eq!(w.take_result(), Some(Ok(())), "round {round}");
        }
        let mut got = manager.shutdown().unwrap();
        got.list.sort_unstable();
        assert_eq!(got, expected_contents(), "round {round}");
    }
}

fn a_process_without_the_key_cannot_connect() {
    let manager = Manager::start().unwrap();
    let ticket = manager.ticket();
    let wrong = ticket.with_authkey(vec![7; 32]);
    let short = ticket.with_authkey(Vec::new());
    for (what, forged) in [("wrong key", wrong), ("no key", short)] {
        let mut child = spawn(&TRY_CONNECT, forged.clone()).unwrap();
        child.join().unwrap();
        assert_eq!(child.take_result().as_deref(), Some("refused"), "{what}");
        // The same from this process: the door is open, the key is what matters.
        assert!(
            matches!(forged.dict(), Err(ManagerError::Refused)),
            "{what}"
        );
    }
    // One of its workers, with the real key, still gets in.
    let mut child = spawn(&TRY_CONNECT, ticket.clone()).unwrap();
    child.join().unwrap();
    assert_eq!(child.take_result().as_deref(), Some("connected"));
    let contents = manager.shutdown().unwrap();
    let keys: Vec<&String> = contents.dict.keys().collect();
    assert_eq!(keys, ["intruder"], "only the keyed worker wrote");
}

fn proxies_behave_like_python_dict_and_list() {
    let manager = Manager::start().unwrap();
    let d = manager.ticket().dict().unwrap();
    let l = manager.ticket().list().unwrap();
    assert!(d.is_empty().unwrap() && l.is_empty().unwrap());
    assert_eq!(d.get("a").unwrap(), None);
    d.set("a", 1).unwrap();
    d.update(vec![("b".into(), 2), ("a".into(), 3)]).unwrap();
    assert_eq!(d.get("a").unwrap(), Some(3));
    assert_eq!(d.add("c", 5).unwrap(), 5);
    assert_eq!(d.len().unwrap(), 3);
    assert_eq!(
        d.items().unwrap(),
        [("a".into(), 3), ("b".into(), 2), ("c".into(), 5)]
    );
    let answers = d
        .batch(vec![Op::Set("z".into(), 9), Op::Get("z".into()), Op::Len])
        .unwrap();
    assert_eq!(
        answers,
        [Answer::Done, Answer::Value(Some(9)), Answer::Len(4)]
    );
    l.append(4).unwrap();
    l.append(2).unwrap();
    assert_eq!((l.len().unwrap(), l.items().unwrap()), (2, vec![4, 2]));
    drop((d, l));
    let ticket = manager.ticket();
    let server = manager.pid();
    let contents = manager.shutdown().unwrap();
    assert_eq!(contents.list, [4, 2]);
    assert_eq!(contents.dict.len(), 4);
    assert!(
        !multiproc::signal::pid_exists(server),
        "the server was reaped"
    );
    // After shutdown nobody answers: connecting fails, and does not hang.
    let start = Instant::now();
    assert!(ticket.dict().is_err());
    assert!(start.elapsed() < Duration::from_secs(6));
}

fn a_killed_worker_does_not_stop_the_manager() {
    let manager = Manager::start().unwrap();
    let d = manager.ticket().dict().unwrap();
    let mut hanger = spawn(&HANG_CONNECTED, manager.ticket()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while d.get("hanger").unwrap().is_none() {
        assert!(Instant::now() < deadline, "the worker never wrote");
        thread::sleep(Duration::from_millis(5));
    }
    hanger.kill().unwrap(); // dies holding an open connection
    hanger.join().unwrap();
    assert_eq!(
        d.add("hanger", 1).unwrap(),
        2,
        "the server still serves the others"
    );
    // Dropping the manager without `shutdown` still ends and reaps the server.
    let server = manager.pid();
    drop(d);
    drop(manager);
    assert!(
        !multiproc::signal::pid_exists(server),
        "server {server} was not reaped"
    );
}

/// Running, or a zombie its new parent has not reaped yet: either way it has stopped running.
fn still_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().to_string())
        })
        .is_some_and(|rest| !rest.starts_with('Z') && !rest.starts_with('X'))
}

const PARENT_VAR: &str = "MANAGER_TEST_PARENT";

/// The role of a process that starts a manager, prints its server's PID and waits to be killed.
fn be_a_parent_that_gets_killed() -> ! {
    let manager = Manager::start().unwrap();
    println!("{}", manager.pid());
    thread::sleep(Duration::from_secs(30));
    std::process::exit(1)
}

/// A plain `std` child, killed and reaped when dropped: a failing assertion must not leave the
/// manager's parent (and so its server) running for its 30 s sleep.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn server_exits_when_its_parent_is_killed() {
    let mut parent = KillOnDrop(
        Command::new(std::env::current_exe().unwrap())
            .env(PARENT_VAR, "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(parent.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let server: u32 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("the parent did not report its server: {line:?}"));
    assert!(still_running(server));
    parent.0.kill().unwrap(); // SIGKILL: the parent runs no cleanup at all
    parent.0.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while still_running(server) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    assert!(
        !still_running(server),
        "server {server} outlived its parent"
    );
}

const DEADLINE: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    init(&[&SERVER, &UPDATER, &TRY_CONNECT, &HANG_CONNECTED]);
    if std::env::var_os(PARENT_VAR).is_some() {
        be_a_parent_that_gets_killed();
    }
    harness::run(
        &[
            (
                "concurrent_updates_give_exact_contents_repeatedly",
                concurrent_updates_give_exact_contents_repeatedly,
            ),
            (
                "a_process_without_the_key_cannot_connect",
                a_process_without_the_key_cannot_connect,
            ),
            (
                "proxies_behave_like_python_dict_and_list",
                proxies_behave_like_python_dict_and_list,
            ),
            (
                "a_killed_worker_does_not_stop_the_manager",
                a_killed_worker_does_not_stop_the_manager,
            ),
            (
                "server_exits_when_its_parent_is_killed",
                server_exits_when_its_parent_is_killed,
            ),
        ],
        DEADLINE,
    )
}
