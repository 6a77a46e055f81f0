//! Shared state between threads: the counters the `thread_counter` lesson races and guards, the
//! two primitives the standard library does not have (an `Event` for the `event` lesson and a
//! counting `Semaphore` for `semaphore`, each built from a `Mutex` and a `Condvar`), and what the
//! primitive lessons use to watch their scenes ([`Occupancy`], [`bounded`], [`wait_until`],
//! [`PATIENCE`]).
//!
//! The lessons, the tests and the bench all call these functions, so what the book shows is what
//! gets measured. `tests/loom.rs` model-checks the same algorithms with loom's types.
//!
//! Between processes: the toolkit's [`multiproc::shm`] maps named shared-memory segments
//! (unlinked early, stale ones removed), checks their layout, and provides a robust
//! process-shared mutex and a cross-process event; [`workers`] holds the worker processes of
//! `shared_value_race`, `shared_value_lock`, `shared_array` and `process_event`, and the parent's
//! side of a run.
//!
//! # What Rust refuses to compile
//!
//! Python lets several threads run `counter += 1` on one shared integer and leaves the outcome to
//! the interpreter. Rust rejects the unsynchronized version before it runs: each thread's closure
//! wants `&mut counter`, and only one `&mut` may exist at a time. This example must fail to
//! compile (`cargo test -p examples-sync --doc` checks that it does, with error E0499; the
//! code is in `src/refused.rs`, which is not part of the crate):
//!
//! ```compile_fail,E0499
#![doc = include_str!("refused.rs")]
//! ```

pub mod workers;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Barrier, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The ways `thread_counter` adds `increments` to one shared counter from each of `threads`
/// threads. All of them compile; only the last three are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// `load` then `store`: two atomic operations with a gap between them. Safe, and wrong.
    LoadThenStore,
    /// `std::sync::Mutex<u64>`, locked once per increment.
    StdMutex,
    /// `parking_lot::Mutex<u64>`, locked once per increment.
    ParkingLotMutex,
    /// `AtomicU64::fetch_add`: one indivisible read-modify-write.
    FetchAdd,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [
        Strategy::LoadThenStore,
        Strategy::StdMutex,
        Strategy::ParkingLotMutex,
        Strategy::FetchAdd,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Strategy::LoadThenStore => "atomic load, then store",
            Strategy::StdMutex => "std::sync::Mutex",
            Strategy::ParkingLotMutex => "parking_lot::Mutex",
            Strategy::FetchAdd => "AtomicU64::fetch_add",
        }
    }

    /// Runs the strategy and returns the final count (`threads * increments` if nothing was lost).
    pub fn run(self, threads: usize, increments: u64) -> u64 {
        match self {
            Strategy::LoadThenStore => load_then_store(threads, increments),
            Strategy::StdMutex => std_mutex(threads, increments),
            Strategy::ParkingLotMutex => parking_lot_mutex(threads, increments),
            Strategy::FetchAdd => fetch_add(threads, increments),
        }
    }
}

// ANCHOR: contend
/// Starts `threads` threads together and has each call `increment` `increments` times. The
/// strategies below differ only in the one line they pass in.
fn contend(threads: usize, increments: u64, increment: impl Fn() + Sync) {
    let start = Barrier::new(threads);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                start.wait(); // all threads start together, so they really contend
                for _ in 0..increments {
                    increment();
                }
            });
        }
    });
}
// ANCHOR_END: contend

// ANCHOR: load_then_store
/// Each increment reads the counter, then writes back one more. Between the two, another thread
/// may have written: its update is then overwritten and lost. No undefined behaviour, no crash,
/// and the compiler cannot help: every single operation is atomic, the pair is not.
pub fn load_then_store(threads: usize, increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    contend(threads, increments, || {
        let seen = counter.load(Ordering::Relaxed);
        counter.store(seen + 1, Ordering::Relaxed);
    });
    counter.into_inner()
}
// ANCHOR_END: load_then_store

// ANCHOR: exact
/// The lock is the only way to reach the `u64`: the type system will not let a thread touch the
/// counter without holding it.
pub fn std_mutex(threads: usize, increments: u64) -> u64 {
    let counter = Mutex::new(0u64);
    contend(threads, increments, || {
        *counter.lock().expect("no thread panics holding it") += 1;
    });
    counter.into_inner().expect("no thread panics holding it")
}

/// The same with parking_lot's mutex: no poisoning (so no `Result`), and a different strategy
/// for waiting (spin briefly, then park).
pub fn parking_lot_mutex(threads: usize, increments: u64) -> u64 {
    let counter = parking_lot::Mutex::new(0u64);
    contend(threads, increments, || *counter.lock() += 1);
    counter.into_inner()
}

/// One hardware read-modify-write per increment: no lock at all.
pub fn fetch_add(threads: usize, increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    contend(threads, increments, || {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    counter.into_inner()
}
// ANCHOR_END: exact

// ANCHOR: event
/// Python's `threading.Event`: a flag that starts clear; `wait` blocks until someone `set`s it.
/// A `bool` behind a `Mutex`, and a `Condvar` to sleep on until it changes.
#[derive(Debug, Default)]
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the flag and wakes every waiter.
    pub fn set(&self) {
        *self.flag.lock().expect("event lock") = true;
        self.changed.notify_all();
    }

    pub fn is_set(&self) -> bool {
        *self.flag.lock().expect("event lock")
    }

    /// Waits until the flag is set or `timeout` has passed; returns whether it is set.
    /// `wait_timeout_while` re-checks the flag after every wake-up, spurious ones included.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let flag = self.flag.lock().expect("event lock");
        let (flag, _) = self
            .changed
            .wait_timeout_while(flag, timeout, |set| !*set)
            .expect("event lock");
        *flag
    }
}
// ANCHOR_END: event

// ANCHOR: semaphore
/// A counting semaphore (std has none): at most `permits` holders at once. Python's
/// `threading.Semaphore`, built from a counter behind a `Mutex` and a `Condvar`.
#[derive(Debug)]
pub struct Semaphore {
    available: Mutex<usize>,
    released: Condvar,
}

/// Holding one permit; dropping it gives the permit back, so an early return cannot leak it.
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self {
            available: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    /// Takes a permit, waiting at most `timeout` for one; `None` if none came free in time.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
        let available = self.available.lock().expect("semaphore lock");
        let (mut available, _) = self
            .released
            .wait_timeout_while(available, timeout, |n| *n == 0)
            .expect("semaphore lock");
        if *available == 0 {
            return None;
        }
        *available -= 1;
        Some(Permit { semaphore: self })
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.semaphore.available.lock().expect("semaphore lock") += 1;
        self.semaphore.released.notify_one();
    }
}
// ANCHOR_END: semaphore

/// The longest any one wait in the primitive lessons may take before the scene counts as stuck:
/// every wait is bounded, so a primitive with a bug fails a check instead of hanging the lesson.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// Counts how many threads are inside a section right now, and the most there ever were at once.
#[derive(Debug, Default)]
pub struct Occupancy {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Occupancy {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks one more thread inside; returns how many are inside now, this one included.
    pub fn enter(&self) -> usize {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        now
    }

    pub fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }

    pub fn now(&self) -> usize {
        self.now.load(Ordering::SeqCst)
    }

    pub fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

/// Runs `scene` on its own thread and waits at most `deadline` for its result. A scene that
/// deadlocks (a primitive with a bug) then fails its check instead of hanging the lesson: the
/// stuck thread is abandoned, and ends with the process.
pub fn bounded<T: Send + 'static>(
    deadline: Duration,
    scene: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(scene());
    });
    rx.recv_timeout(deadline).ok()
}

/// Sleeps until `ready()` holds, polling every millisecond, for at most `timeout`.
pub fn wait_until(timeout: Duration, ready: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while !ready() {
        if start.elapsed() > timeout {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_strategies_are_exact_and_the_race_never_invents_updates() {
        for strategy in Strategy::ALL {
            let total = strategy.run(3, 20_000);
            if strategy == Strategy::LoadThenStore {
                assert!(total <= 60_000, "{total}");
            } else {
                assert_eq!(total, 60_000, "{}", strategy.name());
            }
        }
    }

    #[test]
    fn one_thread_loses_nothing_even_with_load_then_store() {
        assert_eq!(load_then_store(1, 10_000), 10_000);
    }

    #[test]
    fn event_wakes_waiters_and_times_out_when_never_set() {
        let event = Event::new();
        assert!(!event.wait_timeout(Duration::from_millis(10)));
        thread::scope(|s| {
            let waiter = s.spawn(|| event.wait_timeout(Duration::from_secs(5)));
            event.set();
            assert!(waiter.join().unwrap());
        });
        assert!(event.is_set());
    }

    #[test]
    fn semaphore_refuses_a_permit_when_none_is_free() {
        let sem = Semaphore::new(1);
        let held = sem.acquire_timeout(Duration::from_millis(10));
        assert!(held.is_some());
        assert!(sem.acquire_timeout(Duration::from_millis(10)).is_none());
        drop(held);
        assert!(sem.acquire_timeout(Duration::from_millis(10)).is_some());
    }

    #[test]
    fn bounded_gives_up_on_a_scene_that_never_ends() {
        assert_eq!(bounded(Duration::from_secs(5), || 7), Some(7));
        let stuck = bounded(Duration::from_millis(20), || {
            thread::sleep(Duration::from_secs(3600));
        });
        assert!(stuck.is_none());
    }
}
