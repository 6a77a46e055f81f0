//! Solution: deadlock_order.

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
    if from.id == to.id {
        return; // locking the same `Mutex` twice on one thread would deadlock (or panic)
    }
    // Every thread takes the two locks in one global order, lower id first, so no thread can
    // hold the second lock while waiting for the first.
    let (first, second) = if from.id < to.id {
        (from, to)
    } else {
        (to, from)
    };
    let mut first = first.balance.lock().unwrap();
    let mut second = second.balance.lock().unwrap();
    let (source, target) = if from.id < to.id {
        (&mut *first, &mut *second)
    } else {
        (&mut *second, &mut *first)
    };
    *source -= amount;
    *target += amount;
}
