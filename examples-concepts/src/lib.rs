//! Rust's own concurrency concepts: the machinery behind the `concepts` lessons (`send_sync`,
//! `poisoning`, `memory_ordering`, `deadlock`, `select`), so that each lesson file keeps to the
//! idea it teaches.
//!
//! - [`implements!`] asks the compiler whether a type is `Send` or `Sync`, for `send_sync`'s table;
//! - [`quiet_panics`] keeps a deliberate panic from filling the screen (`poisoning`);
//! - [`handoff`], [`store_buffer`] and [`relaxed_counter`] are `memory_ordering`'s three scenes;
//! - [`bounded`] and [`PATIENCE`] put a deadline on a scene that might hang (`deadlock`).
//!
//! `tests/loom.rs` model-checks the memory-ordering scenes on every interleaving loom explores.
//!
//! # What Rust refuses to compile
//!
//! An `Rc` cannot move to another thread: its reference count is a plain integer, and two threads
//! cloning and dropping it at once would corrupt it. `cargo test -p examples-concepts --doc`
//! checks that this fails with error E0277 (`Rc<..>` is not `Send`; the code is in
//! `src/refused_rc.rs`, which is not part of the crate):
//!
//! ```compile_fail,E0277
#![doc = include_str!("refused_rc.rs")]
//! ```
//!
//! A `RefCell` cannot be shared by two threads: its borrow flag is a plain integer too, so two
//! threads could both see "not borrowed" and both take `&mut`. Error E0277 again (`RefCell<..>`
//! is not `Sync`; the code is in `src/refused_refcell.rs`):
//!
//! ```compile_fail,E0277
#![doc = include_str!("refused_refcell.rs")]
//! ```

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// The longest a scene may take before it counts as stuck: it then fails a check instead of
/// hanging the lesson.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Whether a type implements a marker trait, answered by the compiler where the macro is used:
/// `implements!(Rc<u8>: Send)` is `false`. An inherent associated constant, which exists only when
/// the bound holds, wins over the trait's fallback constant of the same name (the `impls` crate's
/// trick), so no type ever has to be instantiated.
#[macro_export]
macro_rules! implements {
    ($type:ty: $bound:path) => {{
        #[allow(dead_code)] // unused when the inherent constant wins
        trait Fallback {
            const YES: bool = false;
        }
        impl<T: ?Sized> Fallback for T {}
        struct Probe<T: ?Sized>(::std::marker::PhantomData<T>);
        #[allow(dead_code)]
        impl<T: ?Sized + $bound> Probe<T> {
            const YES: bool = true;
        }
        <Probe<$type>>::YES
    }};
}

/// From now on, a panic in a thread whose name starts with `prefix` prints nothing: the lesson
/// that caused it on purpose reports it itself. Panics anywhere else still print as usual.
pub fn quiet_panics(prefix: &'static str) {
    let loud = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let name = thread::current().name().map(|n| n.starts_with(prefix));
        if name != Some(true) {
            loud(info);
        }
    }));
}

/// Runs `scene` on its own thread and waits at most `deadline` for its result. A scene that
/// hangs fails its check instead of hanging the lesson: the stuck thread is abandoned, and ends
/// with the process.
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

/// Spins this long before each `yield_now`, so a spinning thread does not starve the one it
/// waits for on a busy two-core machine.
const SPINS_BEFORE_YIELD: u32 = 1_000;

/// Waits, spinning, until `ready()` holds.
fn spin_until(ready: impl Fn() -> bool) {
    let mut spins = 0u32;
    while !ready() {
        spins += 1;
        if spins.is_multiple_of(SPINS_BEFORE_YIELD) {
            thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
}

// ANCHOR: handoff
/// One thread writes a number and then raises a flag; the other waits for the flag and reads the
/// number, `rounds` times, each round on a fresh pair. The flag is stored with `publish` and
/// loaded with `observe`; the number itself is atomic and `Relaxed`, so there is never a data race
/// (undefined behaviour), only a possibly stale value. Returns how many reads were stale.
pub fn handoff(rounds: usize, publish: Ordering, observe: Ordering) -> usize {
    let data: Vec<AtomicU64> = (0..rounds).map(|_| AtomicU64::new(0)).collect();
    let ready: Vec<AtomicBool> = (0..rounds).map(|_| AtomicBool::new(false)).collect();
    thread::scope(|s| {
        s.spawn(|| {
            for (round, (data, ready)) in data.iter().zip(&ready).enumerate() {
                data.store(round as u64 + 1, Ordering::Relaxed);
                ready.store(true, publish);
            }
        });
        let reader = s.spawn(|| {
            let stale = |(round, (data, ready)): (usize, (&AtomicU64, &AtomicBool))| {
                spin_until(|| ready.load(observe));
                data.load(Ordering::Relaxed) != round as u64 + 1
            };
            data.iter()
                .zip(&ready)
                .enumerate()
                .filter(|&r| stale(r))
                .count()
        });
        reader.join().expect("the reader does not panic")
    })
}
// ANCHOR_END: handoff

// ANCHOR: store_buffer
/// The store-buffer test (the heart of Dekker's mutual exclusion): each of two threads sets its
/// own flag and then reads the other's. Under sequential consistency at least one must see the
/// other's flag set; with `Release` stores and `Acquire` loads, both may read 0, and on x86 they
/// do, because each store can still sit in its core's store buffer. Returns in how many of
/// `rounds` rounds both threads read 0.
pub fn store_buffer(rounds: usize, store: Ordering, load: Ordering) -> usize {
    let mine: Vec<AtomicU32> = (0..rounds).map(|_| AtomicU32::new(0)).collect();
    let theirs: Vec<AtomicU32> = (0..rounds).map(|_| AtomicU32::new(0)).collect();
    let arrived = AtomicUsize::new(0);
    let side = |own: &[AtomicU32], other: &[AtomicU32]| -> Vec<u32> {
        (0..rounds)
            .map(|round| {
                // Both threads leave this meeting point together, so the two stores race.
                arrived.fetch_add(1, Ordering::SeqCst);
                spin_until(|| arrived.load(Ordering::SeqCst) >= 2 * (round + 1));
                own[round].store(1, store);
                other[round].load(load)
            })
            .collect()
    };
    let (left, right) = thread::scope(|s| {
        let left = s.spawn(|| side(&mine, &theirs));
        let right = s.spawn(|| side(&theirs, &mine));
        (left.join().unwrap(), right.join().unwrap())
    });
    left.iter()
        .zip(&right)
        .filter(|(l, r)| **l == 0 && **r == 0)
        .count()
}
// ANCHOR_END: store_buffer

// ANCHOR: relaxed_counter
/// `threads` threads each add one `increments` times to a shared counter with a `Relaxed`
/// `fetch_add`. Nothing is published through the counter, only counted, so no ordering is needed:
/// each `fetch_add` is still one indivisible step, and the total is exact.
pub fn relaxed_counter(threads: usize, increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..increments {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    counter.into_inner()
}
// ANCHOR_END: relaxed_counter

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::sync::{Arc, Mutex};

    #[test]
    fn implements_answers_as_the_compiler_does() {
        assert!(!implements!(Rc<u8>: Send));
        assert!(implements!(RefCell<u8>: Send));
        assert!(!implements!(RefCell<u8>: Sync));
        assert!(implements!(Arc<Mutex<u8>>: Sync));
    }

    #[test]
    fn release_acquire_handoff_never_reads_stale_data() {
        assert_eq!(handoff(2_000, Ordering::Release, Ordering::Acquire), 0);
    }

    #[test]
    fn seq_cst_store_buffer_never_reads_zero_twice() {
        assert_eq!(store_buffer(2_000, Ordering::SeqCst, Ordering::SeqCst), 0);
    }

    #[test]
    fn the_relaxed_counter_is_exact() {
        assert_eq!(relaxed_counter(3, 10_000), 30_000);
    }

    #[test]
    fn bounded_gives_up_on_a_scene_that_hangs() {
        assert_eq!(bounded(Duration::from_millis(50), || 7), Some(7));
        let stuck = bounded(Duration::from_millis(50), || thread::sleep(PATIENCE));
        assert!(stuck.is_none());
    }
}
