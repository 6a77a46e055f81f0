//! Translates: "Python multiprocessing: True Parallelism", "Inter-Process Communication", `Value` and `Array` modified by four processes.
//!
//! A `Value('i', 0)` and an `Array('d', [1.0, 2.0, 3.0])` in one shared_memory segment; four child
//! processes (this program, run again with the segment's name in `VALUE_ARRAY_SEGMENT`) each add
//! one to the counter, then double the array. No lock: the run exits 0 and prints how many
//! increments were lost.
//!
//! The tutorial adds one once per process. Even 10,000 times takes Rust microseconds, over before
//! the next process has started, so nothing is lost: here each adds one a hundred million times.
//!
//! The segment holds atomics, so two processes at once is a race in the logic (lost updates),
//! never undefined behaviour: `counter.value += 1` is an atomic read, then an atomic write, as in
//! Python. The `f64`s are stored as their bits. The parent created the segment, so it owns it:
//! dropping `shm` as `main` returns unlinks `/dev/shm/value_array_<pid>`.

use shared_memory::{Shmem, ShmemConf};
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering::Relaxed};
use std::{env, error::Error, process};

const SEGMENT: &str = "VALUE_ARRAY_SEGMENT";
const ITERATIONS: i32 = 100_000_000;
#[repr(C)]
struct Shared(AtomicI32, [AtomicU64; 3]); // the `Value` and the `Array`

fn view(shm: &Shmem) -> &Shared {
    assert!(shm.len() >= size_of::<Shared>(), "the segment is too small");
    // SAFETY: page-aligned (mmap), long enough, alive as long as `shm`; atomics take any bits.
    unsafe { &*shm.as_ptr().cast::<Shared>() }
}

fn modify_shared(counter: &AtomicI32, arr: &[AtomicU64]) {
    for _ in 0..ITERATIONS {
        counter.store(counter.load(Relaxed) + 1, Relaxed); // `counter.value += 1`
    }
    for x in arr {
        x.store((f64::from_bits(x.load(Relaxed)) * 2.0).to_bits(), Relaxed); // `arr[i] *= 2`
    }
}
fn main() -> Result<(), Box<dyn Error>> {
    if let Ok(os_id) = env::var(SEGMENT) {
        let shm = ShmemConf::new().os_id(os_id).open()?; // a child maps the parent's segment
        modify_shared(&view(&shm).0, &view(&shm).1);
        return Ok(());
    }
    let os_id = format!("/value_array_{}", process::id());
    let conf = ShmemConf::new().size(size_of::<Shared>()).os_id(&os_id);
    let shm = conf.create()?;
    let Shared(counter, arr) = view(&shm);
    for (x, value) in arr.iter().zip([1.0, 2.0, 3.0]) {
        x.store(f64::to_bits(value), Relaxed);
    }
    let exe = env::current_exe()?;
    let spawn = |_| process::Command::new(&exe).env(SEGMENT, &os_id).spawn();
    let processes: Vec<_> = (0..4).map(spawn).collect::<Result<_, _>>()?;
    for mut p in processes {
        assert!(p.wait()?.success(), "a child failed");
    }
    let (got, expected) = (counter.load(Relaxed), 4 * ITERATIONS);
    let lost = expected - got;
    println!("Counter: {got} (expected: {expected}, lost updates: {lost})");
    let arr = arr.each_ref().map(|x| f64::from_bits(x.load(Relaxed)));
    println!("Array: {arr:?}");
    Ok(())
}
