//! Loom model checks of the lessons' synchronization: loom runs a tiny version of each scene
//! under every interleaving its threads allow, so "it passed on my machine" becomes "it passes
//! on every schedule". The models mirror `examples_sync`'s functions with loom's types (loom
//! needs its own `Arc`, `Mutex`, `Condvar` and atomics to see every step). Kept tiny (two
//! threads, one or two operations each) so that each runs in well under a second.

use std::collections::BTreeSet;
use std::sync::Arc as StdArc;
use std::sync::Mutex as StdMutex;

use loom::sync::atomic::{AtomicU64, Ordering};
use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;

/// Two threads, each adding one `increments` times with `add`; returns every final count that
/// some interleaving produced.
fn outcomes(increments: u64, add: fn(&AtomicU64)) -> BTreeSet<u64> {
    let seen = StdArc::new(StdMutex::new(BTreeSet::new()));
    let record = StdArc::clone(&seen);
    loom::model(move || {
        let counter = Arc::new(AtomicU64::new(0));
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || (0..increments).for_each(|_| add(&counter)))
        };
        (0..increments).for_each(|_| add(&counter));
        other.join().unwrap();
        record
            .lock()
            .unwrap()
            .insert(counter.load(Ordering::SeqCst));
    });
    StdArc::try_unwrap(seen).unwrap().into_inner().unwrap()
}

#[test]
fn fetch_add_is_exact_on_every_interleaving() {
    let seen = outcomes(2, |c| {
        c.fetch_add(1, Ordering::Relaxed);
    });
    assert_eq!(seen, BTreeSet::from([4]));
}

// ANCHOR: loom_race
#[test]
fn load_then_store_loses_an_update_on_some_interleaving() {
    // examples_sync::load_then_store's loop body.
    let seen = outcomes(1, |c| {
        let v = c.load(Ordering::Relaxed);
        c.store(v + 1, Ordering::Relaxed);
    });
    // Loom finds both: the threads one after the other (2), and both loading 0 before either
    // stores (1). Nothing ever counts more than was added.
    assert_eq!(seen, BTreeSet::from([1, 2]));
}
// ANCHOR_END: loom_race

#[test]
fn a_mutex_counter_is_exact_on_every_interleaving() {
    loom::model(|| {
        let counter = Arc::new(Mutex::new(0u64));
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || *counter.lock().unwrap() += 1)
        };
        *counter.lock().unwrap() += 1;
        other.join().unwrap();
        assert_eq!(*counter.lock().unwrap(), 2);
    });
}

/// `examples_sync::Event` with loom's types: a flag behind a mutex and a condvar to wait on.
struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    fn set(&self) {
        *self.flag.lock().unwrap() = true;
        self.changed.notify_all();
    }

    fn wait(&self) {
        let mut set = self.flag.lock().unwrap();
        while !*set {
            set = self.changed.wait(set).unwrap();
        }
    }
}

#[test]
fn event_wakes_a_waiter_whenever_it_is_set_and_never_before() {
    // If `set` could slip in between the waiter's check and its sleep, the waiter would sleep
    // forever and loom would report a deadlock. It also checks the waiter never passes early.
    loom::model(|| {
        let event = Arc::new(Event {
            flag: Mutex::new(false),
            changed: Condvar::new(),
        });
        let data = Arc::new(AtomicU64::new(0));
        let waiter = {
            let (event, data) = (Arc::clone(&event), Arc::clone(&data));
            thread::spawn(move || {
                event.wait();
                data.load(Ordering::Relaxed)
            })
        };
        data.store(42, Ordering::Relaxed);
        event.set();
        assert_eq!(
            waiter.join().unwrap(),
            42,
            "the waiter passed before the set"
        );
    });
}
