//! A thread panics while it holds a lock. A `std::sync::Mutex` remembers: it is *poisoned*, and
//! every later `lock()` returns `Err(PoisonError)` until somebody looks. A transfer between two
//! accounts panics halfway (the money left one account, never reached the other); the next
//! `lock()` is refused; `into_inner()` on the error still hands out the data, the lesson sees the
//! money missing, repairs it and clears the poison. Then the same panic under a
//! `parking_lot::Mutex`, which does not poison: the next lock just succeeds, and the broken
//! total is there for whoever does not check. The checks confirm each of these steps.
//!
//! Rust only: Python's locks do not poison: `with lock:` releases the lock when an exception passes through and leaves the data half-updated.

use std::panic::panic_any;
use std::process::ExitCode;
use std::thread;

use clap::Parser;
use examples_concepts::quiet_panics;
use lesson::{Checks, usize_in};

#[derive(Parser, Debug)]
#[command(about = "Poisoning: a thread panics while holding a lock")]
struct Args {
    /// How much money the failing transfer moves
    #[arg(long, default_value_t = 30, value_parser = usize_in(1, 100))]
    amount: usize,
}

/// What each of the two accounts holds at the start.
const OPENING_BALANCE: i64 = 100;
/// The deliberate panics come from threads with names starting so; they print nothing.
const DOOMED: &str = "doomed-transfer";

/// Takes `amount` out of the first account, then fails before paying it into the second.
fn half_a_transfer(accounts: &mut [i64; 2], amount: i64) {
    accounts[0] -= amount;
    panic_any("the bank's link went down mid-transfer"); // accounts[1] += amount never runs
}

// ANCHOR: std_mutex
/// The std `Mutex`: a panic poisons it. Returns (next lock refused, total seen, total after repair,
/// poisoned after `clear_poison`).
fn with_std_mutex(amount: i64) -> (bool, i64, i64, bool) {
    let accounts = std::sync::Mutex::new([OPENING_BALANCE; 2]);
    thread::scope(|s| {
        let doomed = thread::Builder::new().name(DOOMED.into());
        let worker =
            doomed.spawn_scoped(s, || half_a_transfer(&mut accounts.lock().unwrap(), amount));
        let panicked = worker.expect("spawn").join().is_err();
        println!("std: the transfer thread panicked holding the lock: {panicked}");
    });
    let (refused, total, repaired) = match accounts.lock() {
        Ok(guard) => {
            let total = guard.iter().sum();
            (false, total, total)
        }
        Err(poisoned) => {
            println!("std: lock() -> Err({poisoned})");
            let mut guard = poisoned.into_inner(); // the data, as the panic left it
            let total = guard.iter().sum::<i64>();
            println!("std: into_inner() hands out {:?}, total {total}", *guard);
            guard[0] += amount; // we know this transfer's story: undo its first half
            (true, total, guard.iter().sum())
        }
    };
    accounts.clear_poison();
    (refused, total, repaired, accounts.is_poisoned())
}
// ANCHOR_END: std_mutex

// ANCHOR: parking_lot
/// `parking_lot::Mutex` does not poison: returns (next lock succeeded, total it saw).
fn with_parking_lot(amount: i64) -> (bool, i64) {
    let accounts = parking_lot::Mutex::new([OPENING_BALANCE; 2]);
    thread::scope(|s| {
        let doomed = thread::Builder::new().name(DOOMED.into());
        let worker = doomed.spawn_scoped(s, || half_a_transfer(&mut accounts.lock(), amount));
        let panicked = worker.expect("spawn").join().is_err();
        println!("parking_lot: the transfer thread panicked holding the lock: {panicked}");
    });
    let guard = accounts.try_lock(); // no Result to look at: the lock is simply free again
    let total = guard.as_ref().map_or(0, |g| g.iter().sum());
    println!(
        "parking_lot: try_lock() -> {:?}, total {total}",
        guard.as_deref()
    );
    (guard.is_some(), total)
}
// ANCHOR_END: parking_lot

fn main() -> ExitCode {
    let Args { amount } = lesson::parse_args();
    let amount = amount as i64;
    let opening = 2 * OPENING_BALANCE;
    quiet_panics(DOOMED);
    lesson::header("poisoning: a thread panics while holding a lock");
    println!("\n-- std::sync::Mutex<[i64; 2]>: move {amount} from one account to the other --");
    let (refused, std_total, repaired, still_poisoned) = with_std_mutex(amount);
    println!("std: repaired total {repaired}; poisoned after clear_poison(): {still_poisoned}");
    println!("\n-- parking_lot::Mutex<[i64; 2]>: the same transfer, the same panic --");
    let (relocked, lot_total) = with_parking_lot(amount);

    let mut checks = Checks::new();
    checks.check(
        "std: the next lock() after the panic returned PoisonError",
        refused,
    );
    checks.check(
        format!("std: into_inner() gave the data back, {amount} short of {opening}"),
        std_total == opening - amount,
    );
    checks.check(
        "std: repaired, and clear_poison() made the lock usable again",
        repaired == opening && !still_poisoned,
    );
    checks.check(
        format!("parking_lot: locked again at once, {amount} short, and nobody was told"),
        relocked && lot_total == opening - amount,
    );
    checks.finish()
}
