//! The parent's side: start a child that re-runs this binary, connect to it without ever hanging,
//! and a [`Process`] handle to wait for it, signal it and read what it returned.

use crate::socket::StartSocket;
use crate::wire::{Job, Reply};
use crate::{Exit, ROLE_VAR, SERVER_VAR, Task};
use ipc_channel::TryRecvError;
use ipc_channel::ipc::{IpcOneShotServer, IpcReceiver, IpcSender};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::{self, PipeWriter};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};
use std::{error, fmt};

/// Why a child could not be started.
#[derive(Debug)]
pub enum SpawnError {
    /// The task was not passed to [`crate::init`] (or `init` was never called).
    NotRegistered(&'static str),
    /// The operating system refused: no executable, no pipe, too many processes...
    Io(io::Error),
    /// The child ended before it connected back (a crash at start-up, say).
    ExitedBeforeConnecting(Exit),
    /// The child neither connected nor exited within [`SpawnOptions::start_timeout`]; it was
    /// killed.
    StartTimeout(Duration),
    /// The child connected but said something unexpected.
    Protocol(String),
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpawnError::NotRegistered(name) => write!(
                f,
                "task {name:?} is not registered: pass it to multiproc::init at the top of main"
            ),
            SpawnError::Io(err) => write!(f, "cannot start the child: {err}"),
            SpawnError::ExitedBeforeConnecting(exit) => {
                write!(f, "the child ended before connecting ({exit})")
            }
            SpawnError::StartTimeout(t) => write!(f, "the child did not connect within {t:?}"),
            SpawnError::Protocol(what) => write!(f, "the child broke the protocol: {what}"),
        }
    }
}

impl error::Error for SpawnError {}

impl From<io::Error> for SpawnError {
    fn from(err: io::Error) -> Self {
        SpawnError::Io(err)
    }
}

/// How to start a child.
#[derive(Debug, Clone)]
pub struct SpawnOptions {
    /// How long a child may take to connect back before it is killed and `spawn` fails.
    pub start_timeout: Duration,
    /// Extra environment variables for the child.
    pub env: Vec<(String, String)>,
}

impl Default for SpawnOptions {
    fn default() -> Self {
        Self {
            start_timeout: Duration::from_secs(10),
            env: Vec::new(),
        }
    }
}

/// A child that has started and connected: the pieces a [`Process`] or a pool worker owns.
pub(crate) struct Connected<A, R> {
    pub child: Child,
    pub pid: u32,
    /// The write end of the child's stdin. Never written; dropping it tells the child to exit.
    pub lifeline: PipeWriter,
    pub inbox: IpcSender<Job<A>>,
    pub replies: IpcReceiver<Reply<R>>,
}

type Accepted<R> = Result<(IpcReceiver<Reply<R>>, Reply<R>), ipc_channel::IpcError>;

/// Starts `task` in a child process and waits until it has connected back.
// ANCHOR: start
pub(crate) fn start<A, R>(
    task: &Task<A, R>,
    options: &SpawnOptions,
) -> Result<Connected<A, R>, SpawnError>
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    if !crate::is_registered(task.name()) {
        return Err(SpawnError::NotRegistered(task.name()));
    }
    let StartSocket {
        server,
        path: server_name,
        dir: socket_dir,
    } = StartSocket::<Reply<R>>::new()?;
    let (lifeline_read, lifeline) = io::pipe()?;
    let mut command = Command::new(std::env::current_exe()?);
    command
        .env(ROLE_VAR, task.name())
        .env(SERVER_VAR, &server_name)
        .envs(options.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::from(lifeline_read));
    let mut child = command.spawn()?;
    drop(command); // closes our copy of the pipe's read end
    let pid = child.id();
    let hello = match accept_watching(server, &server_name, &mut child, options.start_timeout) {
        Ok((replies, Reply::Hello { inbox, pid: said })) if said == pid => {
            Ok((replies, inbox.to::<Job<A>>()))
        }
        Ok(_) => Err(SpawnError::Protocol("first message was not Hello".into())),
        Err(err) => Err(err),
    };
    drop(socket_dir); // connected or not, the name has served its purpose
    match hello {
        Ok((replies, inbox)) => Ok(Connected {
            child,
            pid,
            lifeline,
            inbox,
            replies,
        }),
        Err(err) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(err)
        }
    }
}
// ANCHOR_END: start

/// How long a failed start waits for the accepting thread to let go.
const LATE_ACCEPT: Duration = Duration::from_millis(200);

// ANCHOR: accept
/// Waits for the child to connect back, but not forever. `accept` blocks until someone connects,
/// forever if the child dies first (ipc-channel issue #201), so it runs on a helper thread while
/// this one watches the child and the clock. To give up, this thread connects to the server
/// itself and hangs up at once: the helper's `accept` returns, and no thread is left behind.
fn accept_watching<R>(
    server: IpcOneShotServer<Reply<R>>,
    server_name: &str,
    child: &mut Child,
    timeout: Duration,
) -> Result<(IpcReceiver<Reply<R>>, Reply<R>), SpawnError>
where
    R: Serialize + DeserializeOwned + Send + 'static,
{
    let (accepted_tx, accepted) = mpsc::channel::<Accepted<R>>();
    let acceptor = thread::spawn(move || {
        let _ = accepted_tx.send(server.accept());
    });
    let deadline = Instant::now() + timeout;
    let failure = loop {
        match accepted.recv_timeout(Duration::from_millis(2)) {
            Ok(outcome) => {
                let _ = acceptor.join();
                return outcome.map_err(|err| SpawnError::Protocol(err.to_string()));
            }
            Err(RecvTimeoutError::Disconnected) => {
                break SpawnError::Protocol("the accepting thread died".into());
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        match child.try_wait() {
            Ok(Some(status)) => {
                break SpawnError::ExitedBeforeConnecting(Exit::from_status(status));
            }
            Ok(None) if Instant::now() > deadline => break SpawnError::StartTimeout(timeout),
            Ok(None) => {}
            Err(err) => break SpawnError::Io(err),
        }
    };
    drop(IpcSender::<Reply<R>>::connect(server_name.to_string()));
    // If `accept` took a connection that never speaks (not our child: something else that
    // connected first), the helper stays blocked in its first `recv`. It is left behind, detached,
    // rather than allowed to hold this spawn past its deadline.
    match (accepted.recv_timeout(LATE_ACCEPT), failure) {
        // It connected just before it ended: what it sent is still there to read.
        (Ok(Ok(accepted)), SpawnError::ExitedBeforeConnecting(_)) => Ok(accepted),
        (_, failure) => Err(failure),
    }
}
// ANCHOR_END: accept

/// Starts `task(arg)` in a new child process, like Python's `Process(target=task, args=(arg,))`
/// followed by `start()`. Returns once the child is running and has been handed `arg`.
///
/// ```no_run
/// # use multiproc::{Task, spawn};
/// # fn double(x: u64) -> u64 { 2 * x }
/// # static DOUBLE: Task<u64, u64> = Task::new("double", double);
/// let mut child = spawn(&DOUBLE, 21).unwrap();
/// println!("started {}", child.pid());
/// let exit = child.join().unwrap();
/// assert_eq!(exit.exitcode(), 0);
/// assert_eq!(child.take_result(), Some(42));
/// ```
pub fn spawn<A, R>(task: &'static Task<A, R>, arg: A) -> Result<Process<R>, SpawnError>
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    spawn_with(task, arg, &SpawnOptions::default())
}

/// [`spawn`] with explicit [`SpawnOptions`].
pub fn spawn_with<A, R>(
    task: &'static Task<A, R>,
    arg: A,
    options: &SpawnOptions,
) -> Result<Process<R>, SpawnError>
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    let started = start(task, options)?;
    // One job, then hang up: the child runs it, replies, sees the inbox close and exits 0. If the
    // child already died the send fails, and `join` will say how it ended.
    let _ = started.inbox.send(Job {
        id: 0,
        args: vec![arg],
    });
    drop(started.inbox);
    Ok(Process {
        child: started.child,
        pid: started.pid,
        lifeline: Some(started.lifeline),
        replies: Some(started.replies),
        result: None,
        panic_message: None,
        exit: None,
    })
}

/// A running (or finished) child process, like Python's `multiprocessing.Process`.
///
/// Dropping a handle whose child still runs closes the child's lifeline, so it exits within
/// milliseconds; the handle then reaps it (after a `SIGKILL` if it takes longer than a second).
// ANCHOR: process
pub struct Process<R> {
    child: Child,
    pid: u32,
    lifeline: Option<PipeWriter>,
    replies: Option<IpcReceiver<Reply<R>>>,
    result: Option<R>,
    panic_message: Option<String>,
    exit: Option<Exit>,
}
// ANCHOR_END: process

impl<R> fmt::Debug for Process<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Process")
            .field("pid", &self.pid)
            .field("exit", &self.exit)
            .finish()
    }
}

impl<R: Serialize + DeserializeOwned> Process<R> {
    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Waits for the child to end and says how it did. While waiting it keeps reading what the
    /// child sends, so a child with a large result can never block on a full pipe while its
    /// parent waits for it to exit (the deadlock the `join_deadlock` lesson shows).
    // ANCHOR: join
    pub fn join(&mut self) -> io::Result<Exit> {
        loop {
            if let Some(exit) = self.join_timeout(Duration::from_secs(3600))? {
                return Ok(exit);
            }
        }
    }

    /// Like [`Process::join`], but gives up after `timeout` and returns `None` if the child still
    /// runs (Python's `join(timeout)`, after which one checks `exitcode`).
    pub fn join_timeout(&mut self, timeout: Duration) -> io::Result<Option<Exit>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(exit) = self.exit {
                return Ok(Some(exit));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if let Some(replies) = &self.replies {
                // Returns as soon as a reply arrives or the child hangs up (exits).
                match replies.try_recv_timeout(left.min(Duration::from_millis(50))) {
                    Ok(reply) => self.keep(reply),
                    Err(TryRecvError::Empty) => {}
                    Err(TryRecvError::IpcError(_)) => self.replies = None,
                }
            } else if !left.is_zero() {
                thread::sleep(left.min(Duration::from_millis(5)));
            }
            if let Some(status) = self.child.try_wait()? {
                self.drain_ready();
                self.exit = Some(Exit::from_status(status));
                self.lifeline = None;
            } else if left.is_zero() {
                return Ok(None);
            }
        }
    }
    // ANCHOR_END: join

    /// True until the child has ended (and been reaped).
    pub fn is_alive(&mut self) -> bool {
        matches!(self.join_timeout(Duration::ZERO), Ok(None))
    }

    /// How the child ended, if it has been seen to end (by `join`, `join_timeout` or `is_alive`).
    pub fn exit(&self) -> Option<Exit> {
        self.exit
    }

    /// Sends `SIGTERM`, Python's `terminate()`. A no-op once the child has been reaped.
    pub fn terminate(&self) -> io::Result<()> {
        self.signal(libc::SIGTERM)
    }

    /// Sends `SIGKILL`, Python's `kill()`: the child cannot catch or ignore it.
    pub fn kill(&self) -> io::Result<()> {
        self.signal(libc::SIGKILL)
    }

    fn signal(&self, signal: i32) -> io::Result<()> {
        if self.exit.is_some() {
            return Ok(()); // reaped: its PID may already belong to someone else
        }
        crate::signal::send(self.pid, signal)
    }

    /// What the task returned, once (the child must have returned normally).
    pub fn take_result(&mut self) -> Option<R> {
        self.drain_ready();
        self.result.take()
    }

    /// The message of the panic that ended the child's task, if it panicked.
    pub fn panic_message(&mut self) -> Option<&str> {
        self.drain_ready();
        self.panic_message.as_deref()
    }

    fn keep(&mut self, reply: Reply<R>) {
        match reply {
            Reply::Done { results, .. } => self.result = results.into_iter().next(),
            Reply::Panicked { message, .. } => self.panic_message = Some(message),
            Reply::Hello { .. } => {}
        }
    }

    fn drain_ready(&mut self) {
        while let Some(replies) = &self.replies {
            match replies.try_recv() {
                Ok(reply) => self.keep(reply),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::IpcError(_)) => self.replies = None,
            }
        }
    }
}

impl<R> Drop for Process<R> {
    fn drop(&mut self) {
        if self.exit.is_some() {
            return;
        }
        reap(&mut self.child, self.lifeline.take());
    }
}

/// Closes a child's lifeline and waits for it to exit, with `SIGKILL` after a second.
pub(crate) fn reap(child: &mut Child, lifeline: Option<PipeWriter>) -> Option<Exit> {
    drop(lifeline);
    let deadline = Instant::now() + Duration::from_secs(1);
    while Instant::now() < deadline {
        match child.try_wait() {
            Ok(Some(status)) => return Some(Exit::from_status(status)),
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(_) => break,
        }
    }
    let _ = child.kill();
    child.wait().ok().map(Exit::from_status)
}
