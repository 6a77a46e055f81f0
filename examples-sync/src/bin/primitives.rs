//! Python's `threading` synchronization primitives in Rust, one small scene each, each checked:
//! an Event (workers wait until the main thread says go), the same Event between processes (a
//! futex word in shared memory, Python's `multiprocessing.Event`), a Condvar (a bounded queue),
//! a Barrier (nobody starts phase 2 before everyone finished phase 1), a Semaphore (at most N
//! inside) and an RwLock (readers together, the writer alone). Every wait is bounded, so a bug
//! fails a check instead of hanging the lesson.

use std::collections::VecDeque;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Condvar, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use examples_sync::workers::{RunError, tasks};
use examples_sync::{Event, Occupancy, Semaphore, bounded, wait_until, workers};
use lesson::{Checks, usize_in};

#[derive(Parser, Debug)]
#[command(about = "Event, Condvar, Barrier, Semaphore and RwLock: one small scene each")]
struct Args {
    /// How many worker threads each scene starts
    #[arg(long, default_value_t = 4, value_parser = usize_in(2, 16))]
    workers: usize,
    /// How many threads the semaphore lets in at once
    #[arg(long, default_value_t = 2, value_parser = usize_in(1, 8))]
    permits: usize,
}

/// The longest any one wait may take before the scene counts as stuck.
const PATIENCE: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    multiproc::init(&tasks()); // in a worker process this runs its task and never returns
    let args: Args = lesson::parse_args();
    lesson::header("primitives: Event, Condvar, Barrier, Semaphore, RwLock");
    workers::guard_dev_shm();
    let mut checks = Checks::new();
    event(args.workers, &mut checks);
    if let Err(interrupted) = event_across_processes(args.workers, &mut checks) {
        return workers::exit_on(interrupted);
    }
    condvar_queue(&mut checks);
    barrier(args.workers, &mut checks);
    semaphore(args.workers, args.permits, &mut checks);
    rwlock(args.workers, &mut checks);
    checks.finish()
}

fn event(workers: usize, checks: &mut Checks) {
    println!("\n-- Event: {workers} workers wait for the main thread's go --");
    // ANCHOR: event_scene
    let go = Arc::new(Event::new());
    let passed = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (go, passed) = (Arc::clone(&go), Arc::clone(&passed));
            thread::spawn(move || {
                let set = go.wait_timeout(PATIENCE);
                passed.fetch_add(1, Ordering::SeqCst);
                (set, Instant::now())
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(50)); // the workers are all waiting by now
    let before = passed.load(Ordering::SeqCst);
    let set_at = Instant::now();
    go.set();
    let woke: Vec<(bool, Instant)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    // ANCHOR_END: event_scene
    println!(
        "passed before set: {before}; after: {}",
        passed.load(Ordering::SeqCst)
    );
    checks.check(
        "no worker went past the Event before it was set",
        before == 0,
    );
    checks.check(
        "every worker woke because the Event was set, after it was set",
        woke.iter().all(|&(set, at)| set && at >= set_at),
    );
}

/// A scene that fails is a failed check, like the others; only Ctrl-C ends the lesson here.
fn event_across_processes(workers: usize, checks: &mut Checks) -> Result<(), RunError> {
    println!("\n-- Event across processes: {workers} worker processes wait for the parent's go --");
    let run = match workers::event_across_processes(workers, Duration::from_millis(100)) {
        Ok(run) => run,
        Err(RunError::Failed(why)) => {
            checks.check(format!("the cross-process Event scene ran ({why})"), false);
            return Ok(());
        }
        Err(interrupted) => return Err(interrupted),
    };
    println!("worker PIDs: {:?}", run.pids);
    println!(
        "passed before set: {}; after: {}",
        run.passed_before, run.passed_after
    );
    checks.check(
        "no worker process went past the Event before it was set",
        run.passed_before == 0,
    );
    checks.check(
        "every worker process woke because the Event was set",
        run.woke_set.len() == workers && run.woke_set.iter().all(|&set| set),
    );
    Ok(())
}

// ANCHOR: bounded_queue
/// A queue that holds at most `capacity` items: `push` waits while it is full, `pop` while it is
/// empty. One mutex, two condition variables (Python: one `Condition` per wait, same lock).
struct BoundedQueue {
    items: Mutex<VecDeque<u32>>,
    not_full: Condvar,
    not_empty: Condvar,
    capacity: usize,
}

impl BoundedQueue {
    /// Returns the queue's length after the push, or `None` if no room came free in time.
    fn push(&self, item: u32) -> Option<usize> {
        let items = self.items.lock().unwrap();
        let (mut items, timeout) = self
            .not_full
            .wait_timeout_while(items, PATIENCE, |q| q.len() == self.capacity)
            .unwrap();
        if timeout.timed_out() {
            return None;
        }
        items.push_back(item);
        self.not_empty.notify_one();
        Some(items.len())
    }

    fn pop(&self) -> Option<u32> {
        let items = self.items.lock().unwrap();
        let (mut items, _) = self
            .not_empty
            .wait_timeout_while(items, PATIENCE, |q| q.is_empty())
            .unwrap();
        let item = items.pop_front()?;
        self.not_full.notify_one();
        Some(item)
    }
}
// ANCHOR_END: bounded_queue

fn condvar_queue(checks: &mut Checks) {
    const ITEMS: u32 = 20;
    const CAPACITY: usize = 3;
    println!("\n-- Condvar: a producer and a slow consumer share a queue of {CAPACITY} --");
    let queue = Arc::new(BoundedQueue {
        items: Mutex::new(VecDeque::new()),
        not_full: Condvar::new(),
        not_empty: Condvar::new(),
        capacity: CAPACITY,
    });
    let outcome = bounded(PATIENCE * 2, move || {
        let producer = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                (0..ITEMS)
                    .map(|i| queue.push(i).unwrap_or(usize::MAX))
                    .max()
            })
        };
        let mut received = Vec::new();
        while let Some(item) = queue.pop() {
            received.push(item);
            if received.len() == ITEMS as usize {
                break;
            }
            thread::sleep(Duration::from_millis(1)); // a slow consumer: the queue fills up
        }
        (received, producer.join().unwrap().unwrap_or(0))
    });
    let Some((received, longest)) = outcome else {
        checks.check("the queue scene finished in time", false);
        return;
    };
    println!(
        "received {} items; the queue never held more than {longest}",
        received.len()
    );
    checks.check(
        "every item arrived once, in order",
        received == (0..ITEMS).collect::<Vec<_>>(),
    );
    checks.check(
        format!("the queue never held more than {CAPACITY}"),
        longest <= CAPACITY,
    );
}

fn barrier(workers: usize, checks: &mut Checks) {
    println!("\n-- Barrier: {workers} workers, two phases --");
    let outcome = bounded(PATIENCE, move || {
        // ANCHOR: barrier_scene
        let barrier = Barrier::new(workers);
        let log = Mutex::new(Vec::new()); // (phase, worker) in the order they happened
        thread::scope(|s| {
            for worker in 0..workers {
                let (barrier, log) = (&barrier, &log);
                s.spawn(move || {
                    // Worker 0 is slow in phase 1: without the barrier the others would be
                    // well into phase 2 before it finished.
                    thread::sleep(Duration::from_millis(if worker == 0 { 30 } else { 1 }));
                    log.lock().unwrap().push((1, worker));
                    barrier.wait(); // std's Barrier has no timeout: `bounded` guards the scene
                    log.lock().unwrap().push((2, worker));
                });
            }
        });
        log.into_inner().unwrap()
        // ANCHOR_END: barrier_scene
    });
    let Some(log) = outcome else {
        checks.check("the barrier scene finished in time", false);
        return;
    };
    let order: Vec<String> = log.iter().map(|(p, w)| format!("{p}:{w}")).collect();
    println!("phase:worker in order: {}", order.join(" "));
    let last_phase_1 = log.iter().rposition(|&(p, _)| p == 1);
    let first_phase_2 = log.iter().position(|&(p, _)| p == 2);
    checks.check(
        "every worker logged both phases",
        log.len() == 2 * workers && last_phase_1.is_some(),
    );
    checks.check(
        "nobody started phase 2 before everyone finished phase 1",
        matches!((last_phase_1, first_phase_2), (Some(a), Some(b)) if a < b),
    );
}

fn semaphore(workers: usize, permits: usize, checks: &mut Checks) {
    println!("\n-- Semaphore: {workers} workers, {permits} permits --");
    // ANCHOR: semaphore_scene
    let semaphore = Semaphore::new(permits);
    let inside = Occupancy::new();
    let got_in = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                if let Some(_permit) = semaphore.acquire_timeout(PATIENCE) {
                    inside.enter();
                    got_in.fetch_add(1, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(20)); // a slow resource
                    inside.leave();
                } // `_permit` dropped here: the next waiter gets in
            });
        }
    });
    // ANCHOR_END: semaphore_scene
    let most = inside.most();
    println!(
        "{} of {workers} workers got in; at most {most} inside at once",
        got_in.load(Ordering::SeqCst)
    );
    checks.check(
        "every worker got a permit in the end",
        got_in.load(Ordering::SeqCst) == workers,
    );
    checks.check(
        format!("never more than {permits} inside at once"),
        most <= permits,
    );
}

fn rwlock(readers: usize, checks: &mut Checks) {
    println!("\n-- RwLock: {readers} readers, then a writer --");
    let outcome = bounded(PATIENCE, move || {
        // ANCHOR: rwlock_scene
        let config = RwLock::new(String::from("v1"));
        let reading = Occupancy::new();
        let (mut readers_while_writing, mut all_readers_in) = (usize::MAX, false);
        let seen = thread::scope(|s| {
            let handles: Vec<_> = (0..readers)
                .map(|_| {
                    s.spawn(|| {
                        let value = config.read().unwrap();
                        reading.enter();
                        thread::sleep(Duration::from_millis(50)); // a long read
                        reading.leave();
                        value.clone()
                    })
                })
                .collect();
            // Wait until every reader holds the lock, then write: the write waits for them all.
            all_readers_in = wait_until(PATIENCE, || reading.now() == readers);
            let mut value = config.write().unwrap();
            readers_while_writing = reading.now();
            *value = String::from("v2");
            drop(value);
            let seen: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
            seen
        });
        let after = config.read().unwrap().clone();
        // ANCHOR_END: rwlock_scene
        (
            all_readers_in,
            reading.most(),
            readers_while_writing,
            seen,
            after,
        )
    });
    let Some((all_in, most, while_writing, seen, after)) = outcome else {
        checks.check("the RwLock scene finished in time", false);
        return;
    };
    println!(
        "readers inside at once: {most}; readers inside while the writer held it: {while_writing}"
    );
    println!("readers saw {seen:?}; after the write: {after:?}");
    checks.check(
        format!("all {readers} readers held the read lock at the same time"),
        all_in && most == readers,
    );
    checks.check(
        "the writer was alone: no reader inside while it wrote",
        while_writing == 0,
    );
    checks.check(
        "readers saw the old value, and the write landed",
        seen.iter().all(|v| v == "v1") && after == "v2",
    );
}
