//! A manager-style server process that owns a dict and a list, and the proxies that talk to it.
//!
//! Python's `multiprocessing.Manager()` starts a server process that owns ordinary Python objects;
//! every other process holds *proxies* whose method calls travel to the server as messages and
//! come back as replies. This module is the same design in a page of Rust:
//!
//! * [`Manager::start`] starts the server: this binary re-executed with the [`SERVER`] role (the
//!   processes toolkit), so the lesson must pass [`SERVER`] to [`init`](crate::init).
//! * The server owns a `HashMap<String, Value>` and a `Vec<Value>`. Its *front door* is an
//!   ipc-channel receiver; the parent keeps the sending end and hands a copy, inside a
//!   [`Ticket`], only to the worker processes it starts. Nothing is published by name: a client
//!   finds the server because its parent gave it the door.
//! * Every connection starts with a hello carrying the 32-byte authkey the parent drew from the
//!   operating system's random source (`getrandom`) and gave the server at start-up. A hello with any other key is refused, so a
//!   process that got hold of the door without being one of the manager's workers still cannot
//!   use it (Python's managers check their `authkey` the same way, with an HMAC challenge).
//! * A connection is a pair of channels, requests in and replies out, served by its own thread in
//!   the server: one message per call and one per answer, nothing else on the way. The data sits
//!   behind one mutex, held only while an operation runs, so every operation is atomic.
//! * [`Manager::shutdown`] returns the final contents and reaps the server. If the parent dies
//!   instead, the toolkit's lifeline ends the server within milliseconds: no orphan.

use crate::{Process, SpawnError, Task, spawn};
use ipc_channel::TryRecvError;
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use std::{fmt, thread};

/// What the dict and the list hold. Python's managers hold any picklable object; the lessons only
/// need integers, and one concrete type keeps every message small.
pub type Value = i64;

/// Length of the shared secret, as in Python (`os.urandom(32)`).
pub const AUTHKEY_LEN: usize = 32;

/// How long a client waits for the server to answer its hello before giving up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// One operation on the shared data. A proxy method sends one of these (or a batch of them).
// ANCHOR: op
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Op {
    Get(String),
    Set(String, Value),
    /// Adds to a key (missing counts as 0) on the server, so `d[k] += n` cannot lose updates.
    Add(String, Value),
    Update(Vec<(String, Value)>),
    Len,
    Items,
    Append(Value),
    ListLen,
    ListItems,
}

/// The server's answer to one [`Op`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Value(Option<Value>),
    Len(usize),
    Items(Vec<(String, Value)>),
    List(Vec<Value>),
    Done,
}
// ANCHOR_END: op

/// What travels on a connection, client to server.
#[derive(Debug, Serialize, Deserialize)]
enum Request {
    One(Op),
    Batch(Vec<Op>),
}

/// What travels back, server to client.
#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    Welcome,
    Refused,
    One(Answer),
    Batch(Vec<Answer>),
}

/// What arrives at the server's front door.
// ANCHOR: hello
#[derive(Debug, Serialize, Deserialize)]
enum Door {
    /// A new connection: the key, and both ends the server needs (ipc-channel can send channel
    /// ends inside messages, so the client makes the pair and hands the server its halves).
    Hello {
        authkey: Vec<u8>,
        requests: IpcReceiver<Request>,
        replies: IpcSender<Reply>,
    },
    /// From the parent only: stop and return the final contents.
    Shutdown,
}
// ANCHOR_END: hello

/// The shared data, as the parent gets it back from [`Manager::shutdown`] (sorted by key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contents {
    pub dict: BTreeMap<String, Value>,
    pub list: Vec<Value>,
}

/// What the server process is started with.
#[derive(Debug, Serialize, Deserialize)]
pub struct ServerArgs {
    door: IpcReceiver<Door>,
    authkey: Vec<u8>,
}

/// The server's role; pass it to [`init`](crate::init) in every binary that starts a manager.
pub static SERVER: Task<ServerArgs, Contents> = Task::new("manager-server", serve);

/// Why the manager could not start, a client could not connect, or a call failed.
///
/// A serde type, so a worker process can return it as its task's result and the parent sees the
/// same variant (a refusal stays a [`ManagerError::Refused`], not a line of text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ManagerError {
    /// The server answered the hello with a refusal: wrong authkey.
    Refused,
    /// The server did not answer within [`CONNECT_TIMEOUT`].
    Timeout,
    /// The server is gone (the channel closed), or answered out of turn.
    Disconnected(String),
    /// The server could not be started: no random key, no channel, or no process.
    Start(String),
}

impl fmt::Display for ManagerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManagerError::Refused => {
                write!(f, "the manager refused the connection (wrong authkey)")
            }
            ManagerError::Timeout => {
                write!(f, "the manager did not answer within {CONNECT_TIMEOUT:?}")
            }
            ManagerError::Disconnected(why) => write!(f, "the manager is gone: {why}"),
            ManagerError::Start(why) => write!(f, "the manager could not start: {why}"),
        }
    }
}

impl std::error::Error for ManagerError {}

impl From<SpawnError> for ManagerError {
    fn from(err: SpawnError) -> Self {
        not_started(err)
    }
}

fn gone(err: impl fmt::Display) -> ManagerError {
    ManagerError::Disconnected(err.to_string())
}

fn not_started(err: impl fmt::Display) -> ManagerError {
    ManagerError::Start(err.to_string())
}

/// Everything a worker needs to reach the manager: the front door and the key. It is a serde
/// type, so it travels to a worker inside the worker's spawn argument.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ticket {
    door: IpcSender<Door>,
    authkey: Vec<u8>,
}

impl Ticket {
    /// The same door with a different key: what an intruder who found the door would hold.
    pub fn with_authkey(&self, authkey: Vec<u8>) -> Ticket {
        Ticket {
            door: self.door.clone(),
            authkey,
        }
    }

    /// Opens a connection for a dict proxy (like `manager.dict()` returning a proxy).
    pub fn dict(&self) -> Result<DictProxy, ManagerError> {
        Ok(DictProxy(self.connect()?))
    }

    /// Opens a connection for a list proxy.
    pub fn list(&self) -> Result<ListProxy, ManagerError> {
        Ok(ListProxy(self.connect()?))
    }

    // ANCHOR: connect
    fn connect(&self) -> Result<Connection, ManagerError> {
        let (requests, server_requests) = ipc::channel::<Request>().map_err(gone)?;
        let (server_replies, replies) = ipc::channel::<Reply>().map_err(gone)?;
        let hello = Door::Hello {
            authkey: self.authkey.clone(),
            requests: server_requests,
            replies: server_replies,
        };
        self.door.send(hello).map_err(gone)?;
        // Bounded: a server that died (or never reads its door) must not hang the client.
        match replies.try_recv_timeout(CONNECT_TIMEOUT) {
            Ok(Reply::Welcome) => Ok(Connection { requests, replies }),
            Ok(Reply::Refused) => Err(ManagerError::Refused),
            Ok(other) => Err(gone(format!("unexpected reply to hello: {other:?}"))),
            Err(TryRecvError::Empty) => Err(ManagerError::Timeout),
            Err(TryRecvError::IpcError(err)) => Err(gone(format!("{err:?}"))),
        }
    }
    // ANCHOR_END: connect
}

/// One client connection: a request sender and the matching reply receiver.
#[derive(Debug)]
struct Connection {
    requests: IpcSender<Request>,
    replies: IpcReceiver<Reply>,
}

impl Connection {
    // ANCHOR: call
    /// One round trip: send the operation, block until its answer arrives. The server answers
    /// every request on this connection in order, so the next reply is always ours.
    fn call(&self, op: Op) -> Result<Answer, ManagerError> {
        self.requests.send(Request::One(op)).map_err(gone)?;
        match self.replies.recv().map_err(|e| gone(format!("{e:?}")))? {
            Reply::One(answer) => Ok(answer),
            other => Err(gone(format!("unexpected reply: {other:?}"))),
        }
    }
    // ANCHOR_END: call

    fn batch(&self, ops: Vec<Op>) -> Result<Vec<Answer>, ManagerError> {
        self.requests.send(Request::Batch(ops)).map_err(gone)?;
        match self.replies.recv().map_err(|e| gone(format!("{e:?}")))? {
            Reply::Batch(answers) => Ok(answers),
            other => Err(gone(format!("unexpected reply: {other:?}"))),
        }
    }
}

fn unexpected(answer: Answer) -> ManagerError {
    gone(format!("answer of the wrong kind: {answer:?}"))
}

/// A handle on the manager's dict, usable from any process that holds a [`Ticket`].
// ANCHOR: dict_proxy
#[derive(Debug)]
pub struct DictProxy(Connection);

impl DictProxy {
    pub fn get(&self, key: &str) -> Result<Option<Value>, ManagerError> {
        match self.0.call(Op::Get(key.to_string()))? {
            Answer::Value(v) => Ok(v),
            other => Err(unexpected(other)),
        }
    }

    pub fn set(&self, key: &str, value: Value) -> Result<(), ManagerError> {
        self.0.call(Op::Set(key.to_string(), value)).map(drop)
    }
    // ANCHOR_END: dict_proxy

    /// Adds `delta` to `key` on the server and returns the new value: one atomic operation,
    /// unlike Python's `d[k] += delta` through a proxy, which is a get and a set (two messages)
    /// with room for another process's update in between.
    pub fn add(&self, key: &str, delta: Value) -> Result<Value, ManagerError> {
        match self.0.call(Op::Add(key.to_string(), delta))? {
            Answer::Value(Some(v)) => Ok(v),
            other => Err(unexpected(other)),
        }
    }

    /// Sets several keys in one message, like `dict.update`.
    pub fn update(&self, pairs: Vec<(String, Value)>) -> Result<(), ManagerError> {
        self.0.call(Op::Update(pairs)).map(drop)
    }

    pub fn len(&self) -> Result<usize, ManagerError> {
        match self.0.call(Op::Len)? {
            Answer::Len(n) => Ok(n),
            other => Err(unexpected(other)),
        }
    }

    pub fn is_empty(&self) -> Result<bool, ManagerError> {
        self.len().map(|n| n == 0)
    }

    /// A copy of every pair, sorted by key (the server's map has no order of its own).
    pub fn items(&self) -> Result<Vec<(String, Value)>, ManagerError> {
        match self.0.call(Op::Items)? {
            Answer::Items(items) => Ok(items),
            other => Err(unexpected(other)),
        }
    }

    /// Runs many operations in one message and one reply, in order, and returns their answers.
    /// The round trip is paid once per batch instead of once per operation.
    pub fn batch(&self, ops: Vec<Op>) -> Result<Vec<Answer>, ManagerError> {
        self.0.batch(ops)
    }
}

/// A handle on the manager's list.
#[derive(Debug)]
pub struct ListProxy(Connection);

impl ListProxy {
    pub fn append(&self, value: Value) -> Result<(), ManagerError> {
        self.0.call(Op::Append(value)).map(drop)
    }

    pub fn len(&self) -> Result<usize, ManagerError> {
        match self.0.call(Op::ListLen)? {
            Answer::Len(n) => Ok(n),
            other => Err(unexpected(other)),
        }
    }

    pub fn is_empty(&self) -> Result<bool, ManagerError> {
        self.len().map(|n| n == 0)
    }

    pub fn items(&self) -> Result<Vec<Value>, ManagerError> {
        match self.0.call(Op::ListItems)? {
            Answer::List(items) => Ok(items),
            other => Err(unexpected(other)),
        }
    }
}

/// The parent's handle on a running manager server.
#[derive(Debug)]
pub struct Manager {
    server: Process<Contents>,
    ticket: Ticket,
}

impl Manager {
    /// Draws a fresh authkey and starts the server process. The binary must have passed
    /// [`SERVER`] to [`init`](crate::init).
    // ANCHOR: start
    pub fn start() -> Result<Manager, ManagerError> {
        let authkey = random_authkey().map_err(not_started)?;
        let (door, door_inside) = ipc::channel::<Door>().map_err(not_started)?;
        let args = ServerArgs {
            door: door_inside,
            authkey: authkey.clone(),
        };
        let server = spawn(&SERVER, args)?;
        Ok(Manager {
            server,
            ticket: Ticket { door, authkey },
        })
    }
    // ANCHOR_END: start

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.server.pid()
    }

    /// What a worker needs to connect; give it only to processes you start.
    pub fn ticket(&self) -> Ticket {
        self.ticket.clone()
    }

    /// Stops the server, reaps it and returns the final contents. Workers should have finished:
    /// a connection still open is cut when the server exits.
    // ANCHOR: shutdown
    pub fn shutdown(mut self) -> Result<Contents, ManagerError> {
        self.ticket.door.send(Door::Shutdown).map_err(gone)?;
        let exit = self
            .server
            .join_timeout(Duration::from_secs(10))
            .map_err(gone)?;
        match exit {
            Some(exit) if exit.exitcode() == 0 => {
                self.server.take_result().ok_or_else(|| gone("no contents"))
            }
            Some(exit) => Err(gone(format!("the server ended badly ({exit})"))),
            // Dropping `self` closes the lifeline and reaps the server.
            None => Err(ManagerError::Timeout),
        }
    }
    // ANCHOR_END: shutdown
}

/// 32 bytes from the operating system's random source, like Python's `os.urandom(32)`.
pub fn random_authkey() -> Result<Vec<u8>, getrandom::Error> {
    let mut key = vec![0u8; AUTHKEY_LEN];
    getrandom::fill(&mut key)?;
    Ok(key)
}

/// Compares two keys in time that does not depend on where they first differ, so a client
/// cannot find the key byte by byte by timing refusals.
fn same_key(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Default)]
struct Data {
    dict: HashMap<String, Value>,
    list: Vec<Value>,
}

fn lock(data: &Mutex<Data>) -> MutexGuard<'_, Data> {
    // A panicking connection thread cannot leave the map half-updated (every op is one call on
    // std collections), so a poisoned lock is still safe to use.
    data.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ANCHOR: apply
fn apply(data: &mut Data, op: Op) -> Answer {
    match op {
        Op::Get(key) => Answer::Value(data.dict.get(&key).copied()),
        Op::Set(key, value) => {
            data.dict.insert(key, value);
            Answer::Done
        }
        Op::Add(key, delta) => {
            let slot = data.dict.entry(key).or_insert(0);
            *slot += delta;
            Answer::Value(Some(*slot))
        }
        Op::Update(pairs) => {
            data.dict.extend(pairs);
            Answer::Done
        }
        Op::Len => Answer::Len(data.dict.len()),
        Op::Items => {
            let mut items: Vec<_> = data.dict.iter().map(|(k, v)| (k.clone(), *v)).collect();
            items.sort_unstable();
            Answer::Items(items)
        }
        Op::Append(value) => {
            data.list.push(value);
            Answer::Done
        }
        Op::ListLen => Answer::Len(data.list.len()),
        Op::ListItems => Answer::List(data.list.clone()),
    }
}
// ANCHOR_END: apply

// ANCHOR: serve
/// The server process: accept connections at the door until told to stop (or until every door
/// sender is gone), one thread per accepted connection.
fn serve(args: ServerArgs) -> Contents {
    let data = Arc::new(Mutex::new(Data::default()));
    while let Ok(message) = args.door.recv() {
        let (authkey, requests, replies) = match message {
            Door::Hello {
                authkey,
                requests,
                replies,
            } => (authkey, requests, replies),
            Door::Shutdown => break,
        };
        if !same_key(&authkey, &args.authkey) {
            let _ = replies.send(Reply::Refused);
            continue; // dropping both ends closes the connection
        }
        if replies.send(Reply::Welcome).is_err() {
            continue;
        }
        let data = Arc::clone(&data);
        thread::spawn(move || {
            // Ends when the client drops its proxy (or its process dies): `recv` then fails.
            while let Ok(request) = requests.recv() {
                let reply = match request {
                    Request::One(op) => Reply::One(apply(&mut lock(&data), op)),
                    Request::Batch(ops) => {
                        let mut guard = lock(&data);
                        Reply::Batch(ops.into_iter().map(|op| apply(&mut guard, op)).collect())
                    }
                };
                if replies.send(reply).is_err() {
                    break;
                }
            }
        });
    }
    let data = lock(&data);
    Contents {
        dict: data.dict.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        list: data.list.clone(),
    }
}
// ANCHOR_END: serve

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_whole() {
        assert!(same_key(b"abc", b"abc"));
        assert!(!same_key(b"abc", b"abd"));
        assert!(!same_key(b"abc", b"ab"));
        assert!(!same_key(b"", b"a"));
    }

    #[test]
    fn ops_do_what_the_python_dict_does() {
        let mut data = Data::default();
        assert_eq!(apply(&mut data, Op::Get("a".into())), Answer::Value(None));
        apply(&mut data, Op::Set("a".into(), 1));
        assert_eq!(
            apply(&mut data, Op::Add("a".into(), 4)),
            Answer::Value(Some(5))
        );
        assert_eq!(
            apply(&mut data, Op::Add("b".into(), 2)),
            Answer::Value(Some(2))
        );
        apply(
            &mut data,
            Op::Update(vec![("c".into(), 3), ("a".into(), 0)]),
        );
        assert_eq!(apply(&mut data, Op::Len), Answer::Len(3));
        assert_eq!(
            apply(&mut data, Op::Items),
            Answer::Items(vec![("a".into(), 0), ("b".into(), 2), ("c".into(), 3)])
        );
        apply(&mut data, Op::Append(7));
        apply(&mut data, Op::Append(8));
        assert_eq!(apply(&mut data, Op::ListLen), Answer::Len(2));
        assert_eq!(apply(&mut data, Op::ListItems), Answer::List(vec![7, 8]));
    }

    #[test]
    fn authkeys_are_random() {
        let (a, b) = (random_authkey().unwrap(), random_authkey().unwrap());
        assert_eq!(a.len(), AUTHKEY_LEN);
        assert_ne!(a, b);
    }
}
