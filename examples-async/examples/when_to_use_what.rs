//! The tutorial's closing comparison, line for line: four slow downloads with async tasks and
//! with threads, then four CPU-bound sums in a pool. There is no network here: a one-second sleep
//! stands in for `httpbin.org/delay/1`. Where Python needs processes for the CPU part (the GIL),
//! Rust uses threads, here a rayon pool of four.
//!
//! Translates: "Python multiprocessing: True Parallelism", "When to Use What", the asyncio / threading / multiprocessing comparison.

use rayon::{ThreadPoolBuildError, ThreadPoolBuilder, prelude::*};
use std::{hint::black_box, thread, time::Duration, time::Instant};
use tokio::{runtime::Builder, task::JoinError, task::JoinSet, task::spawn_blocking};
const URLS: [&str; 4] = ["https://httpbin.org/delay/1"; 4];

// I/O-bound: tokio; spawn_blocking is run_in_executor(None, ...): a blocking call on a pool
async fn fetch_async(url: &'static str) -> Result<&'static str, JoinError> {
    spawn_blocking(move || fetch_sync(url)).await
}

async fn tokio_approach() -> Vec<Result<&'static str, JoinError>> {
    let tasks: JoinSet<_> = URLS.into_iter().map(fetch_async).collect();
    tasks.join_all().await // asyncio.gather(*tasks), in the order they finish
}

// I/O-bound: threading works too (no network: a sleep stands in for the server's delay)
fn fetch_sync(_url: &str) -> &'static str {
    thread::sleep(Duration::from_secs(1)); // urlopen(url).read()
    "{}"
}

fn threading_approach() -> thread::Result<()> {
    let threads = URLS.map(|url| thread::spawn(move || fetch_sync(url)));
    threads.into_iter().try_for_each(|t| t.join().map(drop))
}

// CPU-bound: Python needs processes here, Rust's threads run in parallel (black_box keeps the loop)
fn cpu_work(n: u128) -> u128 {
    (0..n).map(|i| black_box(i) * i).sum()
}

fn multiprocessing_approach() -> Result<Vec<u128>, ThreadPoolBuildError> {
    let pool = ThreadPoolBuilder::new().num_threads(4).build()?;
    Ok(pool.install(|| vec![10_000_000; 4].into_par_iter().map(cpu_work).collect()))
}

fn main() {
    let start = Instant::now();
    let runtime = Builder::new_current_thread().build().expect("a runtime"); // asyncio.run
    assert!(runtime.block_on(tokio_approach()).iter().all(Result::is_ok));
    println!("Tokio (I/O):      {:.2}s", start.elapsed().as_secs_f64());
    let start = Instant::now();
    threading_approach().expect("no thread panicked");
    println!("Threading (I/O):  {:.2}s", start.elapsed().as_secs_f64());
    let start = Instant::now();
    let sums = multiprocessing_approach().expect("a pool of four threads");
    println!("Threads (CPU):    {:.2}s", start.elapsed().as_secs_f64());
    assert!(sums.iter().all(|&sum| sum == 333_333_283_333_335_000_000));
}
