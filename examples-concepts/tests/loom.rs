//! Loom model checks of `memory_ordering`'s scenes: loom runs each tiny scene under every
//! interleaving, and nearly every value a load may return under the memory model, so "this machine
//! never showed it" becomes "loom found no execution that does" or "here is one that does". The
//! models mirror `examples_concepts::handoff` and `store_buffer` with loom's atomics (loom must see
//! every step).
//!
//! Two limits, from loom's README ("Unsupported features"): it does not explore some load-buffering
//! executions (so a pass is not a proof; neither scene here depends on one), and it treats `SeqCst`
//! loads and stores as `AcqRel`, which would make the store-buffer test with `SeqCst` accesses fail
//! falsely. `fence(SeqCst)` is supported, so the SeqCst version here puts a fence between store and
//! load.

use std::collections::BTreeSet;
use std::sync::{Arc as StdArc, Mutex as StdMutex};

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicU64, Ordering, fence};
use loom::thread;

/// Runs `scene` under loom and returns every result some execution produced.
fn outcomes<T: Ord + Send + std::fmt::Debug + 'static>(scene: fn() -> T) -> BTreeSet<T> {
    let seen = StdArc::new(StdMutex::new(BTreeSet::new()));
    let record = StdArc::clone(&seen);
    loom::model(move || {
        let outcome = scene();
        record.lock().unwrap().insert(outcome);
    });
    StdArc::try_unwrap(seen).unwrap().into_inner().unwrap()
}

// ANCHOR: loom_handoff
/// Writes 42, raises the flag with `publish`; the other thread, if it sees the flag with
/// `observe`, reads the number. Returns the number read, or `None` if the flag was not up yet.
fn handoff(publish: Ordering, observe: Ordering) -> Option<u64> {
    let (data, ready) = (
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let reader = {
        let (data, ready) = (Arc::clone(&data), Arc::clone(&ready));
        thread::spawn(move || ready.load(observe).then(|| data.load(Ordering::Relaxed)))
    };
    data.store(42, Ordering::Relaxed);
    ready.store(true, publish);
    reader.join().unwrap()
}

#[test]
fn release_acquire_handoff_always_delivers_the_number() {
    let seen = outcomes(|| handoff(Ordering::Release, Ordering::Acquire));
    // Flag not up yet, or up and the number with it: never the flag without the number.
    assert_eq!(seen, BTreeSet::from([None, Some(42)]));
}

#[test]
fn relaxed_handoff_can_deliver_the_flag_without_the_number() {
    let seen = outcomes(|| handoff(Ordering::Relaxed, Ordering::Relaxed));
    // Loom finds the execution this x86 machine never shows: the flag is up, the number is 0.
    assert!(seen.contains(&Some(0)), "loom found only {seen:?}");
}
// ANCHOR_END: loom_handoff

// ANCHOR: loom_store_buffer
/// Each thread sets its own flag, then reads the other's (with a `SeqCst` fence in between if
/// `fenced`). Returns what the two threads read.
fn store_buffer(fenced: bool) -> (u64, u64) {
    let (x, y) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let side = move |mine: Arc<AtomicU64>, theirs: Arc<AtomicU64>| {
        mine.store(1, Ordering::Release);
        if fenced {
            fence(Ordering::SeqCst);
        }
        theirs.load(Ordering::Acquire)
    };
    let other = {
        let (x, y) = (Arc::clone(&x), Arc::clone(&y));
        thread::spawn(move || side(y, x))
    };
    let mine = side(x, y);
    (mine, other.join().unwrap())
}

#[test]
fn release_acquire_lets_both_threads_miss_each_other() {
    let seen = outcomes(|| store_buffer(false));
    assert!(seen.contains(&(0, 0)), "loom found only {seen:?}");
}

#[test]
fn a_seq_cst_fence_means_at_least_one_thread_sees_the_other() {
    let seen = outcomes(|| store_buffer(true));
    assert!(!seen.contains(&(0, 0)), "loom found {seen:?}");
    assert_eq!(seen, BTreeSet::from([(0, 1), (1, 0), (1, 1)]));
}
// ANCHOR_END: loom_store_buffer
