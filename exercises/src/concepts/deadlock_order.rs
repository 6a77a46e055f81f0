//! Exercise: two locks, taken in opposite orders by two threads, and both wait forever. Write a
//! transfer between two accounts that can never deadlock. Python's `threading.Lock` deadlocks
//! the same way; only a timeout on `acquire` lets it notice.
//! Lesson: `deadlock`. Hints: `cargo run -p exercises --bin course -- hint deadlock_order`.
//! Check: `cargo run -p exercises --bin course -- check deadlock_order`

use std::sync::Mutex;

/// A bank account: an id no other account has, and a balance behind its own lock.
#[derive(Debug)]
pub struct Account {
    pub id: u32,
    balance: Mutex<i64>,
}

impl Account {
    pub fn new(id: u32, balance: i64) -> Account {
        Account {
            id,
            balance: Mutex::new(balance),
        }
    }

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}

/// The broken version, to read, not to copy: it locks `from`, then `to`. One thread moving money
/// from A to B holds A and waits for B while another, moving money from B to A, holds B and
/// waits for A. Neither ever lets go: a deadlock (the `ABBA` pattern).
pub fn transfer_naive(from: &Account, to: &Account, amount: i64) {
    let mut source = from.balance.lock().unwrap();
    let mut target = to.balance.lock().unwrap();
    *source -= amount;
    *target += amount;
}

/// Moves `amount` from `from` to `to`, holding both locks so no one sees the money in flight.
/// Must never deadlock, whatever other transfers run at the same time in whatever direction,
/// and a transfer from an account to itself changes nothing.
pub fn transfer(from: &Account, to: &Account, amount: i64) {
    // TODO: a transfer to the same account changes nothing (and must not lock twice).
    // TODO: take the two locks in an order every thread agrees on, whatever the direction of
    //       the transfer; then take `amount` from `from` and add it to `to`.
    todo!("transfer")
}
