//! The course's counterpart of Python's `multiprocessing` module: the pieces every process
//! lesson stands on, named after the Python they replace.
//!
//! | Python | here |
//! |---|---|
//! | `Process(target=f, args=(a,))`, `start`, `join`, `exitcode`, `is_alive`, `terminate`, `kill` | [`spawn`], [`Process`], [`Exit`] |
//! | `if __name__ == "__main__":` (the spawn start method's guard) | [`init`] with each [`Task`] |
//! | `Pool`: `map`, `imap_unordered`, `apply_async` with callbacks | [`Pool`] |
//! | `Queue` with `None` sentinels, several consumer processes | [`queue`] |
//! | `Pipe()` | [`pipe`] |
//! | `Manager()`: a server process, a dict and a list behind proxies, an authkey | [`manager`] |
//! | `Value`, `Array`: shared memory | [`shm::Shared`], started together by [`workers`] |
//! | `Value.get_lock()`, `multiprocessing.Lock`, `multiprocessing.Event` | [`shm::ProcessMutex`], [`shm::ProcessEvent`] |
//! | `os.kill(pid, signal.SIGKILL)` | [`signal`] |
//! | `os.cpu_count()` | [`cores`] |
//!
//! [`harness`] is for tests: a runner for test binaries whose children re-execute them.
//!
//! # How a child knows it is a child
//!
//! Python's *spawn* start method launches a fresh interpreter that re-imports the main module and
//! then runs the target function; the `if __name__ == "__main__":` guard keeps the parent's own
//! code from running again in every child. Rust has no module to import, so the toolkit does the
//! same thing with the binary itself: a child is `std::env::current_exe()` started again with a
//! *role* in its environment (which registered function to run, and where to report). The guard
//! becomes one call at the top of `main`:
//!
//! ```no_run
//! use multiproc::{Task, init, spawn};
//!
//! fn shout(word: String) -> String {
//!     word.to_uppercase()
//! }
//! static SHOUT: Task<String, String> = Task::new("shout", shout);
//!
//! fn main() {
//!     init(&[&SHOUT]); // in a child this runs `shout` and never returns
//!     let mut child = spawn(&SHOUT, "hello".to_string()).unwrap();
//!     child.join().unwrap();
//!     assert_eq!(child.take_result().as_deref(), Some("HELLO"));
//! }
//! ```
//!
//! Arguments and results are serde types sent over [`ipc_channel`]; a function is chosen by the
//! name it was registered under, never sent itself, so closures cannot cross (see the
//! `serialization` lesson).
//!
//! # Map of the code
//!
//! * this file: [`Task`], [`init`] (the role check) and the wire protocol;
//! * `process.rs`: starting a child and connecting to it without hanging, and [`Process`];
//! * `child.rs`: the child's side, its job loop and the lifeline watchdog;
//! * `pool.rs`: [`Pool`], its per-worker writer and supervisor threads;
//! * `exit.rs`: [`Exit`], how a process ended;
//! * `queue.rs`, `pipe.rs`, `manager.rs`: message passing between processes;
//! * `shm.rs`, `workers.rs`: shared memory, the cross-process lock and event, and starting
//!   workers on one segment;
//! * `signal.rs`, `harness.rs`: signals, and the test runner.
//!
//! The book includes the key pieces through `ANCHOR` comments and walks through them in its part
//! "Inside the toolkit".
//!
//! # What can cross a process boundary
//!
//! Values of serde types cross: they are serialized, sent, and rebuilt in the other process.
//! Code cannot. Python finds out at run time (`Can't pickle <function <lambda> ...>`); Rust
//! refuses to compile. A boxed closure is not a serde type:
//!
// ANCHOR: closure_arg
//! ```compile_fail,E0277
//! use multiproc::{Task, spawn};
//!
//! fn apply(f: Box<dyn Fn(u64) -> u64>) -> u64 {
//!     f(21)
//! }
//! static APPLY: Task<Box<dyn Fn(u64) -> u64>, u64> = Task::new("apply", apply);
//!
//! let child = spawn(&APPLY, Box::new(|x| x * 2));
//! // error[E0277]: the trait bound `dyn Fn(u64) -> u64: serde::Serialize` is not satisfied
//! //   the trait `serde_core::ser::Serialize` is not implemented for `dyn Fn(u64) -> u64`
//! //   note: required for `Box<dyn Fn(u64) -> u64>` to implement `serde_core::ser::Serialize`
//! ```
// ANCHOR_END: closure_arg
//!
//! and a task must be a plain `fn`, found by name in the child, so a closure that captures
//! anything cannot be registered:
//!
// ANCHOR: closure_task
//! ```compile_fail,E0308
//! use multiproc::Task;
//!
//! let factor = 3;
//! let triple: Task<u64, u64> = Task::new("triple", move |x| x * factor);
//! // error[E0308]: mismatched types
//! //   expected fn pointer, found closure
//! //   note: closures can only be coerced to `fn` types if they do not capture any variables
//! ```
// ANCHOR_END: closure_task
//!
//! # What the toolkit guarantees
//!
//! * Starting a child never hangs: if it dies or stalls before it connects, `spawn` returns an
//!   error (see [`spawn`]).
//! * No orphans: a child exits on its own within milliseconds once its parent is gone, even if the
//!   parent was killed with `SIGKILL` (see [`child`]).
//! * No zombies: every handle reaps its process, on `join` or when dropped.
//! * A pool survives its workers: a worker that panics, aborts or is killed costs exactly the task
//!   it was running; a replacement starts and every other task completes (see [`Pool`]).

// ANCHOR: role
/// The environment variable that marks a process as a child and names the task it runs.
pub const ROLE_VAR: &str = "MULTIPROC_TASK";
/// The environment variable holding the name of the parent's one-shot IPC server.
pub const SERVER_VAR: &str = "MULTIPROC_SERVER";
// ANCHOR_END: role

pub mod child;
mod exit;
pub mod harness;
pub mod manager;
pub mod pipe;
mod pool;
mod process;
pub mod queue;
pub mod shm;
pub mod signal;
pub mod socket;
pub mod workers;

pub use exit::{Exit, signal_name};
pub use pool::{AsyncResult, ImapUnordered, Pool, PoolOptions, TaskError};
pub use process::{Process, SpawnError, SpawnOptions, spawn, spawn_with};

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::OnceLock;

/// A function a child process can run, and the name it is found by.
///
/// Declare one as a `static` next to the function, pass it to [`init`] at the top of `main`, and
/// hand it to [`spawn`] or [`Pool::new`]. `A` and `R` cross the process boundary, so both must be
/// serde types; a pool additionally wants `R = Result<Out, String>`.
// ANCHOR: task
pub struct Task<A, R> {
    name: &'static str,
    run: fn(A) -> R,
}

impl<A, R> Task<A, R> {
    pub const fn new(name: &'static str, run: fn(A) -> R) -> Self {
        Self { name, run }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }
}
// ANCHOR_END: task

// By hand: a derive would demand `A: Copy` and `R: Copy`, but only a name and a pointer are copied.
impl<A, R> Clone for Task<A, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A, R> Copy for Task<A, R> {}

impl<A, R> fmt::Debug for Task<A, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task").field("name", &self.name).finish()
    }
}

/// What [`init`] needs from a [`Task`] without knowing its argument and result types.
pub trait Registered: Sync {
    fn name(&self) -> &'static str;
    /// Runs this process as a child serving this task; never returns.
    fn serve(&self) -> !;
}

impl<A, R> Registered for Task<A, R>
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn serve(&self) -> ! {
        child::serve(self.name, self.run)
    }
}

static REGISTERED: OnceLock<Vec<&'static str>> = OnceLock::new();

/// The guard at the top of `main`: in the parent it records which tasks exist and returns; in a
/// child (started by [`spawn`] or a [`Pool`]) it runs the requested task and **never returns**.
///
/// Call it first thing: whatever `main` does before this line runs again in every child, just as
/// module-level code does under Python's spawn start method.
///
/// # Panics
///
/// If two tasks share a name (a programming error that would send work to the wrong function).
// ANCHOR: init
pub fn init(tasks: &[&'static dyn Registered]) {
    quiet_on_closed_stdout();
    let mut names: Vec<&'static str> = tasks.iter().map(|t| t.name()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        panic!("two tasks are registered as {:?}", w[0]);
    }
    // Before serving: a child's task may start children of its own.
    let _ = REGISTERED.set(names);
    if let Ok(wanted) = std::env::var(ROLE_VAR) {
        match tasks.iter().find(|t| t.name() == wanted) {
            Some(task) => task.serve(),
            None => {
                eprintln!("child: no task named {wanted:?} was passed to init");
                std::process::exit(child::BOOTSTRAP_FAILED)
            }
        }
    }
}
// ANCHOR_END: init

/// Makes a closed stdout (`cargo run ... | head -1`) end the program quietly, in the parent and in
/// every child, as command-line tools end, instead of with a panic message and a backtrace.
///
/// Rust ignores `SIGPIPE`, so writing to a closed pipe is an error, and `println!` panics on it.
/// This panic hook stays silent for that panic, and for every panic after it: what follows (a
/// thread's `join` that finds its worker gone, a child's task that failed to print) is the same
/// closed pipe seen again, and nobody is reading anyway. Any other panic goes to the default hook.
/// The panic still unwinds, so destructors run: children are reaped, shared-memory names
/// unlinked, as on any other way out. [`init`] installs it; `lesson::parse_args` too.
pub fn quiet_on_closed_stdout() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("");
            let closed =
                message.starts_with("failed printing to stdout") && message.contains("Broken pipe");
            if closed {
                STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::SeqCst);
            } else if !STDOUT_CLOSED.load(std::sync::atomic::Ordering::SeqCst) {
                default(info);
            }
        }));
    });
}

fn is_registered(name: &str) -> bool {
    REGISTERED
        .get()
        .is_some_and(|names| names.binary_search(&name).is_ok())
}

/// Available cores: the default pool size, like Python's `os.cpu_count()`.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The wire protocol between a parent and one child. `Hello` is the child's first message; each
/// `Job` carries one chunk of arguments and is answered by one `Done` (or a `Panicked`, after
/// which the child exits).
mod wire {
    use ipc_channel::ipc::OpaqueIpcSender;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    pub struct Job<A> {
        pub id: u64,
        pub args: Vec<A>,
    }

    #[derive(Serialize, Deserialize)]
    pub enum Reply<R> {
        /// The child's inbox, an `IpcSender<Job<A>>` (opaque so that `Reply` need not know `A`).
        Hello {
            inbox: OpaqueIpcSender,
            pid: u32,
        },
        Done {
            id: u64,
            results: Vec<R>,
        },
        Panicked {
            id: u64,
            message: String,
        },
    }
}
