//! Translates: "Python multiprocessing: True Parallelism", "Multiprocessing Fundamentals", PID, parent PID and exit codes.
//!
//! Two workers print their PID and their parent's; the parent waits for each and prints its exit
//! code. Each worker is this program started again with the role `worker NAME`. Like a target of
//! `multiprocessing.Process`, the worker's return value goes nowhere: only its exit code and what
//! it prints come back.

use std::os::unix::process::parent_id;
use std::process::{Command, id};

fn worker(name: &str) -> String {
    println!("Worker {name}: PID={}, Parent PID={}", id(), parent_id());
    format!("Result from {name}")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, role, name] = &args[..] {
        assert_eq!(role, "worker");
        worker(name); // the result is dropped here, as Python drops it
        return;
    }
    println!("Main process: PID={}", id());

    // Create and start the processes: `spawn` is `Process(...)` and `start()` in one call.
    let me = std::env::current_exe().expect("no path to this program");
    let mut p1 = Command::new(&me).args(["worker", "A"]).spawn().expect("cannot start A");
    let mut p2 = Command::new(&me).args(["worker", "B"]).spawn().expect("cannot start B");

    // Wait for completion (and reap both).
    let (a, b) = (p1.wait().expect("wait failed"), p2.wait().expect("wait failed"));

    println!("Process A exit code: {:?}", a.code());
    println!("Process B exit code: {:?}", b.code());
    assert!(a.success() && b.success(), "a worker failed");
}
