//! Exercise: give the manager's dict proxy a `pop(key)`, like Python's `shared_dict.pop(key)`: the
//! proxy sends one message, the server removes the key and answers with the value it held.
//! Lesson: `manager_dict`. Hints: `cargo run -p exercises --bin course -- hint manager_pop`.
//! Check: `cargo run -p exercises --bin course -- check manager_pop`
//!
//! This is the `manager_dict` lesson's manager cut down to one client and a dict: a server
//! process that owns a `HashMap`, and a proxy whose every method is one request and one reply.

use multiproc::{Process, Task, spawn};
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub type Value = i64;

/// The server's final contents, sorted by key: what its process returns.
pub type Items = Vec<(String, Value)>;

/// What the proxy asks the server, one message per proxy call (`Pop` included: the exercise
/// writes what each end does with it).
#[derive(Debug, Serialize, Deserialize)]
pub enum Op {
    Get(String),
    Set(String, Value),
    Len,
    /// Remove the key and answer with the value it held, if any.
    Pop(String),
}

/// What the server answers.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Value(Option<Value>),
    Len(usize),
    Done,
}

/// The server's side of one operation.
fn apply(dict: &mut HashMap<String, Value>, op: Op) -> Answer {
    match op {
        Op::Get(key) => Answer::Value(dict.get(&key).copied()),
        Op::Set(key, value) => {
            dict.insert(key, value);
            Answer::Done
        }
        Op::Len => Answer::Len(dict.len()),
        // TODO: the server's side: what must change in `dict`, and what does the client need to
        //       hear back? Look at what the other arms answer.
        Op::Pop(key) => todo!("the server side of pop"),
    }
}

/// The server process's end of the connection.
#[derive(Debug, Serialize, Deserialize)]
pub struct ServerEnd {
    requests: IpcReceiver<Op>,
    replies: IpcSender<Answer>,
}

/// The server process: answer each request in order until the proxy hangs up; return the dict.
fn serve(end: ServerEnd) -> Items {
    let mut dict = HashMap::new();
    while let Ok(op) = end.requests.recv() {
        if end.replies.send(apply(&mut dict, op)).is_err() {
            break;
        }
    }
    let mut items: Vec<_> = dict.into_iter().collect();
    items.sort();
    items
}

/// Pass it to `multiproc::init`.
pub static SERVER: Task<ServerEnd, Items> = Task::new("manager_pop_server", serve);

/// The client's handle on the server's dict.
#[derive(Debug)]
pub struct DictProxy {
    requests: IpcSender<Op>,
    replies: IpcReceiver<Answer>,
}

impl DictProxy {
    /// Starts a server process and returns it with a proxy connected to it. Dropping the proxy
    /// ends the server, which then returns its final contents.
    pub fn start() -> Result<(Process<Items>, DictProxy), String> {
        let (requests, server_requests) = ipc::channel().map_err(|e| e.to_string())?;
        let (server_replies, replies) = ipc::channel().map_err(|e| e.to_string())?;
        let end = ServerEnd {
            requests: server_requests,
            replies: server_replies,
        };
        let server = spawn(&SERVER, end).map_err(|e| e.to_string())?;
        Ok((server, DictProxy { requests, replies }))
    }

    fn call(&self, op: Op) -> Result<Answer, String> {
        self.requests.send(op).map_err(|e| e.to_string())?;
        self.replies.recv().map_err(|e| format!("{e:?}"))
    }

    pub fn get(&self, key: &str) -> Result<Option<Value>, String> {
        match self.call(Op::Get(key.to_string()))? {
            Answer::Value(v) => Ok(v),
            other => Err(format!("unexpected answer {other:?}")),
        }
    }

    pub fn set(&self, key: &str, value: Value) -> Result<(), String> {
        self.call(Op::Set(key.to_string(), value)).map(drop)
    }

    pub fn len(&self) -> Result<usize, String> {
        match self.call(Op::Len)? {
            Answer::Len(n) => Ok(n),
            other => Err(format!("unexpected answer {other:?}")),
        }
    }

    pub fn is_empty(&self) -> Result<bool, String> {
        self.len().map(|n| n == 0)
    }

    /// Removes `key` from the server's dict and returns the value it held (`None` if absent).
    pub fn pop(&self, key: &str) -> Result<Option<Value>, String> {
        // TODO: the client's side: one request, one answer. Why must the remove and the read of
        //       the old value be ONE request, not a `get` and then a delete?
        todo!("the client side of pop")
    }
}
