//! The request/response service both pipe lessons talk to (`pipe` and `pipe_closed`): a child
//! process that answers requests on its end of a [`multiproc::pipe`] until it is told goodbye, its
//! parent hangs up, or it is asked to crash.

use multiproc::pipe::{End, pipe};
use multiproc::{Process, Task, spawn};
use serde::{Deserialize, Serialize};
use std::time::Duration;

// ANCHOR: protocol
/// What the parent asks.
#[derive(Debug, Serialize, Deserialize)]
pub enum Request {
    Square(u64),
    Upper(String),
    /// Die at once, as a crash would (`abort`): no goodbye, no answer.
    Crash,
    Bye,
}

/// What the child answers.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    Square(u64),
    Upper(String),
    /// The answer to `Bye`: how many requests were served.
    Bye(u64),
}

/// The child: answer requests until `Bye`, or until the parent's end closes.
fn serve(end: End<Response, Request>) -> u64 {
    let dies_after = crate::hook::child_dies_after(); // `None` outside the tests
    let mut served = 0;
    while let Ok(request) = end.recv() {
        if dies_after == Some(served) {
            crate::hook::die();
        }
        let response = match request {
            Request::Square(x) => Response::Square(x * x),
            Request::Upper(word) => Response::Upper(word.to_uppercase()),
            Request::Crash => std::process::abort(),
            Request::Bye => {
                let _ = end.send(Response::Bye(served));
                break;
            }
        };
        if end.send(response).is_err() {
            break;
        }
        served += 1;
    }
    served // `recv` failed: the parent hung up, so there is nobody left to serve
}

/// The child's task; pass it to `multiproc::init`. Its result is how many requests it served.
pub static SERVE: Task<End<Response, Request>, u64> = Task::new("serve", serve);
// ANCHOR_END: protocol

/// The parent's end of the pipe.
pub type Parent = End<Request, Response>;

/// How long the parent waits for an answer, or for the child to exit, before it gives up: only a
/// backstop for a child that stalls without dying; a closed end is reported at once.
pub const WAIT: Duration = Duration::from_secs(5);

/// A fresh pipe and a child serving its far end (the child's end is its task argument).
pub fn start() -> lesson::Result<(Parent, Process<u64>)> {
    let (parent, child_end) = pipe::<Request, Response>()?;
    let child = spawn(&SERVE, child_end)?;
    Ok((parent, child))
}
