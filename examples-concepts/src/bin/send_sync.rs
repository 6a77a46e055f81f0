//! What may cross a thread, and why. `Send` says a value may move to another thread, `Sync` says
//! several threads may hold `&` to it at once; the compiler derives both from what a type is made
//! of, and `thread::spawn` demands them. The lesson prints what the compiler answers for the types
//! a beginner reaches for (an `Rc` and a `RefCell` are refused: their counters are not atomic),
//! then does the job with the fixes: threads pushing into an `Arc<Mutex<Vec<_>>>`, and readers
//! and a writer sharing an `Arc<RwLock<_>>`. It checks that the table's macro agrees with the
//! compiler, that no push was lost, and that every `Arc` clone was dropped. The refused programs are `compile_fail`
//! doctests of the crate, and the book shows their real compiler errors.
//!
//! Rust only: Python never asks: in the default CPython build the GIL serializes every reference-count change, so any object may go to any thread.

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::thread;

use clap::Parser;
use examples_concepts::implements;
use lesson::{Checks, Table, usize_in};

#[derive(Parser, Debug)]
#[command(about = "Send and Sync: what may cross a thread, and why")]
struct Args {
    /// How many threads share the Arc<Mutex<Vec<_>>> and the Arc<RwLock<_>>
    #[arg(long, default_value_t = 4, value_parser = usize_in(2, 64))]
    threads: usize,
}

/// How many numbers each thread pushes into the shared vector.
const PUSHES: usize = 1_000;

/// One row of the table: a type's name and what the compiler says about it.
macro_rules! row {
    ($type:ty, $why:expr) => {
        (
            stringify!($type),
            implements!($type: Send),
            implements!($type: Sync),
            $why,
        )
    };
}

// ANCHOR: arc_mutex
/// Every thread pushes `PUSHES` numbers into one vector: `Arc` shares it (an atomic count of
/// owners), `Mutex` lets one thread at a time change it. Returns the vector and how many owners
/// the `Arc` has once the threads are gone.
fn push_together(threads: usize) -> (Vec<usize>, usize) {
    let shared = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let mine = Arc::clone(&shared); // one owner per thread, moved into it
            thread::spawn(move || {
                for i in 0..PUSHES {
                    mine.lock().unwrap().push(t * PUSHES + i);
                }
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    let owners = Arc::strong_count(&shared);
    let numbers = std::mem::take(&mut *shared.lock().unwrap());
    (numbers, owners)
}
// ANCHOR_END: arc_mutex

// ANCHOR: arc_rwlock
/// Readers read a shared setting together while one writer bumps it: `RwLock` lets readers share
/// `&T` and gives the writer `&mut T` alone. Returns what each reader saw and the final value.
fn read_while_writing(readers: usize) -> (Vec<u64>, u64) {
    let setting = Arc::new(RwLock::new(1u64));
    let writer = {
        let setting = Arc::clone(&setting);
        thread::spawn(move || *setting.write().unwrap() *= 2)
    };
    let seen: Vec<_> = (0..readers)
        .map(|_| {
            let setting = Arc::clone(&setting);
            thread::spawn(move || *setting.read().unwrap())
        })
        .collect();
    writer.join().unwrap();
    let seen = seen.into_iter().map(|h| h.join().unwrap()).collect();
    let last = *setting.read().unwrap();
    (seen, last)
}
// ANCHOR_END: arc_rwlock

fn main() -> ExitCode {
    let Args { threads } = lesson::parse_args();
    lesson::header("send_sync: what may cross a thread, and why");
    println!("\n-- what the compiler says (Send: may move to a thread; Sync: may be shared) --");
    // ANCHOR: table
    let rows = [
        row!(Rc<Vec<u8>>, "its owner count is a plain integer"),
        row!(RefCell<Vec<u8>>, "its borrow flag is a plain integer"),
        row!(Arc<Vec<u8>>, "atomic owner count, but only & inside"),
        row!(
            Arc<RefCell<Vec<u8>>>,
            "shares the RefCell: not Sync, so not Send"
        ),
        row!(Mutex<Vec<u8>>, "one thread at a time gets &mut"),
        row!(Arc<Mutex<Vec<u8>>>, "the fix: shared and mutable"),
        row!(Arc<RwLock<Vec<u8>>>, "the fix when reads dominate"),
        row!(MutexGuard<'static, u8>, "unlocks on the thread that locked"),
    ];
    // ANCHOR_END: table
    let mut table = Table::new(["type", "Send", "Sync", "why"]);
    let yes = |b: bool| if b { "yes" } else { "no" };
    for (name, send, sync, why) in rows {
        table.row([name, yes(send), yes(sync), why]);
    }
    print!("{table}");
    let says = |name: &str| rows.iter().find(|r| r.0 == name).map(|r| (r.1, r.2));

    println!("\n-- {threads} threads push {PUSHES} numbers each into an Arc<Mutex<Vec<_>>> --");
    let (mut numbers, owners) = push_together(threads);
    let pushed = threads * PUSHES;
    println!(
        "pushed: {}; owners of the Arc after join: {owners}",
        numbers.len()
    );
    numbers.sort_unstable();

    println!("\n-- {threads} readers and a writer share an Arc<RwLock<u64>> --");
    let (seen, last) = read_while_writing(threads);
    println!("readers saw {seen:?}; after the writer: {last}");

    let mut checks = Checks::new();
    checks.check(
        "implements! agrees with the compiler: Rc is neither Send nor Sync, RefCell is not Sync",
        says("Rc<Vec<u8>>") == Some((false, false))
            && says("RefCell<Vec<u8>>") == Some((true, false)),
    );
    checks.check(
        "implements! agrees: Arc<Mutex<_>>, Arc<RwLock<_>> are Send and Sync, MutexGuard not Send",
        says("Arc<Mutex<Vec<u8>>>") == Some((true, true))
            && says("Arc<RwLock<Vec<u8>>>") == Some((true, true))
            && says("MutexGuard<'static, u8>") == Some((false, true)),
    );
    let all_once = numbers == (0..pushed).collect::<Vec<_>>();
    checks.check(format!("all {pushed} pushes are there, once"), all_once);
    checks.check("every Arc clone was dropped with its thread", owners == 1);
    checks.check(
        "each reader saw the setting before or after the write, and the write landed",
        seen.iter().all(|&v| v == 1 || v == 2) && last == 2,
    );
    checks.finish()
}
