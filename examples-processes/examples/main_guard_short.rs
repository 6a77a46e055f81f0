//! Translates: "Python multiprocessing: True Parallelism", "Common Pitfalls and Best Practices", the `__main__` guard.
//!
//! A child started from `std::env::current_exe()` is this program run again from the top of
//! `main`, as a spawned Python child imports the module again from the top. What keeps the child
//! from doing the parent's work, and starting children of its own, is a guard: here, the
//! environment variable the parent sets for it. Everything above the guard runs in every process.

use std::process::{Command, Stdio};

/// The guard's key: set only in the environment of the children this program starts.
const ROLE: &str = "MAIN_GUARD_WORK";

fn work(x: u64) -> u64 {
    x * x
}

fn main() {
    println!("process {} runs the top of main", std::process::id());
    // The guard. A child finds its input under ROLE, does its work, and goes no further.
    if let Ok(x) = std::env::var(ROLE) {
        return println!("{}", work(x.parse().expect("a number")));
    }
    // Only the parent gets here: one child a number, as `pool.map(work, range(5))` does.
    let me = std::env::current_exe().expect("no path to this program");
    let start = |x: u64| Command::new(&me).env(ROLE, x.to_string()).stdout(Stdio::piped()).spawn();
    let children: Vec<_> = (0..5).map(|x| start(x).expect("cannot start a child")).collect();
    let mut results: Vec<u64> = vec![];
    for child in children {
        let out = child.wait_with_output().expect("wait failed"); // reads, then reaps
        let text = String::from_utf8(out.stdout).expect("text");
        print!("{text}"); // its "runs the top of main" line, then its result
        results.push(text.lines().last().and_then(|r| r.parse().ok()).expect("a result"));
    }
    println!("guarded: {results:?}");
    assert_eq!(results, [0, 1, 4, 9, 16], "wrong squares");
}
