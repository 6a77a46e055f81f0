//! The child's side: connect to the parent, run jobs until told to stop, and never outlive the
//! parent.
//!
//! # The lifeline
//!
//! A process whose parent dies is not ended by the kernel: it is re-parented and runs on, an
//! *orphan*. Linux's `PR_SET_PDEATHSIG` looks like the cure but fires when the *thread* that
//! spawned the child exits, not the process, so a pool that starts a replacement worker from a
//! helper thread would kill it as soon as that thread finished. The toolkit uses a portable signal
//! instead: every child's stdin is the read end of a pipe whose write end only its parent holds
//! (std creates pipes close-on-exec, so sibling processes never inherit it). The kernel closes that
//! end however the parent dies, even by `SIGKILL`; a watchdog thread in the child, blocked reading
//! stdin, then sees end-of-file and ends the process at once.

use crate::wire::{Job, Reply};
use ipc_channel::ipc::{self, IpcSender};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};

/// Exit code of a child whose parent went away (its lifeline closed).
pub const ORPHANED: i32 = 97;
/// Exit code of a child that could not connect to its parent or was asked for an unknown task.
pub const BOOTSTRAP_FAILED: i32 = 98;
/// Test hook: a child started with this variable (milliseconds) waits that long before it connects
/// back, which gives a test time to try the start-up socket first.
pub const START_DELAY_VAR: &str = "MULTIPROC_TEST_START_DELAY_MS";
/// Exit code of a child whose task panicked: the same code an uncaught Rust panic gives.
pub const PANICKED: i32 = 101;

// ANCHOR: lifeline
/// Starts the thread that ends this process once the parent's end of the stdin pipe closes.
fn watch_lifeline() {
    std::thread::spawn(|| {
        let mut stdin = std::io::stdin().lock();
        let mut buf = [0u8; 64];
        // The parent never writes; `read` returns 0 (end of file) or an error only when the
        // parent's end is closed, which happens whenever the parent exits, however it exits.
        while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
        // SAFETY: `_exit` ends the process immediately, without running atexit handlers or
        // destructors that might wait on locks held by the main thread; it has no preconditions.
        unsafe { libc::_exit(ORPHANED) }
    });
}
// ANCHOR_END: lifeline

/// Serves `run` to the parent named in the environment, then exits. Called by [`crate::init`].
// ANCHOR: serve
pub(crate) fn serve<A, R>(name: &str, run: fn(A) -> R) -> !
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned,
{
    watch_lifeline();
    if let Some(delay) = std::env::var(START_DELAY_VAR)
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(delay));
    }
    let connected = std::env::var(crate::SERVER_VAR)
        .map_err(|e| e.to_string())
        .and_then(|server| IpcSender::<Reply<R>>::connect(server).map_err(|e| e.to_string()));
    let (replies, inbox) = match connected.and_then(|replies| {
        let (inbox_tx, inbox) = ipc::channel::<Job<A>>().map_err(|e| e.to_string())?;
        let hello = Reply::Hello {
            inbox: inbox_tx.to_opaque(),
            pid: std::process::id(),
        };
        replies.send(hello).map_err(|e| e.to_string())?;
        Ok((replies, inbox))
    }) {
        Ok(pair) => pair,
        Err(err) => {
            eprintln!("child {name}: cannot reach the parent: {err}");
            std::process::exit(BOOTSTRAP_FAILED)
        }
    };
    // One job after another until the parent drops its sender (or dies): then exit cleanly.
    while let Ok(Job { id, args }) = inbox.recv() {
        let mut results = Vec::with_capacity(args.len());
        for arg in args {
            match panic::catch_unwind(AssertUnwindSafe(|| run(arg))) {
                Ok(result) => results.push(result),
                Err(payload) => {
                    // The panic message is already on stderr (the default hook printed it); send
                    // it to the parent too, then die as an uncaught panic would.
                    let message = panic_message(payload.as_ref());
                    let _ = replies.send(Reply::Panicked { id, message });
                    std::process::exit(PANICKED)
                }
            }
        }
        if replies.send(Reply::Done { id, results }).is_err() {
            break; // the parent is gone
        }
    }
    std::process::exit(0)
}
// ANCHOR_END: serve

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}
