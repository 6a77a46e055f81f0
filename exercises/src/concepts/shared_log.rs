//! Exercise: `Arc<Mutex<T>>`, the shape every Rust programmer meets first: one value owned by
//! several `thread::spawn`ed threads, changed by one at a time. Python shares any object between
//! threads and lets the GIL (and luck) keep it whole; Rust asks for both pieces.
//! Lesson: `send_sync`. Hints: `cargo run -p exercises --bin course -- hint shared_log`.
//! Check: `cargo run -p exercises --bin course -- check shared_log`

use std::sync::{Arc, Mutex};
use std::thread;

/// Starts `writers` threads with `thread::spawn` (not scoped: they may outlive this function's
/// borrows, so they can borrow nothing); thread `w` appends `"w:i"` for `i` in `0..lines` to one
/// shared log. Joins them all and returns the log.
pub fn write_log(writers: usize, lines: usize) -> Vec<String> {
    // TODO: one log that every thread can own a handle to and append to, one at a time.
    // TODO: start the writers, each with its own handle; thread `w` appends "w:0", "w:1", ...
    // TODO: join them all, then take the `Vec` out of the shared log and return it.
    todo!("write_log")
}
