//! Solution: shared_log.

use std::sync::{Arc, Mutex};
use std::thread;

/// Starts `writers` threads with `thread::spawn` (not scoped: they may outlive this function's
/// borrows, so they can borrow nothing); thread `w` appends `"w:i"` for `i` in `0..lines` to one
/// shared log. Joins them all and returns the log.
pub fn write_log(writers: usize, lines: usize) -> Vec<String> {
    // `Arc` so each thread owns a handle to the same log; `Mutex` so one writes at a time.
    let log = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let log = Arc::clone(&log);
            thread::spawn(move || {
                for i in 0..lines {
                    log.lock().unwrap().push(format!("{w}:{i}"));
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a writer panicked");
    }
    // Every clone is gone with its thread, so this is the last handle.
    let log = Arc::into_inner(log).expect("every writer has been joined");
    log.into_inner().unwrap()
}
