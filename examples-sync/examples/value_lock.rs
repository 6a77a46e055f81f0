//! Translates: "Python multiprocessing: True Parallelism", "Synchronization Primitives", `Value` with a `Lock`.
//!
//! The counter and a raw_sync `Mutex` (a process-shared pthread mutex) in one shared_memory
//! segment; four child processes (this program, run again with the segment's name in
//! `VALUE_LOCK_SEGMENT`) each add one 10,000 times, each time holding the lock. The total is exact.
//! The parent created the segment, so it owns it: dropping `shm` as `main` returns unlinks
//! `/dev/shm/value_lock_<pid>`, after every child has been reaped.

use raw_sync::locks::{LockImpl, LockInit, Mutex};
use shared_memory::ShmemConf;
use std::{env, error::Error, process};

const SEGMENT: &str = "VALUE_LOCK_SEGMENT";
const LOCK_OFFSET: usize = 8; // the `i32` counter first, then the mutex, pointer-aligned

fn safe_increment(lock: &dyn LockImpl, iterations: i32) -> Result<(), Box<dyn Error>> {
    for _ in 0..iterations {
        let guard = lock.lock()?; // `with lock:`, released when `guard` goes out of scope
        // SAFETY: the guard points at the segment's `i32` counter, which only the holder touches.
        unsafe { *guard.cast::<i32>() += 1 };
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let (iterations, size) = (10_000, LOCK_OFFSET + Mutex::size_of(None));
    if let Ok(os_id) = env::var(SEGMENT) {
        let shm = ShmemConf::new().os_id(os_id).open()?; // a child maps the parent's segment
        assert!(shm.len() >= size, "the segment is too small");
        // SAFETY: the parent initialised the mutex at LOCK_OFFSET before it started any child.
        let (lock, _) =
            unsafe { Mutex::from_existing(shm.as_ptr().add(LOCK_OFFSET), shm.as_ptr()) }?;
        return safe_increment(&*lock, iterations);
    }
    let os_id = format!("/value_lock_{}", process::id()); // unlinked when `shm` is dropped
    let shm = ShmemConf::new().size(size).os_id(&os_id).create()?; // zero-filled: counter = 0
    // SAFETY: the segment is `size` bytes, so the mutex fits after the counter; no child runs yet.
    let (lock, _) = unsafe { Mutex::new(shm.as_ptr().add(LOCK_OFFSET), shm.as_ptr()) }?;
    let exe = env::current_exe()?;
    let spawn = |_| process::Command::new(&exe).env(SEGMENT, &os_id).spawn();
    let processes: Vec<_> = (0..4).map(spawn).collect::<Result<_, _>>()?;
    for mut p in processes {
        assert!(p.wait()?.success(), "a child failed");
    }
    let expected = 4 * iterations;
    // SAFETY: as in safe_increment: read under the lock.
    let counter = unsafe { *lock.lock()?.cast::<i32>() };
    println!("Counter: {counter} (expected: {expected})");
    assert_eq!(counter, expected, "Race condition detected!");
    Ok(())
}
