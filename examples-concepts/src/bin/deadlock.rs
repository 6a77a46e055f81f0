//! Deadlock: two threads, two locks, taken in opposite orders (A then B, B then A). Once each
//! holds its first lock, each waits for the other's forever. Here the second lock is taken with a
//! deadline (`parking_lot`'s `try_lock_for`), which turns "forever" into a report. The scene is
//! staged: barriers make both threads hold their first lock before either asks for the second.
//! Then the two fixes, each moving money back and forth between two accounts many times: one
//! global lock order (always A before B), and `try_lock` with back-off (take one, try the other,
//! and on failure let go of both and wait a little). The checks: each thread gave up only after
//! waiting its whole deadline (timed), and both fixes finished in time, with no deadlock.
//!
//! Rust only: the tutorials never take two locks; Python's twin deadlocks the same way and uses `Lock.acquire(timeout=...)` as its watchdog.

use std::process::ExitCode;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use examples_concepts::{PATIENCE, bounded};
use lesson::{Checks, human, usize_in};
use parking_lot::Mutex;

#[derive(Parser, Debug)]
#[command(about = "Deadlock: two locks in opposite order, caught and fixed")]
struct Args {
    /// How many transfers each thread makes in each fix
    #[arg(long, default_value_t = 20_000, value_parser = usize_in(1, 1_000_000))]
    transfers: usize,
}

/// How long a thread waits for its second lock before it reports a deadlock.
const WATCHDOG: Duration = Duration::from_millis(200);
/// What each account holds at the start.
const OPENING_BALANCE: i64 = 1_000;
/// The first and the longest back-off after a failed `try_lock`.
const FIRST_BACKOFF: Duration = Duration::from_micros(1);
const LONGEST_BACKOFF: Duration = Duration::from_micros(256);

/// Two accounts, each behind its own lock.
type Accounts = [Mutex<i64>; 2];
/// One transfer between them, from the account given; returns how many tries failed.
type Transfer = fn(&Accounts, usize) -> usize;
/// One thread's try for its second lock: whether it got it, and how long it waited.
type Attempt = (bool, Duration);

// ANCHOR: abba
/// Thread `first` takes its lock, waits until the other thread holds the other lock, then asks
/// for it with a deadline. Returns whether it got it, and how long it waited.
fn abba_side(accounts: &Accounts, first: usize, hold: &Barrier, tried: &Barrier) -> Attempt {
    let _mine = accounts[first].lock();
    hold.wait(); // staged: now A is held by one thread and B by the other
    let asked = Instant::now();
    let got = accounts[1 - first].try_lock_for(WATCHDOG).is_some();
    let waited = asked.elapsed();
    tried.wait(); // keep my lock until the other has given up too
    (got, waited)
}

/// Thread 0 takes A then B, thread 1 B then A. Returns each one's attempt at its second lock.
fn abba() -> [Attempt; 2] {
    let accounts: Accounts = [Mutex::new(0), Mutex::new(0)];
    let (hold, tried) = (Barrier::new(2), Barrier::new(2));
    let (accounts, hold, tried) = (&accounts, &hold, &tried);
    thread::scope(|s| {
        let side = |first| s.spawn(move || abba_side(accounts, first, hold, tried));
        [side(0), side(1)].map(|side| side.join().unwrap())
    })
}
// ANCHOR_END: abba

// ANCHOR: ordered
/// Moves one unit from account `from` to the other, taking A before B whatever the direction.
/// Returns 0: it never has to try again.
fn transfer_in_lock_order(accounts: &Accounts, from: usize) -> usize {
    let mut held = [accounts[0].lock(), accounts[1].lock()];
    *held[from] -= 1;
    *held[1 - from] += 1;
    0
}
// ANCHOR_END: ordered

// ANCHOR: backoff
/// Moves one unit from account `from` to the other: takes `from` first, only tries the other,
/// and on failure lets go and waits, longer each time. Returns how many tries failed.
fn transfer_with_backoff(accounts: &Accounts, from: usize) -> usize {
    let (mut failed, mut backoff) = (0, FIRST_BACKOFF);
    loop {
        let mut source = accounts[from].lock();
        thread::yield_now(); // some work between the two locks: the window a deadlock needs
        if let Some(mut target) = accounts[1 - from].try_lock() {
            *source -= 1;
            *target += 1;
            return failed;
        }
        drop(source); // let the other thread finish, then try again
        failed += 1;
        thread::sleep(backoff);
        backoff = (backoff * 2).min(LONGEST_BACKOFF);
    }
}
// ANCHOR_END: backoff

/// Two threads move `transfers` units each, in opposite directions, with `transfer`. Returns the
/// accounts' final total and the sum of what `transfer` returned.
fn both_ways(transfers: usize, transfer: Transfer) -> (i64, usize) {
    let accounts: Accounts = [Mutex::new(OPENING_BALANCE), Mutex::new(OPENING_BALANCE)];
    let accounts = &accounts;
    let counted = thread::scope(|s| {
        let side = |from| s.spawn(move || (0..transfers).map(|_| transfer(accounts, from)).sum());
        [side(0), side(1)]
            .map(|side| side.join().unwrap())
            .iter()
            .sum()
    });
    (accounts.iter().map(|a| *a.lock()).sum(), counted)
}

fn main() -> ExitCode {
    let Args { transfers } = lesson::parse_args();
    lesson::header("deadlock: two locks in opposite order, caught and fixed");
    let mut checks = Checks::new();
    let opening = 2 * OPENING_BALANCE;

    println!("\n-- A then B, and B then A; the second lock waits {WATCHDOG:?} at most --");
    let attempts = abba();
    for (me, (got, waited)) in attempts.iter().enumerate() {
        let (mine, theirs) = if me == 0 { ("A", "B") } else { ("B", "A") };
        let verdict = if *got { "got it" } else { "gave up: deadlock" };
        let waited = human(*waited);
        println!("thread {me}: holds {mine}, waited {waited} for {theirs}: {verdict}");
    }
    let gave_up_late = |&(got, waited): &Attempt| !got && waited >= WATCHDOG;
    let whole = format!("each thread gave up after waiting its whole {WATCHDOG:?}: a deadlock");
    checks.check(whole, attempts.iter().all(gave_up_late));

    let fixes: [(&str, Transfer); 2] = [
        ("one lock order, A before B", transfer_in_lock_order),
        ("try_lock with back-off", transfer_with_backoff),
    ];
    for (name, transfer) in fixes {
        println!("\n-- fix: {name}; {transfers} transfers each way --");
        let done = bounded(PATIENCE, move || both_ways(transfers, transfer));
        if let Some((total, failed_tries)) = done {
            println!("total {total} (started at {opening}); tries that failed: {failed_tries}");
        }
        let finished = format!("{name}: all transfers done within {PATIENCE:?}, no deadlock");
        checks.check(finished, done.is_some());
    }
    checks.finish()
}
