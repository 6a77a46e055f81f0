//! Translates: "Python multiprocessing: True Parallelism", "The GIL Problem" benchmark.
//!
//! The same prime count four times: in sequence, in four threads, in four processes. A Rust
//! program cannot hand one of its functions to a fresh process the way `multiprocessing.Process`
//! does, so it starts itself again with the role `task N`, and that child runs the one task.

use std::process::Command;
use std::thread;
use std::time::Instant;

fn cpu_intensive_task(n: u64) -> usize {
    (2..n).filter(|&i| (2..=i.isqrt()).all(|j| i % j != 0)).count()
}

fn benchmark_sequential(iterations: usize, n: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..iterations {
        cpu_intensive_task(n);
    }
    start.elapsed().as_secs_f64()
}

fn benchmark_threading(iterations: usize, n: u64) -> f64 {
    let start = Instant::now();
    let threads: Vec<_> =
        (0..iterations).map(|_| thread::spawn(move || cpu_intensive_task(n))).collect();
    for t in threads {
        t.join().expect("a thread panicked");
    }
    start.elapsed().as_secs_f64()
}

fn benchmark_multiprocessing(iterations: usize, n: u64) -> f64 {
    let me = std::env::current_exe().expect("no path to this program");
    let start = Instant::now();
    let process = || Command::new(&me).args(["task", &n.to_string()]).spawn().expect("no process");
    let processes: Vec<_> = (0..iterations).map(|_| process()).collect(); // each one starts now
    for mut p in processes {
        assert!(p.wait().expect("wait failed").success(), "a task failed");
    }
    start.elapsed().as_secs_f64()
}

fn main() {
    if let Some(n) = std::env::args().nth(2) {
        // Started as `gil_benchmark task N`: a child. It runs the one task, then exits 0.
        cpu_intensive_task(n.parse().expect("n is a number"));
        return;
    }
    let (iterations, n) = (4, 200_000);
    assert_eq!(cpu_intensive_task(n), 17984, "there are 17984 primes below 200000");
    println!("Sequential:      {:.3}s", benchmark_sequential(iterations, n));
    println!("Threading:       {:.3}s", benchmark_threading(iterations, n));
    println!("Multiprocessing: {:.3}s", benchmark_multiprocessing(iterations, n));
}
