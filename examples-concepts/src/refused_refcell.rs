use std::cell::RefCell;
use std::thread;

fn main() {
    let log = RefCell::new(Vec::new());
    thread::scope(|s| {
        s.spawn(|| log.borrow_mut().push("from a thread")); // borrow flag not atomic
        log.borrow_mut().push("from main");
    });
    println!("{:?}", log.borrow());
}

// What Rust refuses to compile: a `RefCell` shared by two threads. This file is not a module of
// the crate: src/lib.rs includes it as a `compile_fail` doctest, and the book shows it whole next
// to the compiler's real error, so that the error's line numbers match the lines shown.
