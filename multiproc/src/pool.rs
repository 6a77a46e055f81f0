//! A pool of worker processes, like Python's `multiprocessing.Pool`, that survives its workers.
//!
//! Each worker slot has two threads in the parent: a *writer* that feeds the worker jobs from the
//! shared queue, at most `max_in_flight` at a time, and a *supervisor* that reads the worker's
//! replies, delivers them, and replaces the worker when it dies. Two threads, because a single one
//! could block sending a large job to a worker that is itself blocked sending a large reply
//! nobody reads. The bound matters too: ipc-channel's `send` blocks once about 278 messages sit
//! unread on Linux (ipc-channel issue #275), whatever its README says about being unbounded.
//! One shortcut: when a worker is idle and nothing is queued, the submitting thread sends the job
//! itself, which saves a thread wake-up on every blocking round trip (`apply`).
//!
//! When a worker dies mid-task (a panic, an abort, a `SIGKILL`), the task at the head of its
//! in-flight queue gets an error, the tasks behind it go back to the front of the shared queue,
//! and a new worker takes the slot. Python's `Pool` instead waits forever for the lost task
//! (bpo-22393).

use crate::process::{Connected, SpawnError, SpawnOptions, reap, start};
use crate::wire::{Job, Reply};
use crate::{Exit, Task};
use ipc_channel::ipc::IpcSender;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, mpsc};
use std::thread::{self, JoinHandle};
use std::{error, fmt};

/// Why a pool task has no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskError {
    /// The task ran and returned `Err(message)`.
    Failed(String),
    /// The task panicked; its worker exited and was replaced.
    Panicked(String),
    /// The worker died while this task was at the head of its queue (killed, aborted, exited).
    WorkerDied { pid: u32, exit: Option<Exit> },
    /// The pool was closed or terminated before the task ran.
    NotRunning,
    /// No worker could be started to run the task.
    NoWorkers(String),
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Failed(message) => write!(f, "task failed: {message}"),
            TaskError::Panicked(message) => write!(f, "task panicked: {message}"),
            TaskError::WorkerDied {
                pid,
                exit: Some(exit),
            } => {
                write!(f, "worker {pid} died running the task ({exit})")
            }
            TaskError::WorkerDied { pid, exit: None } => {
                write!(f, "worker {pid} died running the task")
            }
            TaskError::NotRunning => write!(f, "the pool was closed or terminated"),
            TaskError::NoWorkers(why) => write!(f, "no worker could be started: {why}"),
        }
    }
}

impl error::Error for TaskError {}

/// How to build a [`Pool`].
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// Worker processes (Python's `processes`); at least 1.
    pub workers: usize,
    /// Jobs sent to one worker before it has answered any of them: 1 means strict request and
    /// reply; more lets the worker start its next job without waiting for a round trip, which
    /// matters for tiny tasks. A writer never takes more than its fair share of the queue (queue
    /// length / workers, at least 1), so slow tasks still spread evenly at the end of a run.
    /// Default 8; clamped to 1..=64, far below the ~278 unread messages at which ipc-channel's
    /// `send` blocks.
    pub max_in_flight: usize,
    /// How each worker is started.
    pub spawn: SpawnOptions,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            workers: crate::cores(),
            max_in_flight: 8,
            spawn: SpawnOptions::default(),
        }
    }
}

/// What a chunk's job produced: one result per argument, or one error for the whole chunk.
type Outcome<O> = Result<Vec<Result<O, String>>, TaskError>;
type Route<O> = Box<dyn FnOnce(Outcome<O>) + Send>;

/// Where a job's outcome goes. Every job is delivered exactly once: if one is dropped unanswered
/// (its pool terminated) it reports [`TaskError::NotRunning`], so no caller can wait forever.
struct Delivery<O>(Option<Route<O>>);

impl<O> Delivery<O> {
    fn deliver(mut self, outcome: Outcome<O>) {
        if let Some(route) = self.0.take() {
            // A panicking callback must not take the supervisor thread (and the slot) with it.
            if panic::catch_unwind(AssertUnwindSafe(|| route(outcome))).is_err() {
                eprintln!("pool: a result callback panicked; the pool carries on");
            }
        }
    }
}

impl<O> Drop for Delivery<O> {
    fn drop(&mut self) {
        if let Some(route) = self.0.take() {
            let _ = panic::catch_unwind(AssertUnwindSafe(|| route(Err(TaskError::NotRunning))));
        }
    }
}

struct Pending<A, O> {
    id: u64,
    args: Vec<A>,
    delivery: Delivery<O>,
}

struct Slot<A, O> {
    pid: Option<u32>,
    /// A copy of the worker's inbox, for the idle fast path in `submit`; `None` once the worker
    /// is gone or told to finish (its inbox must close when the writer's copy is dropped).
    inbox: Option<IpcSender<Job<A>>>,
    /// Jobs sent to this slot's worker, oldest first: the worker runs them in this order.
    in_flight: VecDeque<Pending<A, O>>,
    stop_writer: bool,
    /// The slot's writer is asleep on its waker (so a notification reaches someone).
    writer_waiting: bool,
}

struct State<A, O> {
    queue: VecDeque<Pending<A, O>>,
    slots: Vec<Slot<A, O>>,
    closed: bool,
    terminated: bool,
    /// Slots that still have, or will start, a worker.
    live: usize,
}

struct Shared<A, O> {
    state: Mutex<State<A, O>>,
    /// One per slot: its writer sleeps on it until the slot has room and the queue has work.
    wakers: Vec<Condvar>,
    task: Task<A, Result<O, String>>,
    options: PoolOptions,
    replacements: AtomicUsize,
}

impl<A, O> Shared<A, O> {
    fn lock(&self) -> MutexGuard<'_, State<A, O>> {
        // Nothing panics while holding the lock, but if something did the state is still sound.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wake_all(&self) {
        self.wakers.iter().for_each(Condvar::notify_one);
    }
}

/// A pool of worker processes running one registered task, like `multiprocessing.Pool`.
///
/// Tasks are functions `fn(A) -> Result<O, String>` registered as a [`Task`]. Dropping the pool
/// terminates it, like leaving Python's `with Pool() as pool:` block: unfinished tasks report
/// [`TaskError::NotRunning`] and every worker is reaped. Call [`Pool::join`] first to let them
/// finish.
pub struct Pool<A, O> {
    shared: Arc<Shared<A, O>>,
    supervisors: Vec<JoinHandle<()>>,
    next_id: AtomicU64,
}

impl<A, O> fmt::Debug for Pool<A, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("task", &self.shared.task.name())
            .field("workers", &self.shared.options.workers)
            .finish()
    }
}

impl<A, O> Pool<A, O>
where
    A: Serialize + DeserializeOwned + Clone + Send + 'static,
    O: Serialize + DeserializeOwned + Send + 'static,
{
    /// Starts `workers` processes running `task` and returns once all of them have connected.
    pub fn new(
        task: &'static Task<A, Result<O, String>>,
        workers: usize,
    ) -> Result<Self, SpawnError> {
        Self::with_options(
            task,
            PoolOptions {
                workers,
                ..PoolOptions::default()
            },
        )
    }

    pub fn with_options(
        task: &'static Task<A, Result<O, String>>,
        mut options: PoolOptions,
    ) -> Result<Self, SpawnError> {
        options.workers = options.workers.max(1);
        options.max_in_flight = options.max_in_flight.clamp(1, 64);
        let workers = options.workers;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                slots: (0..workers)
                    .map(|_| Slot {
                        pid: None,
                        inbox: None,
                        in_flight: VecDeque::new(),
                        stop_writer: false,
                        writer_waiting: false,
                    })
                    .collect(),
                closed: false,
                terminated: false,
                live: workers,
            }),
            wakers: (0..workers).map(|_| Condvar::new()).collect(),
            task: *task,
            options,
            replacements: AtomicUsize::new(0),
        });
        // Each slot starts its own worker, so the start-ups overlap.
        let (ready_tx, ready) = mpsc::channel();
        let supervisors = (0..workers)
            .map(|slot| {
                let (shared, ready_tx) = (Arc::clone(&shared), ready_tx.clone());
                thread::spawn(move || supervise(&shared, slot, Some(ready_tx)))
            })
            .collect();
        drop(ready_tx);
        let mut pool = Pool {
            shared,
            supervisors,
            next_id: AtomicU64::new(0),
        };
        let mut failure = None;
        for started in ready.iter().take(workers) {
            if let Err(err) = started {
                failure.get_or_insert(err);
            }
        }
        match failure {
            Some(err) => {
                pool.terminate();
                Err(err)
            }
            None => Ok(pool),
        }
    }

    /// The PIDs of the current workers (a replaced worker's slot shows its successor).
    pub fn worker_pids(&self) -> Vec<u32> {
        self.shared
            .lock()
            .slots
            .iter()
            .filter_map(|s| s.pid)
            .collect()
    }

    /// How many workers have been started to replace one that died.
    pub fn replacements(&self) -> usize {
        self.shared.replacements.load(Ordering::Relaxed)
    }

    fn submit(&self, args: Vec<A>, route: Route<O>) {
        let pending = Pending {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            args,
            delivery: Delivery(Some(route)),
        };
        let mut state = self.shared.lock();
        if state.closed || state.terminated {
            drop(state);
            pending.delivery.deliver(Err(TaskError::NotRunning));
        } else if state.live == 0 {
            drop(state);
            let why = "every worker slot failed to restart".to_string();
            pending.delivery.deliver(Err(TaskError::NoWorkers(why)));
        } else if let Some(slot) = state.queue.is_empty().then(|| idle_slot(&state)).flatten() {
            // An idle worker and nothing queued: hand it the job from this thread, saving the
            // wake-up of its writer (a quarter of a blocking round trip). The job is recorded as
            // in flight first, exactly as the writer would.
            let job = Job {
                id: pending.id,
                args: pending.args.clone(),
            };
            let inbox = state.slots[slot].inbox.clone();
            state.slots[slot].in_flight.push_back(pending);
            drop(state);
            if let Some(inbox) = inbox {
                let _ = inbox.send(job); // on failure the supervisor sees the worker die
            }
        } else {
            state.queue.push_back(pending);
            // Wake one sleeping writer with room. Busy writers look at the queue before they next
            // sleep; waking more would only make them compete with the workers for the cores.
            let limit = self.shared.options.max_in_flight;
            let sleeper = state
                .slots
                .iter()
                .position(|s| s.writer_waiting && s.in_flight.len() < limit);
            if let Some(slot) = sleeper {
                // Marked awake now, so the next submission wakes a different sleeper.
                state.slots[slot].writer_waiting = false;
                self.shared.wakers[slot].notify_one();
            }
        }
    }

    /// Python's default chunk size for `map`: about four chunks per worker.
    pub fn default_chunksize(&self, len: usize) -> usize {
        len.div_ceil(4 * self.shared.options.workers).max(1)
    }

    /// Runs the task on every item and returns the results in input order (Python's `map`),
    /// sending items in chunks of [`Pool::default_chunksize`].
    pub fn map(&self, items: impl IntoIterator<Item = A>) -> Vec<Result<O, TaskError>> {
        let items: Vec<A> = items.into_iter().collect();
        let chunksize = self.default_chunksize(items.len());
        self.map_chunked(items, chunksize)
    }

    /// [`Pool::map`] with an explicit chunk size: each chunk travels to one worker as one
    /// message, which saves round trips, and if that worker dies the whole chunk fails.
    // ANCHOR: map
    pub fn map_chunked(
        &self,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> Vec<Result<O, TaskError>> {
        let items: Vec<A> = items.into_iter().collect();
        // Each chunk's outcome is written straight into its place; the caller sleeps until the
        // last one lands, instead of waking for every chunk.
        let collected = Arc::new(Collected {
            state: Mutex::new(Gathered {
                results: Vec::new(),
                missing: items.len(),
            }),
            done: Condvar::new(),
        });
        self.submit_chunks(items, chunksize, |first, len| {
            let collected = Arc::clone(&collected);
            Box::new(move |outcome| collected.fill(first, len, outcome))
        });
        collected.wait()
    }
    // ANCHOR_END: map

    /// Submits every item, then yields `(input index, result)` in the order results arrive
    /// (Python's `imap_unordered`, with the index so the caller can tell which is which).
    pub fn imap_unordered(
        &self,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> ImapUnordered<O> {
        let (tx, rx) = mpsc::channel();
        self.submit_chunks(items, chunksize, |first, len| {
            let tx = tx.clone();
            Box::new(move |outcome| {
                let _ = tx.send((first, len, outcome));
            })
        });
        ImapUnordered {
            chunks: rx,
            ready: VecDeque::new(),
        }
    }

    /// Cuts `items` into chunks and submits each with the route `route(first index, length)`.
    fn submit_chunks(
        &self,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
        mut route: impl FnMut(usize, usize) -> Route<O>,
    ) {
        let mut items = items.into_iter().peekable();
        let mut first = 0;
        while items.peek().is_some() {
            let chunk: Vec<A> = items.by_ref().take(chunksize.max(1)).collect();
            let len = chunk.len();
            self.submit(chunk, route(first, len));
            first += len;
        }
    }

    /// Submits one task and returns at once; `callback` gets its result or `error_callback` its
    /// error, on a pool thread (keep them short), like Python's `apply_async`.
    // ANCHOR: apply_async
    pub fn apply_async(
        &self,
        arg: A,
        callback: impl FnOnce(O) + Send + 'static,
        error_callback: impl FnOnce(TaskError) + Send + 'static,
    ) -> AsyncResult {
        let done = AsyncResult::default();
        let finished = MarkDone(done.clone());
        self.submit(
            vec![arg],
            Box::new(move |outcome| {
                let _finished = finished; // marks the task done even if a callback panics
                match single(outcome) {
                    Ok(value) => callback(value),
                    Err(err) => error_callback(err),
                }
            }),
        );
        done
    }
    // ANCHOR_END: apply_async

    /// Runs one task and waits for its result (Python's `apply`).
    pub fn apply(&self, arg: A) -> Result<O, TaskError> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.submit(
            vec![arg],
            Box::new(move |outcome| {
                let _ = tx.send(single(outcome));
            }),
        );
        rx.recv().unwrap_or(Err(TaskError::NotRunning))
    }

    /// Accepts no more tasks; the workers finish what is queued and exit (Python's `close`).
    pub fn close(&self) {
        self.shared.lock().closed = true;
        self.shared.wake_all();
    }

    /// Closes the pool, waits until every queued task has been delivered, and reaps every
    /// worker (Python's `close()` then `join()`).
    pub fn join(&mut self) {
        self.close();
        for supervisor in self.supervisors.drain(..) {
            let _ = supervisor.join();
        }
    }
}

impl<A, O> Pool<A, O> {
    /// Stops at once (Python's `terminate`): queued and running tasks report
    /// [`TaskError::NotRunning`] and every worker is killed and reaped. Python sends `SIGTERM`;
    /// this sends `SIGKILL`, which no task can catch or ignore, so `terminate` cannot hang.
    pub fn terminate(&mut self) {
        let abandoned = {
            let mut state = self.shared.lock();
            state.closed = true;
            state.terminated = true;
            for pid in state.slots.iter().filter_map(|s| s.pid) {
                let _ = crate::signal::send(pid, libc::SIGKILL);
            }
            std::mem::take(&mut state.queue)
        };
        self.shared.wake_all();
        drop(abandoned); // each reports NotRunning
        for supervisor in self.supervisors.drain(..) {
            let _ = supervisor.join();
        }
    }
}

impl<A, O> Drop for Pool<A, O> {
    fn drop(&mut self) {
        if !self.supervisors.is_empty() {
            self.terminate();
        }
    }
}

fn single<O>(outcome: Outcome<O>) -> Result<O, TaskError> {
    let mut results = outcome?;
    match results.pop() {
        Some(result) => result.map_err(TaskError::Failed),
        None => Err(TaskError::Failed("the worker sent no result".into())),
    }
}

/// A slot whose worker is up and has nothing in flight.
fn idle_slot<A, O>(state: &State<A, O>) -> Option<usize> {
    (state.slots.iter()).position(|s| s.inbox.is_some() && s.in_flight.is_empty())
}

/// A chunk's outcome as `(input index, result)` pairs: its own result for each item, or the
/// chunk's error repeated for each.
fn per_item<O>(
    first: usize,
    len: usize,
    outcome: Outcome<O>,
) -> impl Iterator<Item = (usize, Result<O, TaskError>)> {
    let (mut results, error) = match outcome {
        Ok(results) => (results.into_iter(), None),
        Err(err) => (Vec::new().into_iter(), Some(err)),
    };
    (first..first + len).map(move |index| {
        let result = match (&error, results.next()) {
            (Some(err), _) => Err(err.clone()),
            (None, Some(result)) => result.map_err(TaskError::Failed),
            (None, None) => Err(TaskError::Failed("the worker sent no result".into())),
        };
        (index, result)
    })
}

/// Where [`Pool::map_chunked`] gathers results.
struct Collected<O> {
    state: Mutex<Gathered<O>>,
    done: Condvar,
}

struct Gathered<O> {
    results: Vec<Option<Result<O, TaskError>>>,
    missing: usize,
}

impl<O> Collected<O> {
    fn fill(&self, first: usize, len: usize, outcome: Outcome<O>) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        for (index, result) in per_item(first, len, outcome) {
            if state.results.len() <= index {
                state.results.resize_with(index + 1, || None);
            }
            state.results[index] = Some(result);
        }
        state.missing = state.missing.saturating_sub(len);
        if state.missing == 0 {
            self.done.notify_all();
        }
    }

    fn wait(&self) -> Vec<Result<O, TaskError>> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while state.missing > 0 {
            state = self.done.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        std::mem::take(&mut state.results)
            .into_iter()
            .map(|r| r.unwrap_or(Err(TaskError::NotRunning)))
            .collect()
    }
}

/// The results of [`Pool::imap_unordered`], as they arrive.
pub struct ImapUnordered<O> {
    chunks: mpsc::Receiver<(usize, usize, Outcome<O>)>,
    ready: VecDeque<(usize, Result<O, TaskError>)>,
}

impl<O> fmt::Debug for ImapUnordered<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapUnordered")
            .field("ready", &self.ready.len())
            .finish()
    }
}

impl<O> Iterator for ImapUnordered<O> {
    type Item = (usize, Result<O, TaskError>);

    fn next(&mut self) -> Option<Self::Item> {
        while self.ready.is_empty() {
            // Ends once every chunk has been delivered (each holds a sender until then).
            let (first, len, outcome) = self.chunks.recv().ok()?;
            self.ready.extend(per_item(first, len, outcome));
        }
        self.ready.pop_front()
    }
}

/// Completion of one [`Pool::apply_async`] task (Python's `AsyncResult`, without the value: that
/// went to the callback).
#[derive(Debug, Clone, Default)]
pub struct AsyncResult {
    done: Arc<(Mutex<bool>, Condvar)>,
}

impl AsyncResult {
    /// Blocks until the task's callback (or error callback) has run.
    pub fn wait(&self) {
        let (flag, cv) = &*self.done;
        let mut done = flag.lock().unwrap_or_else(|p| p.into_inner());
        while !*done {
            done = cv.wait(done).unwrap_or_else(|p| p.into_inner());
        }
    }

    pub fn ready(&self) -> bool {
        *self.done.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Held by an `apply_async` route; marks its [`AsyncResult`] done when dropped, which happens
/// after the callback returns, panics, or is never called because the pool went away.
struct MarkDone(AsyncResult);

impl Drop for MarkDone {
    fn drop(&mut self) {
        let (flag, cv) = &*self.0.done;
        *flag.lock().unwrap_or_else(|p| p.into_inner()) = true;
        cv.notify_all();
    }
}

// ANCHOR: supervise
/// One worker slot, for the life of the pool: start a worker, feed it (on a writer thread), read
/// its replies, and when it dies, blame the task it was running, requeue the rest, start another.
fn supervise<A, O>(
    shared: &Shared<A, O>,
    slot: usize,
    mut ready: Option<mpsc::Sender<Result<u32, SpawnError>>>,
) where
    A: Serialize + DeserializeOwned + Clone + Send + 'static,
    O: Serialize + DeserializeOwned + Send + 'static,
{
    loop {
        let worker = start(&shared.task, &shared.options.spawn);
        let Connected {
            mut child,
            pid,
            lifeline,
            inbox,
            replies,
        } = match worker {
            Ok(worker) => worker,
            Err(err) => return give_up(shared, ready, err),
        };
        {
            let mut state = shared.lock();
            if state.terminated {
                let _ = crate::signal::send(pid, libc::SIGKILL);
            }
            state.slots[slot].pid = Some(pid);
            state.slots[slot].inbox = Some(inbox.clone());
            state.slots[slot].stop_writer = false;
        }
        if let Some(ready) = ready.take() {
            let _ = ready.send(Ok(pid));
        }
        let (exit, explained) = thread::scope(|scope| {
            let writer = scope.spawn(|| feed(shared, slot, inbox));
            // A panicked task's error is delivered with its message; the exit that follows it
            // then blames nobody else.
            let mut explained = false;
            while let Ok(reply) = replies.recv() {
                let (id, outcome) = match reply {
                    Reply::Done { id, results } => (id, Ok(results)),
                    Reply::Panicked { id, message } => {
                        explained = true;
                        (id, Err(TaskError::Panicked(message)))
                    }
                    Reply::Hello { .. } => continue,
                };
                let finished = {
                    let mut state = shared.lock();
                    let in_flight = &mut state.slots[slot].in_flight;
                    let position = in_flight.iter().position(|p| p.id == id);
                    let finished = position.and_then(|i| in_flight.remove(i));
                    // Refill when half the places are free, so the writer wakes once per few
                    // replies and sends a batch, while the worker still has jobs in hand.
                    let half = shared.options.max_in_flight / 2;
                    if !state.queue.is_empty() && state.slots[slot].in_flight.len() <= half {
                        shared.wakers[slot].notify_one();
                    }
                    finished
                };
                if let Some(finished) = finished {
                    finished.delivery.deliver(outcome);
                }
            }
            // The worker hung up: it exited, or is about to. Stop its writer and reap it.
            {
                let mut state = shared.lock();
                state.slots[slot].pid = None;
                state.slots[slot].inbox = None;
                state.slots[slot].stop_writer = true;
                shared.wakers[slot].notify_one();
            }
            let exit = reap(&mut child, Some(lifeline));
            let _ = writer.join();
            (exit, explained)
        });
        let (blamed, abandoned, again) = {
            let mut state = shared.lock();
            let mut in_flight = std::mem::take(&mut state.slots[slot].in_flight);
            let blamed = if explained || state.terminated {
                None
            } else {
                in_flight.pop_front()
            };
            if !state.terminated {
                for pending in in_flight.drain(..).rev() {
                    state.queue.push_front(pending);
                }
            }
            let finished = state.terminated || (state.closed && state.queue.is_empty());
            let again = !finished;
            if again {
                // Counted before the blamed task is delivered, so a caller who sees that error
                // also sees the replacement.
                shared.replacements.fetch_add(1, Ordering::Relaxed);
            } else {
                state.live -= 1;
            }
            shared.wake_all();
            (blamed, in_flight, again)
        };
        // Outside the lock, like every delivery: a callback may well call into the pool.
        drop(abandoned); // after `terminate`: each reports NotRunning
        if let Some(blamed) = blamed {
            blamed
                .delivery
                .deliver(Err(TaskError::WorkerDied { pid, exit }));
        }
        if !again {
            return;
        }
    }
}
// ANCHOR_END: supervise

/// A slot could not start a worker: report it, and if no slot is left, fail the queued tasks.
fn give_up<A, O>(
    shared: &Shared<A, O>,
    ready: Option<mpsc::Sender<Result<u32, SpawnError>>>,
    err: SpawnError,
) {
    let why = err.to_string();
    if let Some(ready) = ready {
        let _ = ready.send(Err(err));
    } else {
        eprintln!("pool: cannot replace a worker: {why}");
    }
    let orphaned = {
        let mut state = shared.lock();
        state.live -= 1;
        if state.live == 0 {
            std::mem::take(&mut state.queue)
        } else {
            VecDeque::new()
        }
    };
    for pending in orphaned {
        pending
            .delivery
            .deliver(Err(TaskError::NoWorkers(why.clone())));
    }
}

// ANCHOR: feed
/// The writer: sends queued jobs to one worker, never more than `max_in_flight` unanswered.
fn feed<A: Serialize + Clone, O>(shared: &Shared<A, O>, slot: usize, inbox: IpcSender<Job<A>>) {
    let limit = shared.options.max_in_flight;
    loop {
        let jobs = {
            let mut state = shared.lock();
            loop {
                if state.slots[slot].stop_writer || state.terminated {
                    return;
                }
                let room = limit.saturating_sub(state.slots[slot].in_flight.len());
                let fair_share = state.queue.len().div_ceil(state.slots.len());
                let take = room.min(fair_share);
                if take > 0 {
                    let taken: Vec<_> = state.queue.drain(..take).collect();
                    // Keep each job's arguments: if this worker dies before running it, it goes
                    // back to the queue for another worker.
                    let jobs: Vec<Job<A>> = taken
                        .iter()
                        .map(|p| Job {
                            id: p.id,
                            args: p.args.clone(),
                        })
                        .collect();
                    state.slots[slot].in_flight.extend(taken);
                    break jobs;
                }
                if state.closed && state.queue.is_empty() {
                    // Dropping both copies of `inbox` lets the worker finish its jobs and exit.
                    state.slots[slot].inbox = None;
                    return;
                }
                state.slots[slot].writer_waiting = true;
                state = shared.wakers[slot]
                    .wait(state)
                    .unwrap_or_else(|p| p.into_inner());
                state.slots[slot].writer_waiting = false;
            }
        };
        // Outside the lock: a large job may block here until the worker reads it.
        for job in jobs {
            if inbox.send(job).is_err() {
                return; // the worker is gone; the supervisor sorts out its jobs
            }
        }
    }
}
// ANCHOR_END: feed
