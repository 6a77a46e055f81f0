//! Tests of the `deadlock_order` exercise. The transfers run on detached threads under a deadline:
//! a deadlock fails the test with what is probably wrong instead of hanging it.

use exercises::deadlock_order::{Account, transfer};
use exercises::support::within;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

const ROUNDS: usize = 100_000;

#[test]
fn opposite_transfers_do_not_deadlock_and_keep_the_money() {
    let a = Arc::new(Account::new(1, 1_000));
    let b = Arc::new(Account::new(2, 1_000));
    let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
    within(
        Duration::from_secs(20),
        "two threads each hold one account's lock and wait for the other's: do both take the \
         locks in the same order, whichever way the money moves?",
        move || {
            let one_way = {
                let (a, b) = (Arc::clone(&a2), Arc::clone(&b2));
                thread::spawn(move || (0..ROUNDS).for_each(|_| transfer(&a, &b, 3)))
            };
            let other_way = thread::spawn(move || (0..ROUNDS).for_each(|_| transfer(&b2, &a2, 2)));
            one_way.join().unwrap();
            other_way.join().unwrap();
        },
    );
    let moved = ROUNDS as i64;
    assert_eq!(
        a.balance(),
        1_000 - moved,
        "3 out and 2 back, {ROUNDS} times"
    );
    assert_eq!(b.balance(), 1_000 + moved);
}

#[test]
fn a_ring_of_transfers_keeps_the_total() {
    let accounts: Arc<Vec<Account>> = Arc::new((0..4).map(|id| Account::new(id, 500)).collect());
    let shared = Arc::clone(&accounts);
    within(
        Duration::from_secs(20),
        "a ring of transfers deadlocked: is the lock order the same for every pair of accounts?",
        move || {
            let threads: Vec<_> = (0..4)
                .map(|i| {
                    let accounts = Arc::clone(&shared);
                    thread::spawn(move || {
                        for _ in 0..ROUNDS / 4 {
                            transfer(&accounts[i], &accounts[(i + 1) % 4], 1);
                        }
                    })
                })
                .collect();
            threads.into_iter().for_each(|t| t.join().unwrap());
        },
    );
    let total: i64 = accounts.iter().map(Account::balance).sum();
    assert_eq!(total, 2_000, "money appeared or vanished");
}

#[test]
fn a_transfer_to_itself_changes_nothing() {
    let a = Arc::new(Account::new(7, 100));
    let a2 = Arc::clone(&a);
    within(
        Duration::from_secs(5),
        "locking the same Mutex twice on one thread never returns: check for from == to first",
        move || transfer(&a2, &a2, 40),
    );
    assert_eq!(a.balance(), 100);
}
