//! A work queue shared by several consumer processes, and the sentinel protocol that ends it.
//!
//! Python's `multiprocessing.Queue` is multi-producer, multi-consumer: every consumer process
//! calls `get()` on the same queue. An [`ipc_channel`] receiver is single-consumer (it owns one
//! end of a socket), so several consumer processes cannot share one. Two shapes work:
//!
//! * a *dispatcher* process that owns the one queue and forwards each item to whichever consumer
//!   asks for work: one more process and one more hop per item;
//! * *dealing*: the producer owns one channel per consumer and deals batches to them itself.
//!
//! This module deals. The producer already knows everything a dispatcher would (who has work in
//! flight), so the extra process buys nothing. Results come back over one shared channel:
//! senders, unlike receivers, can be cloned and handed to every consumer.
//!
//! # Never blocked by a full pipe
//!
//! An `IpcSender::send` blocks once the socket's buffer is full, after about 278 small messages
//! on Linux (ipc-channel issue #275, although its README says unbounded; the `full_pipe` lesson
//! measures it). A producer that blocks while its consumers block sending results it is not
//! reading would deadlock. So the producer holds [`Credits`]: at most so many messages and items
//! unanswered per consumer. Every batch is answered by exactly one results message, which returns
//! its credit; without credit the producer reads results instead of sending. Its own sends then
//! never meet a full buffer.
//!
//! # Ending: one sentinel per consumer
//!
//! The tutorial puts one sentinel (`None`) on the shared queue, and each consumer that takes it
//! puts it back for the next one. With one channel per consumer there is nobody to pass it to:
//! the producer sends [`Work::Stop`] to each consumer, which answers with its end marker
//! ([`Report::Finished`]). The producer is done when every consumer has either sent its end
//! marker or been seen dead, never when the results channel merely *looks* empty.

use crate::{Exit, Process, SpawnError, Task, spawn};
use ipc_channel::TryRecvError;
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use std::{error, fmt, io};

// ANCHOR: messages
/// What the producer sends a consumer.
#[derive(Debug, Serialize, Deserialize)]
pub enum Work {
    /// A batch of items (one item with `--batch 1`, the tutorial's shape).
    Items(Vec<u64>),
    /// The sentinel: no more work will come on this channel.
    Stop,
}

/// What a consumer sends back on the shared results channel.
#[derive(Debug, Serialize, Deserialize)]
pub enum Report {
    /// Answers one `Items` message: each item with its result. Returns that message's credit.
    Results {
        consumer: usize,
        pairs: Vec<(u64, u64)>,
    },
    /// The consumer's end marker: it saw `Stop` after handling `handled` items.
    Finished { consumer: usize, handled: u64 },
}
// ANCHOR_END: messages

/// The work a consumer does on one item: cheap, so the figures measure the queue, and checkable,
/// so the producer can verify every result.
pub fn work(item: u64) -> u64 {
    item.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17)
}

/// Test hook: set to `<consumer>:<items>`, it makes that consumer kill itself with `SIGKILL` once
/// it has been dealt that many items, as if killed from outside: what the queue lessons' tests use
/// to check that a consumer's unplanned death fails a run.
pub const CONSUMER_DIES_AFTER_VAR: &str = "MULTIPROC_TEST_CONSUMER_DIES_AFTER";

/// The hook's item count, if it names consumer `id`.
fn dies_after(id: usize) -> Option<u64> {
    let hook = std::env::var(CONSUMER_DIES_AFTER_VAR).ok()?;
    let (consumer, items) = hook.split_once(':')?;
    (consumer.parse() == Ok(id)).then(|| items.parse().ok())?
}

// ANCHOR: consumer
/// A consumer process: answer every batch until the sentinel, then send the end marker.
fn consume((id, inbox, results): (usize, IpcReceiver<Work>, IpcSender<Report>)) -> u64 {
    let dies_after = dies_after(id); // `None` outside the tests
    let mut handled = 0;
    // `recv` fails only when the producer has hung up (it died): then there is nobody to answer.
    while let Ok(work_msg) = inbox.recv() {
        match work_msg {
            Work::Items(items) => {
                handled += items.len() as u64;
                if dies_after.is_some_and(|n| handled >= n) {
                    let _ = crate::signal::send(std::process::id(), crate::signal::KILL);
                }
                let pairs = items.into_iter().map(|i| (i, work(i))).collect();
                if results
                    .send(Report::Results {
                        consumer: id,
                        pairs,
                    })
                    .is_err()
                {
                    break;
                }
            }
            Work::Stop => {
                let _ = results.send(Report::Finished {
                    consumer: id,
                    handled,
                });
                break;
            }
        }
    }
    handled
}

/// The consumer task: its inbox and the shared results sender travel as its arguments (ipc-channel
/// endpoints are serializable: the file descriptor itself is passed to the child).
pub static CONSUMER: Task<(usize, IpcReceiver<Work>, IpcSender<Report>), u64> =
    Task::new("consumer", consume);
// ANCHOR_END: consumer

// ANCHOR: credits
/// How much work may sit unanswered at one consumer. Both limits keep every channel far below
/// the point where `send` blocks (ipc-channel #275).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credits {
    pub messages: usize,
    pub items: usize,
}

/// The limits the lesson uses: 32 messages stay well under the ~278 that fill a socket.
pub const CREDITS: Credits = Credits {
    messages: 32,
    items: 4096,
};

/// Work sent to one consumer and not answered yet.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct InFlight {
    pub messages: usize,
    pub items: usize,
}

impl InFlight {
    /// May a batch of `len` items go now? A consumer with nothing in flight always gets one, so a
    /// batch larger than the item limit still moves.
    pub fn can_take(&self, len: usize, limit: Credits) -> bool {
        self.messages == 0 || (self.messages < limit.messages && self.items + len <= limit.items)
    }

    pub fn sent(&mut self, len: usize) {
        self.messages += 1;
        self.items += len;
    }

    /// One results message for `len` items came back: its credit returns.
    pub fn answered(&mut self, len: usize) {
        self.messages = self.messages.saturating_sub(1);
        self.items = self.items.saturating_sub(len);
    }
}
// ANCHOR_END: credits

// ANCHOR: ledger
/// Exact accounting: which items have a result, from whom, and whether it was right.
#[derive(Debug, Clone)]
pub struct Ledger {
    seen: Vec<bool>,
    per_consumer: Vec<u64>,
    duplicates: u64,
    wrong: u64,
    unknown: u64,
}

impl Ledger {
    pub fn new(items: u64, consumers: usize) -> Self {
        Self {
            seen: vec![false; items as usize],
            per_consumer: vec![0; consumers],
            duplicates: 0,
            wrong: 0,
            unknown: 0,
        }
    }

    pub fn record(&mut self, consumer: usize, item: u64, result: u64) {
        if let Some(count) = self.per_consumer.get_mut(consumer) {
            *count += 1;
        }
        match self.seen.get_mut(item as usize) {
            None => self.unknown += 1,
            Some(true) => self.duplicates += 1,
            Some(seen) => *seen = true,
        }
        if result != work(item) {
            self.wrong += 1;
        }
    }

    /// Results received, duplicates and strays included.
    pub fn received(&self) -> u64 {
        self.per_consumer.iter().sum()
    }

    pub fn per_consumer(&self) -> &[u64] {
        &self.per_consumer
    }

    /// Items that have no result.
    pub fn missing(&self) -> u64 {
        self.seen.iter().filter(|&&s| !s).count() as u64
    }

    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Results that are not `work(item)`, or for items that were never sent.
    pub fn wrong(&self) -> u64 {
        self.wrong + self.unknown
    }

    /// The set of results equals the set of items: nothing lost, nothing twice, all correct.
    pub fn exact(&self) -> bool {
        self.missing() == 0 && self.duplicates == 0 && self.wrong() == 0
    }
}
// ANCHOR_END: ledger

/// One run of the queue.
#[derive(Debug, Clone)]
pub struct Options {
    pub items: u64,
    pub consumers: usize,
    /// Items per message.
    pub batch: usize,
    pub credits: Credits,
    /// SIGKILL consumer 0 once this many items have been dealt (the fault demonstration).
    pub kill_consumer_after: Option<u64>,
    /// Give up if no report arrives for this long while some are still due.
    pub stall_timeout: Duration,
}

impl Options {
    pub fn new(items: u64, consumers: usize, batch: usize) -> Self {
        Self {
            items,
            consumers,
            batch,
            credits: CREDITS,
            kill_consumer_after: None,
            stall_timeout: Duration::from_secs(10),
        }
    }
}

/// What happened to one consumer.
#[derive(Debug, Clone)]
pub struct ConsumerReport {
    pub pid: u32,
    /// Results received from it.
    pub results: u64,
    /// The count in its end marker, if it sent one.
    pub finished: Option<u64>,
    /// Items dealt to it and never answered (non-zero only if it died).
    pub unanswered: u64,
    pub exit: Option<Exit>,
}

/// What one run measured and saw.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub ledger: Ledger,
    pub consumers: Vec<ConsumerReport>,
    pub dealt: u64,
    /// From the first item dealt to the last end marker.
    pub elapsed: Duration,
    /// Starting the consumer processes.
    pub startup: Duration,
    /// The consumer killed on purpose, if any, and how many items had been dealt by then.
    pub killed: Option<(usize, u64)>,
    /// No report arrived for [`Options::stall_timeout`] while some were still due: the run gave up.
    pub stalled: bool,
}

impl RunReport {
    pub fn items_per_sec(&self) -> f64 {
        self.ledger.received() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Why the run failed, if it did: it stalled, or a consumer other than the one killed on
    /// purpose ended without its end marker or with an exit other than 0. A lesson reports this
    /// instead of any figure: its counts measure a run that did not happen as planned.
    pub fn failure(&self) -> Option<String> {
        if self.stalled {
            return Some("the run stalled: no report arrived while some were still due".into());
        }
        let planned = self.killed.map(|(consumer, _)| consumer);
        self.consumers
            .iter()
            .enumerate()
            .filter(|&(c, _)| Some(c) != planned)
            .find(|(_, r)| r.finished.is_none() || !r.exit.is_some_and(Exit::success))
            .map(|(c, r)| {
                let exit = r
                    .exit
                    .map_or("was not reaped".to_string(), |e| e.to_string());
                format!(
                    "consumer {c} (PID {}) died mid-run ({exit}) with {} items unanswered",
                    r.pid, r.unanswered
                )
            })
    }
}

/// Why a run could not start. Once the consumers are running, nothing fails the run: a consumer
/// that dies or a stall is reported in the [`RunReport`] instead.
#[derive(Debug)]
pub enum QueueError {
    /// A channel could not be made (the process is out of file descriptors, most likely).
    Channel(io::Error),
    /// A consumer process could not be started.
    Spawn(SpawnError),
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueueError::Channel(err) => write!(f, "cannot make a channel: {err}"),
            QueueError::Spawn(err) => write!(f, "cannot start a consumer: {err}"),
        }
    }
}

impl error::Error for QueueError {
    fn source(&self) -> Option<&(dyn error::Error + 'static)> {
        match self {
            QueueError::Channel(err) => Some(err),
            QueueError::Spawn(err) => Some(err),
        }
    }
}

impl From<io::Error> for QueueError {
    fn from(err: io::Error) -> Self {
        QueueError::Channel(err)
    }
}

impl From<SpawnError> for QueueError {
    fn from(err: SpawnError) -> Self {
        QueueError::Spawn(err)
    }
}

/// Runs one producer (this process) and `options.consumers` consumer processes over `0..items`.
pub fn run(options: &Options) -> Result<RunReport, QueueError> {
    let n = options.consumers.max(1);
    let started = Instant::now();
    // ANCHOR: setup
    let (results_tx, results) = ipc::channel::<Report>()?;
    let mut inboxes = Vec::with_capacity(n);
    let mut procs: Vec<Process<u64>> = Vec::with_capacity(n);
    for id in 0..n {
        let (tx, rx) = ipc::channel::<Work>()?;
        procs.push(spawn(&CONSUMER, (id, rx, results_tx.clone()))?);
        inboxes.push(tx);
    }
    drop(results_tx); // only consumers hold senders now: if all die, `recv` fails instead of hanging
    // ANCHOR_END: setup
    let startup = started.elapsed();

    let mut ledger = Ledger::new(options.items, n);
    let mut in_flight = vec![InFlight::default(); n];
    let mut alive = vec![true; n];
    let mut stopped = vec![false; n];
    let mut finished: Vec<Option<u64>> = vec![None; n];
    let (mut next, mut turn, mut killed, mut stalled) = (0u64, 0usize, None, false);
    let start = Instant::now();
    let mut last_report = Instant::now();
    let (mut drained, mut burst) = (true, 0); // all ready reports read; reports read since dealing
    // ANCHOR: deal
    loop {
        // Deal while some live consumer has credit; never send to one without. Deal once the
        // ready reports have been read, or when a consumer runs low: consumers then get work in
        // bursts rather than one message per returned credit, and wake up less often.
        let running_low =
            (0..n).any(|c| alive[c] && in_flight[c].messages * 4 < options.credits.messages);
        if drained || burst >= 64 || running_low {
            burst = 0;
            while next < options.items {
                let len = (options.items - next).min(options.batch as u64) as usize;
                let Some(c) = (0..n)
                    .map(|k| (turn + k) % n)
                    .find(|&c| alive[c] && in_flight[c].can_take(len, options.credits))
                else {
                    break;
                };
                turn = c + 1;
                if inboxes[c]
                    .send(Work::Items((next..next + len as u64).collect()))
                    .is_err()
                {
                    alive[c] = false; // its end is closed: it died
                    continue;
                }
                in_flight[c].sent(len);
                next += len as u64;
                if killed.is_none() && options.kill_consumer_after.is_some_and(|k| next >= k) {
                    let _ = procs[0].kill();
                    killed = Some((0, next));
                }
            }
        }
        // Everything dealt (or nobody left to deal to): one sentinel per live consumer.
        if next == options.items || !alive.iter().any(|&a| a) {
            for c in 0..n {
                if alive[c] && !stopped[c] {
                    stopped[c] = true;
                    let _ = inboxes[c].send(Work::Stop);
                }
            }
        }
        // ANCHOR_END: deal
        // ANCHOR: collect
        let report = match results.try_recv() {
            Ok(report) => Some(report),
            Err(TryRecvError::Empty) if !drained => {
                drained = true; // all ready reports read: deal before waiting for more
                continue;
            }
            Err(TryRecvError::Empty) => {
                // Done only once nothing is left to read: a consumer seen dead may have sent
                // results (or even its end marker) just before it died.
                if (0..n).all(|c| finished[c].is_some() || !alive[c]) {
                    break;
                }
                // Empty, but results are still due: wait a little, never for good.
                match results.try_recv_timeout(Duration::from_millis(50)) {
                    Ok(report) => Some(report),
                    Err(TryRecvError::Empty) => None,
                    Err(TryRecvError::IpcError(_)) => break, // every consumer is gone
                }
            }
            Err(TryRecvError::IpcError(_)) => break,
        };
        if report.is_some() {
            (drained, burst) = (false, burst + 1);
        }
        match report {
            Some(Report::Results { consumer, pairs }) => {
                if let Some(f) = in_flight.get_mut(consumer) {
                    f.answered(pairs.len());
                }
                for (item, result) in pairs {
                    ledger.record(consumer, item, result);
                }
                last_report = Instant::now();
            }
            Some(Report::Finished { consumer, handled }) => {
                if let Some(f) = finished.get_mut(consumer) {
                    *f = Some(handled);
                }
                last_report = Instant::now();
            }
            None => {
                // Quiet for a while: a consumer that died will never answer, so stop waiting
                // for it. Its unanswered items are what the run lost.
                for c in 0..n {
                    if alive[c] && finished[c].is_none() && !procs[c].is_alive() {
                        alive[c] = false;
                    }
                }
                if last_report.elapsed() > options.stall_timeout {
                    stalled = true;
                    break;
                }
            }
        }
    }
    // ANCHOR_END: collect
    let elapsed = start.elapsed();
    drop(inboxes); // a consumer still waiting sees its channel close and exits
    let consumers = procs
        .iter_mut()
        .enumerate()
        .map(|(c, p)| {
            let mut exit = p.join_timeout(Duration::from_secs(2)).ok().flatten();
            if exit.is_none() {
                let _ = p.kill();
                exit = p.join_timeout(Duration::from_secs(2)).ok().flatten();
            }
            ConsumerReport {
                pid: p.pid(),
                results: ledger.per_consumer()[c],
                finished: finished[c],
                // A consumer that sent its end marker answered everything it was dealt.
                unanswered: if finished[c].is_some() {
                    0
                } else {
                    in_flight[c].items as u64
                },
                exit,
            }
        })
        .collect();
    Ok(RunReport {
        ledger,
        consumers,
        dealt: next,
        elapsed,
        startup,
        killed,
        stalled,
    })
}
