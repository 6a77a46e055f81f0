// What Rust refuses to compile: an `Rc` moved into another thread.
// This file is not a module of the crate; src/lib.rs includes it as a `compile_fail` doctest,
// and the book shows it next to the compiler's real error.
// ANCHOR: refused_rc
use std::rc::Rc;
use std::thread;

fn main() {
    let shared = Rc::new(vec![1, 2, 3]);
    let copy = Rc::clone(&shared); // a second owner: the count is now 2, not atomically
    let handle = thread::spawn(move || copy.len());
    println!("{} {}", shared.len(), handle.join().unwrap());
}
// ANCHOR_END: refused_rc
