//! A manager-style server process that owns a dict and a list, and the proxies that talk to it.
//!
//! Python's `multiprocessing.Manager()` starts a server process that owns ordinary Python objects;
//! every other process holds *proxies* whose method calls travel to the server as messages and
//! come back as replies. This module is the same design in Rust:
//!
//! * [`Manager::start`] starts the server: this binary re-executed with the [`SERVER`] role (the
//!   processes toolkit), so the lesson must pass [`SERVER`] to [`init`](crate::init).
//! * The server owns a `HashMap<String, Value>` and a `Vec<Value>`. Its *front door* is a channel
//!   it makes itself; it hands the sending end to the parent, which gives a copy, inside a
//!   [`Ticket`], only to the worker processes it starts. Nothing is published by name: a client
//!   finds the server because its parent gave it the door.
//! * Every connection starts with a hello carrying the 32-byte authkey the parent drew from the
//!   operating system's random source (`getrandom`) and gave the server at start-up. A hello with
//!   any other key is refused, so a process that got hold of the door without being one of the
//!   manager's workers still cannot use it (Python's managers check their `authkey` the same way,
//!   with an HMAC challenge).
//! * A connection is a pair of channels, requests in and replies out, served by its own thread in
//!   the server: one message per call and one per answer. The data sits behind one mutex, held
//!   only while an operation runs, so every operation is atomic.
//! * [`Manager::shutdown`] returns the final contents and reaps the server. If the parent dies
//!   instead, the toolkit's lifeline ends the server within milliseconds: no orphan.
//!
//! # What the door withstands
//!
//! Anyone holding the door can send it anything, not only well-formed hellos: ipc-channel's
//! senders can be retyped, and the descriptor underneath takes raw packets. ipc-channel's own
//! `recv` believes the length a packet announces (a terabyte is an abort) and waits without a
//! deadline for the rest of a long message, so the server reads its door and its connections by
//! hand (`raw.rs`): a hello is one packet of at most [`DOOR_PACKET`] bytes, read whole or dropped,
//! and answered without blocking or not at all; a request is at most [`Limits::message_bytes`],
//! the rest of a long one due within [`REST_DEADLINE`]. Whatever one peer sends costs that peer its
//! own connection, never the server. A client with the key is bounded by [`Limits`]: connections,
//! dict keys, list items, key length; `Add` overflow is an error answer.

use crate::{Exit, Process, SpawnError, Task, spawn};
use ipc_channel::TryRecvError;
use ipc_channel::ipc::{self, IpcMessage, IpcReceiver, IpcSender};
use raw::{Bridge, Packet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use std::{fmt, thread};

mod raw;

/// What the dict and the list hold. Python's managers hold any picklable object; the lessons only
/// need integers, and one concrete type keeps every message small.
pub type Value = i64;

/// Length of the shared secret, as in Python (`os.urandom(32)`).
pub const AUTHKEY_LEN: usize = 32;

/// How long a client waits for the server to answer its hello before giving up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long [`Manager::start`] waits for the server to open its door.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest packet the door reads: a hello with a key of up to about 2,000 bytes. A longer
/// one is cut by the kernel and dropped unanswered.
pub const DOOR_PACKET: usize = 2048;

/// How long the rest of a request sent in several packets may take to arrive once the first
/// packet has: a client that stops halfway loses its connection.
pub const REST_DEADLINE: Duration = Duration::from_secs(5);

/// Test hook: a server started with this variable set to a number of operations kills itself
/// with `SIGKILL` once it has applied that many; `0` kills it before it opens its door. The
/// lessons' tests use it to check that a dead server fails a run instead of passing one.
pub const DIES_AFTER_VAR: &str = "MULTIPROC_TEST_MANAGER_DIES_AFTER";

/// What one client with the key may use. A client without the key gets nothing but a refusal.
// ANCHOR: limits
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Connections open at once; one more is refused with [`ManagerError::Busy`].
    pub connections: usize,
    /// Keys in the dict; a new key beyond them is refused ([`OpError::DictFull`]).
    pub dict_keys: usize,
    /// Items in the list ([`OpError::ListFull`]).
    pub list_items: usize,
    /// Bytes in one key ([`OpError::KeyTooLong`]).
    pub key_bytes: usize,
    /// Bytes in one serialized request; a larger one ends its connection.
    pub message_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 256,
            dict_keys: 100_000,
            list_items: 1_000_000,
            key_bytes: 256,
            message_bytes: 4 << 20,
        }
    }
}
// ANCHOR_END: limits

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
    /// The operation was refused and changed nothing.
    Failed(OpError),
}
// ANCHOR_END: op

/// Why the server refused one operation. The data is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpError {
    /// `Add` would leave `i64`'s range: `value + delta` does not fit.
    Overflow {
        key: String,
        value: Value,
        delta: Value,
    },
    /// The dict already holds its limit of keys; existing keys can still change.
    DictFull { limit: usize },
    /// The list already holds its limit of items.
    ListFull { limit: usize },
    /// A key of `len` bytes, over the limit.
    KeyTooLong { len: usize, limit: usize },
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpError::Overflow { key, value, delta } => {
                write!(f, "{key:?} = {value} plus {delta} overflows i64")
            }
            OpError::DictFull { limit } => write!(f, "the dict is full ({limit} keys)"),
            OpError::ListFull { limit } => write!(f, "the list is full ({limit} items)"),
            OpError::KeyTooLong { len, limit } => {
                write!(f, "a key of {len} bytes, over the limit of {limit}")
            }
        }
    }
}

/// What travels on a connection, client to server.
#[derive(Debug, Serialize, Deserialize)]
enum Request {
    One(Op),
    Batch(Vec<Op>),
}

/// What travels back, server to client. The unit variants come first: the server sends
/// `Refused` and `Busy` as packets it builds itself (see [`REFUSED`]).
#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    Welcome,
    Refused,
    Busy,
    One(Answer),
    Batch(Vec<Answer>),
}

/// `Reply::Refused` and `Reply::Busy` serialized (postcard writes a unit variant as its index).
/// The server sends them without blocking, straight on the descriptor that came with the hello:
/// a peer that never reads its answer cannot hold the door.
const REFUSED: [u8; 1] = [1];
const BUSY: [u8; 1] = [2];

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
    /// From the parent: stop and return the final contents. It needs the key too.
    Shutdown { authkey: Vec<u8> },
}

/// `Door` as the server reads it, by hand: the same serialized form (a channel end is serialized
/// as the index of its descriptor among the packet's), with the indexes kept as numbers.
#[derive(Debug, Serialize, Deserialize)]
enum DoorWire {
    Hello {
        authkey: Vec<u8>,
        requests: usize,
        replies: usize,
    },
    Shutdown {
        authkey: Vec<u8>,
    },
}
// ANCHOR_END: hello

/// What the server's bridge turns raw descriptors into (see `raw::Bridge`): its own door, once,
/// then each welcomed client's reply channel.
#[derive(Debug, Serialize, Deserialize)]
enum Adopted {
    Door(IpcSender<Door>),
    Replies(IpcSender<Reply>),
}

/// `Adopted::Door(fd 0)` and `Adopted::Replies(fd 0)`, serialized: the variant's index, then the
/// descriptor's.
const ADOPT_DOOR: [u8; 2] = [0, 0];
const ADOPT_REPLIES: [u8; 2] = [1, 0];

/// The shared data, as the parent gets it back from [`Manager::shutdown`] (sorted by key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contents {
    pub dict: BTreeMap<String, Value>,
    pub list: Vec<Value>,
}

/// The door's sending end, or why the server could not open one.
type Opened = Result<IpcSender<Door>, String>;

/// What the server process is started with.
#[derive(Debug, Serialize, Deserialize)]
pub struct ServerArgs {
    authkey: Vec<u8>,
    limits: Limits,
    /// Where the server sends its door's sending end once it is open.
    opened: IpcSender<Opened>,
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
    /// The server answered the hello with a refusal: it already serves [`Limits::connections`].
    Busy,
    /// The server refused one operation (over a limit, or an overflow); the connection stays.
    Op(OpError),
    /// The server did not answer within [`CONNECT_TIMEOUT`] (or [`START_TIMEOUT`]).
    Timeout,
    /// The server is gone (the channel closed), or answered out of turn.
    Disconnected(String),
    /// The server could not be started: no random key, no channel, no process, or it died first.
    Start(String),
}

impl fmt::Display for ManagerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManagerError::Refused => {
                write!(f, "the manager refused the connection (wrong authkey)")
            }
            ManagerError::Busy => write!(
                f,
                "the manager refused the connection (it serves as many as its limit allows)"
            ),
            ManagerError::Op(why) => write!(f, "the manager refused the operation: {why}"),
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
            Ok(Reply::Busy) => Err(ManagerError::Busy),
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
            Reply::One(Answer::Failed(why)) => Err(ManagerError::Op(why)),
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
    /// with room for another process's update in between. A sum outside `i64` is refused
    /// ([`OpError::Overflow`]) and leaves the value as it was.
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
    /// The round trip is paid once per batch instead of once per operation. A refused
    /// operation's answer is [`Answer::Failed`]; the others still run.
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
    /// Draws a fresh authkey and starts the server process with the default [`Limits`]. The
    /// binary must have passed [`SERVER`] to [`init`](crate::init).
    pub fn start() -> Result<Manager, ManagerError> {
        Manager::start_with(Limits::default())
    }

    /// [`Manager::start`] with explicit limits. Returns once the server has opened its door; a
    /// server that dies first (or never opens it) is an error, not a manager that fails later.
    // ANCHOR: start
    pub fn start_with(limits: Limits) -> Result<Manager, ManagerError> {
        let authkey = random_authkey().map_err(not_started)?;
        let (opened, door) = ipc::channel::<Opened>().map_err(not_started)?;
        let args = ServerArgs {
            authkey: authkey.clone(),
            limits,
            opened,
        };
        let mut server = spawn(&SERVER, args)?;
        match door.try_recv_timeout(START_TIMEOUT) {
            Ok(Ok(door)) => Ok(Manager {
                server,
                ticket: Ticket { door, authkey },
            }),
            Ok(Err(why)) => Err(not_started(why)),
            // Dropping `server` closes its lifeline and reaps it.
            Err(TryRecvError::Empty) => Err(not_started(format!(
                "the server did not open its door within {START_TIMEOUT:?}"
            ))),
            Err(TryRecvError::IpcError(_)) => {
                let exit = server.join_timeout(Duration::from_secs(1)).ok().flatten();
                Err(not_started(format!(
                    "the server ended before it opened its door ({})",
                    exit.map_or("still running".to_string(), |e| e.to_string())
                )))
            }
        }
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

    /// How the server process ended, if it has (without waiting): a lesson whose workers failed
    /// asks this to tell a dead server from a worker's own fault.
    pub fn server_exit(&mut self) -> Option<Exit> {
        self.server.join_timeout(Duration::ZERO).ok().flatten()
    }

    /// Stops the server, reaps it and returns the final contents. Workers should have finished:
    /// a connection still open is cut when the server exits.
    // ANCHOR: shutdown
    pub fn shutdown(mut self) -> Result<Contents, ManagerError> {
        if let Some(exit) = self.server_exit() {
            return Err(gone(format!("the server process ended ({exit})")));
        }
        let stop = Door::Shutdown {
            authkey: self.ticket.authkey.clone(),
        };
        self.ticket.door.send(stop).map_err(gone)?;
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

impl Data {
    /// Refuses a key longer than the limit.
    fn check_key(key: &str, limits: &Limits) -> Result<(), OpError> {
        if key.len() > limits.key_bytes {
            return Err(OpError::KeyTooLong {
                len: key.len(),
                limit: limits.key_bytes,
            });
        }
        Ok(())
    }

    /// Refuses a key that is too long, or a new key when the dict is full.
    fn room_for(&self, key: &str, limits: &Limits) -> Result<(), OpError> {
        Data::check_key(key, limits)?;
        if self.dict.len() >= limits.dict_keys && !self.dict.contains_key(key) {
            return Err(OpError::DictFull {
                limit: limits.dict_keys,
            });
        }
        Ok(())
    }

    /// Refuses an update with a key that is too long, or with more new keys than there is room.
    fn room_for_all(&self, pairs: &[(String, Value)], limits: &Limits) -> Result<(), OpError> {
        for (key, _) in pairs {
            Data::check_key(key, limits)?;
        }
        let new: HashSet<&str> = pairs
            .iter()
            .map(|(key, _)| key.as_str())
            .filter(|key| !self.dict.contains_key(*key))
            .collect();
        if self.dict.len() + new.len() > limits.dict_keys {
            return Err(OpError::DictFull {
                limit: limits.dict_keys,
            });
        }
        Ok(())
    }
}

fn lock(data: &Mutex<Data>) -> MutexGuard<'_, Data> {
    // A panicking connection thread cannot leave the map half-updated (every op is one call on
    // std collections), so a poisoned lock is still safe to use.
    data.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ANCHOR: apply
/// Applies one operation. A refused one (over a limit, or an overflow) changes nothing and
/// answers [`Answer::Failed`]; it never panics, in debug or release.
fn apply(data: &mut Data, limits: &Limits, op: Op) -> Answer {
    let done =
        |checked: Result<(), OpError>| checked.map_or_else(Answer::Failed, |()| Answer::Done);
    match op {
        Op::Get(key) => match Data::check_key(&key, limits) {
            Ok(()) => Answer::Value(data.dict.get(&key).copied()),
            Err(why) => Answer::Failed(why),
        },
        Op::Set(key, value) => done(data.room_for(&key, limits).map(|()| {
            data.dict.insert(key, value);
        })),
        Op::Add(key, delta) => {
            if let Err(why) = data.room_for(&key, limits) {
                return Answer::Failed(why);
            }
            let value = data.dict.get(&key).copied().unwrap_or(0);
            match value.checked_add(delta) {
                Some(sum) => {
                    data.dict.insert(key, sum);
                    Answer::Value(Some(sum))
                }
                None => Answer::Failed(OpError::Overflow { key, value, delta }),
            }
        }
        Op::Update(pairs) => done(data.room_for_all(&pairs, limits).map(|()| {
            data.dict.extend(pairs);
        })),
        Op::Len => Answer::Len(data.dict.len()),
        Op::Items => {
            let mut items: Vec<_> = data.dict.iter().map(|(k, v)| (k.clone(), *v)).collect();
            items.sort_unstable();
            Answer::Items(items)
        }
        Op::Append(_) if data.list.len() >= limits.list_items => {
            Answer::Failed(OpError::ListFull {
                limit: limits.list_items,
            })
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

/// What every connection thread of the server shares.
struct Shared {
    data: Mutex<Data>,
    limits: Limits,
    /// Connections being served now.
    connections: AtomicUsize,
    /// Operations applied so far, and the test hook's count (see [`DIES_AFTER_VAR`]).
    applied: AtomicUsize,
    dies_after: Option<usize>,
}

impl Shared {
    fn applied(&self, ops: usize) {
        let total = self.applied.fetch_add(ops, Ordering::Relaxed) + ops;
        if self.dies_after.is_some_and(|n| total >= n) {
            die();
        }
    }
}

/// The test hook's death: `SIGKILL` to itself, as if killed from outside.
fn die() -> ! {
    let _ = crate::signal::send(std::process::id(), crate::signal::KILL);
    loop {
        thread::sleep(Duration::from_secs(1));
    }
}

/// A connection's place among [`Limits::connections`]; freed when its thread ends, however.
struct Place(Arc<Shared>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What one packet at the door asked for.
enum Knock {
    Hello {
        authkey: Vec<u8>,
        requests: OwnedFd,
        replies: OwnedFd,
    },
    Shutdown {
        authkey: Vec<u8>,
    },
}

/// Reads one door packet: a hello with exactly its two channel ends, or a shutdown with none.
/// Anything else is `None`, and dropping the packet closes whatever descriptors it carried.
// ANCHOR: knock
fn knock(packet: Packet) -> Option<Knock> {
    let data = packet.whole_message()?.to_vec();
    // Deserialized into a type without channel ends, so no index is ever looked up.
    let wire = IpcMessage::from_data(data).to::<DoorWire>().ok()?;
    let sockets = packet.fds.iter().all(raw::is_socket);
    match (wire, <[OwnedFd; 2]>::try_from(packet.fds)) {
        (
            DoorWire::Hello {
                authkey,
                requests: 0,
                replies: 1,
            },
            Ok([requests, replies]),
        ) if sockets => Some(Knock::Hello {
            authkey,
            requests,
            replies,
        }),
        (DoorWire::Shutdown { authkey }, Err(fds)) if fds.is_empty() => {
            Some(Knock::Shutdown { authkey })
        }
        _ => None,
    }
}
// ANCHOR_END: knock

/// Opens the door: a socket pair whose receiving end the server reads by hand, and whose sending
/// end becomes an `IpcSender<Door>` through the bridge. The bridge stays open for the clients'
/// reply channels.
fn open_door() -> std::io::Result<(OwnedFd, Bridge<Adopted>, IpcSender<Door>)> {
    let (door_rx, door_tx) = raw::socketpair()?;
    let (bridge, adopted) = Bridge::<Adopted>::open(&ADOPT_DOOR, &[door_tx.as_raw_fd()])?;
    match adopted {
        Adopted::Door(door) => Ok((door_rx, bridge, door)),
        Adopted::Replies(_) => Err(std::io::Error::other("the bridge adopted the wrong end")),
    }
}

// ANCHOR: serve
/// The server process: open the door, then take one packet at a time from it until a shutdown
/// with the key arrives. Nothing a packet holds can stop this loop: a bad one is dropped, a
/// refusal is sent without waiting, a welcome starts the connection's own thread.
fn serve(args: ServerArgs) -> Contents {
    let dies_after = std::env::var(DIES_AFTER_VAR)
        .ok()
        .and_then(|n| n.parse().ok());
    if dies_after == Some(0) {
        die();
    }
    let (door, bridge, door_tx) = match open_door() {
        Ok(opened) => opened,
        Err(err) => {
            let _ = args.opened.send(Err(err.to_string()));
            return Contents::default();
        }
    };
    // The server keeps a sender of its own, so the door never reads as closed: an empty packet
    // is only an empty packet.
    if args.opened.send(Ok(door_tx.clone())).is_err() {
        return Contents::default(); // the parent is gone
    }
    let shared = Arc::new(Shared {
        data: Mutex::new(Data::default()),
        limits: args.limits,
        connections: AtomicUsize::new(0),
        applied: AtomicUsize::new(0),
        dies_after,
    });
    loop {
        let packet = match raw::recv_packet(&door, DOOR_PACKET, 2) {
            Ok(packet) => packet,
            // Out of memory or descriptors for a moment: wait, never give up the door.
            Err(_) => {
                thread::sleep(Duration::from_millis(1));
                continue;
            }
        };
        match knock(packet) {
            Some(Knock::Shutdown { authkey }) if same_key(&authkey, &args.authkey) => break,
            Some(Knock::Hello {
                authkey,
                requests,
                replies,
            }) => {
                if !same_key(&authkey, &args.authkey) {
                    answer_now(&replies, &REFUSED);
                } else if shared.connections.load(Ordering::SeqCst) >= shared.limits.connections {
                    answer_now(&replies, &BUSY);
                } else {
                    welcome(&shared, &bridge, requests, &replies);
                }
            }
            _ => {} // dropped: its descriptors close with it
        }
    }
    drop(door_tx);
    let data = lock(&shared.data);
    Contents {
        dict: data.dict.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        list: data.list.clone(),
    }
}
// ANCHOR_END: serve

/// Sends a one-packet answer without waiting: a peer whose channel is full, or gone, gets none.
fn answer_now(replies: &OwnedFd, reply: &[u8]) {
    let _ = raw::send_packet(replies, &raw::frame(reply), &[], false);
}

/// Takes a keyed client in: its reply channel becomes a typed sender, and its connection gets a
/// place among the limit and a thread of its own.
fn welcome(shared: &Arc<Shared>, bridge: &Bridge<Adopted>, requests: OwnedFd, replies: &OwnedFd) {
    let Ok(Adopted::Replies(replies)) = bridge.cross(&ADOPT_REPLIES, &[replies.as_raw_fd()]) else {
        return;
    };
    shared.connections.fetch_add(1, Ordering::SeqCst);
    let place = Place(Arc::clone(shared));
    // If no thread can be started, the closure is dropped with its place: the count stays right.
    let _ = thread::Builder::new()
        .name("manager-connection".into())
        .spawn(move || serve_connection(&requests, &replies, &place));
}

// ANCHOR: connection
/// One connection: welcome, then a request, an answer, until the client hangs up or sends
/// something it should not. Either way only this thread ends.
fn serve_connection(requests: &OwnedFd, replies: &IpcSender<Reply>, place: &Place) {
    let shared = &place.0;
    if replies.send(Reply::Welcome).is_err() {
        return;
    }
    while let Ok(bytes) = raw::read_message(requests, shared.limits.message_bytes, REST_DEADLINE) {
        // A request holds no channel ends, so deserializing it looks up no descriptor.
        let Ok(request) = IpcMessage::from_data(bytes).to::<Request>() else {
            return;
        };
        let limits = &shared.limits;
        let (reply, ops) = match request {
            Request::One(op) => (Reply::One(apply(&mut lock(&shared.data), limits, op)), 1),
            Request::Batch(ops) => {
                let n = ops.len();
                let mut data = lock(&shared.data);
                let answers = ops.into_iter().map(|op| apply(&mut data, limits, op));
                (Reply::Batch(answers.collect()), n)
            }
        };
        shared.applied(ops);
        if replies.send(reply).is_err() {
            return;
        }
    }
}
// ANCHOR_END: connection

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
        let limits = Limits::default();
        let mut apply = |op| apply(&mut data, &limits, op);
        assert_eq!(apply(Op::Get("a".into())), Answer::Value(None));
        apply(Op::Set("a".into(), 1));
        assert_eq!(apply(Op::Add("a".into(), 4)), Answer::Value(Some(5)));
        assert_eq!(apply(Op::Add("b".into(), 2)), Answer::Value(Some(2)));
        apply(Op::Update(vec![("c".into(), 3), ("a".into(), 0)]));
        assert_eq!(apply(Op::Len), Answer::Len(3));
        assert_eq!(
            apply(Op::Items),
            Answer::Items(vec![("a".into(), 0), ("b".into(), 2), ("c".into(), 3)])
        );
        apply(Op::Append(7));
        apply(Op::Append(8));
        assert_eq!(apply(Op::ListLen), Answer::Len(2));
        assert_eq!(apply(Op::ListItems), Answer::List(vec![7, 8]));
    }

    #[test]
    fn refused_operations_change_nothing() {
        let mut data = Data::default();
        let limits = Limits {
            dict_keys: 2,
            list_items: 1,
            key_bytes: 3,
            ..Limits::default()
        };
        let mut apply = |op| apply(&mut data, &limits, op);
        apply(Op::Set("max".into(), Value::MAX));
        assert!(matches!(
            apply(Op::Add("max".into(), 1)),
            Answer::Failed(OpError::Overflow {
                value: Value::MAX,
                delta: 1,
                ..
            })
        ));
        assert_eq!(
            apply(Op::Get("max".into())),
            Answer::Value(Some(Value::MAX))
        );
        apply(Op::Set("b".into(), 1));
        let full = Answer::Failed(OpError::DictFull { limit: 2 });
        assert_eq!(apply(Op::Set("c".into(), 1)), full);
        assert_eq!(
            apply(Op::Update(vec![("b".into(), 5), ("c".into(), 1)])),
            full
        );
        assert_eq!(apply(Op::Get("b".into())), Answer::Value(Some(1)));
        assert!(matches!(
            apply(Op::Set("long".into(), 1)),
            Answer::Failed(OpError::KeyTooLong { len: 4, limit: 3 })
        ));
        assert_eq!(apply(Op::Append(1)), Answer::Done);
        assert_eq!(
            apply(Op::Append(2)),
            Answer::Failed(OpError::ListFull { limit: 1 })
        );
        assert_eq!(apply(Op::Len), Answer::Len(2));
    }

    #[test]
    fn authkeys_are_random() {
        let (a, b) = (random_authkey().unwrap(), random_authkey().unwrap());
        assert_eq!(a.len(), AUTHKEY_LEN);
        assert_ne!(a, b);
    }

    #[test]
    fn the_replies_built_by_hand_are_what_ipc_channel_reads() {
        let read = |bytes: &[u8]| IpcMessage::from_data(bytes.to_vec()).to::<Reply>().unwrap();
        assert!(matches!(read(&REFUSED), Reply::Refused));
        assert!(matches!(read(&BUSY), Reply::Busy));
    }

    /// A real client's hello, sent by ipc-channel itself, read the way the door reads it.
    #[test]
    fn the_door_reads_what_a_client_sends() {
        let (_bridge, door_rx, door) = {
            let (door_rx, bridge, door) = open_door().unwrap();
            (bridge, door_rx, door)
        };
        let (_requests, server_requests) = ipc::channel::<Request>().unwrap();
        let (server_replies, _replies) = ipc::channel::<Reply>().unwrap();
        let hello = Door::Hello {
            authkey: vec![5; AUTHKEY_LEN],
            requests: server_requests,
            replies: server_replies,
        };
        door.send(hello).unwrap();
        let packet = raw::recv_packet(&door_rx, DOOR_PACKET, 2).unwrap();
        match knock(packet) {
            Some(Knock::Hello { authkey, .. }) => assert_eq!(authkey, vec![5; AUTHKEY_LEN]),
            _ => panic!("the hello was not read"),
        }
        door.send(Door::Shutdown {
            authkey: vec![6; 3],
        })
        .unwrap();
        let packet = raw::recv_packet(&door_rx, DOOR_PACKET, 2).unwrap();
        assert!(matches!(knock(packet), Some(Knock::Shutdown { authkey }) if authkey == [6; 3]));
    }

    #[test]
    fn the_bridge_makes_a_working_reply_channel() {
        let (_door_rx, bridge, _door) = open_door().unwrap();
        // A client's reply channel: it keeps the receiver and sends the server the sender.
        let (replies_tx, replies_rx) = ipc::channel::<Reply>().unwrap();
        let (raw_tx, raw_rx) = raw::socketpair().unwrap();
        let carrier = {
            let (_b, sender) =
                Bridge::<IpcSender<IpcSender<Reply>>>::open(&[0], &[raw_tx.as_raw_fd()]).unwrap();
            sender
        };
        carrier.send(replies_tx).unwrap();
        let mut packet = raw::recv_packet(&raw_rx, 64, 1).unwrap();
        let fd = packet.fds.pop().unwrap();
        match bridge.cross(&ADOPT_REPLIES, &[fd.as_raw_fd()]).unwrap() {
            Adopted::Replies(replies) => replies.send(Reply::Welcome).unwrap(),
            Adopted::Door(_) => panic!("adopted the wrong kind"),
        }
        assert!(matches!(replies_rx.recv().unwrap(), Reply::Welcome));
    }
}
