use std::rc::Rc;
use std::thread;

fn main() {
    let shared = Rc::new(vec![1, 2, 3]);
    let copy = Rc::clone(&shared); // a second owner: the count is now 2, not atomically
    let handle = thread::spawn(move || copy.len());
    println!("{} {}", shared.len(), handle.join().unwrap());
}

// What Rust refuses to compile: an `Rc` moved into another thread. This file is not a module of
// the crate: src/lib.rs includes it as a `compile_fail` doctest, and the book shows it whole next
// to the compiler's real error, so that the error's line numbers match the lines shown.
