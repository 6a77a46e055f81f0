//! The async chapter's machinery: a simulated request (a wait, then an answer) in its blocking and
//! its async form, a small CPU part, the "answered exactly once" check, and [`measured`], which
//! times a closure and reads from `/proc/self/status` how many OS threads the process had at its
//! peak and how much resident memory (Linux only: elsewhere these read "not measured").
//!
//! Nothing here is about async itself; it keeps the lesson file down to the four ways of running
//! the same job.

use std::fs;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use lesson::heavy::Cost;
use lesson::report::Run;
use lesson::{Checks, Table};
use tokio::runtime::Runtime;
use tokio::task::{JoinError, JoinHandle};

/// How often the sampler thread reads `/proc/self/status` while a run goes on.
const SAMPLE_EVERY: Duration = Duration::from_millis(1);
/// How long [`measured`] waits for the threads of the previous run (a dropped pool's workers end
/// on their own, a moment later) to be gone before it starts the next.
const SETTLE_LIMIT: Duration = Duration::from_secs(2);

/// What a simulated request answers: its id, doubled, so that a mixed-up answer is caught.
pub fn answer(id: u64) -> u64 {
    id * 2
}

/// One request as blocking code: the thread sleeps through the wait (a server, a disk), then
/// answers. This is `urllib.request.urlopen` in the tutorial, without the network.
pub fn request_blocking(id: u64, wait: Duration) -> u64 {
    thread::sleep(wait);
    answer(id)
}

/// The same request as a future: the wait is a tokio timer, so the thread that polls it is free
/// to run other tasks meanwhile.
pub async fn request_async(id: u64, wait: Duration) -> u64 {
    tokio::time::sleep(wait).await;
    answer(id)
}

/// Waits for every task and returns their answers in the order the tasks were started:
/// `asyncio.gather(*tasks)`. A task that panicked or was cancelled is an error.
pub async fn gather<T>(tasks: Vec<JoinHandle<T>>) -> Result<Vec<T>, JoinError> {
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        answers.push(task.await?);
    }
    Ok(answers)
}

/// Runs `job` on `runtime` beside a heartbeat task that asks to run every `period`, and returns
/// what the job returned with how late the heartbeat ran at worst: how long the event loop's one
/// thread was kept from its other tasks.
pub fn beside_heartbeat<T>(
    runtime: &Runtime,
    period: Duration,
    job: impl Future<Output = T>,
) -> Result<(T, Duration), JoinError> {
    let done = Arc::new(AtomicBool::new(false));
    let beats = done.clone();
    let heartbeat = runtime.spawn(async move {
        let mut worst = Duration::ZERO;
        while !beats.load(Ordering::Relaxed) {
            let asked = Instant::now();
            tokio::time::sleep(period).await;
            worst = worst.max(asked.elapsed().saturating_sub(period));
        }
        worst
    });
    let out = runtime.block_on(job);
    done.store(true, Ordering::Relaxed);
    Ok((out, runtime.block_on(heartbeat)?))
}

/// Squares each request's CPU part sums: 0.15 to 0.2 ms on the book's machine.
pub const CPU_PART: u64 = 200_000;

/// The CPU part of a request that already has its `answer` (parsing it, hashing it...): sums
/// [`CPU_PART`] squares and hands the answer back untouched.
pub fn cpu_part(answer: u64) -> u64 {
    black_box(cpu_work(CPU_PART));
    answer
}

/// The tutorial's CPU-bound `sum(i * i for i in range(n))`, with `black_box` so that the compiler
/// cannot replace the loop by a formula.
pub fn cpu_work(n: u64) -> u64 {
    (0..n).fold(0u64, |sum, i| sum.wrapping_add(black_box(i) * i))
}

/// Whether `answers` holds exactly one right answer for each request id in `0..count`, in any
/// order: none lost, none twice, none wrong.
pub fn answered_once(answers: &[u64], count: usize) -> bool {
    let mut sorted = answers.to_vec();
    sorted.sort_unstable();
    sorted.len() == count && (sorted.iter().zip(0..)).all(|(&got, id)| got == answer(id))
}

/// What [`measured`] returns for one way of running the job: its answers (or why it failed), its
/// wall time and the process's peak.
pub type Outcome = (lesson::Result<Vec<u64>>, Duration, Option<Peak>);

/// The lesson's table and self-checks: one row and one "answered exactly once" check per way of
/// running the job. A run that failed shows no figures (`lesson::report::Run`).
#[derive(Debug, Default)]
pub struct Report {
    table: Option<Table>,
    pub checks: Checks,
}

impl Report {
    /// Adds the row of the run called `name`, whose answers must hold each of `count` requests
    /// once, narrates it in one line and returns it.
    pub fn row(&mut self, name: &str, count: usize, (answers, took, peak): Outcome) -> Run {
        let answers = answers.unwrap_or_else(|failure| {
            eprintln!("{name}: {failure}");
            Vec::new()
        });
        let run = Run::judged(name, took, answered_once(&answers, count));
        println!("{name}: {}", run.took());
        let (threads, rss) = peak_cells(peak);
        let table = (self.table).get_or_insert_with(|| {
            Table::new(["approach", "wall", "OS threads at peak", "peak RSS (added)"])
        });
        table.row([name, &run.shown(), &run.figure(threads), &run.figure(rss)]);
        let check = format!("{name}: every request answered exactly once");
        self.checks.check(check, run.right());
        run
    }

    /// The row of a run of the first `sample` requests only, shown with its time extrapolated to
    /// all `count` of them.
    pub fn extrapolated(&mut self, name: &str, sample: usize, count: usize, run: Outcome) -> Run {
        let (answers, took, peak) = run;
        let all_of_them = took.mul_f64(count as f64 / sample as f64);
        self.row(name, sample, (answers, all_of_them, peak))
    }

    /// Prints the table of the rows so far and starts a new one.
    pub fn print_table(&mut self) {
        if let Some(table) = self.table.take() {
            println!("\n{table}");
        }
    }
}

/// What the process looked like at its busiest during one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peak {
    /// OS threads alive at once, the main thread included (the sampler is not counted).
    pub threads: usize,
    /// Resident memory at the peak, in KiB (`VmHWM`, reset before the run).
    pub rss_kib: u64,
    /// Resident memory when the run started, in KiB.
    pub start_rss_kib: u64,
}

impl Peak {
    /// `12.3 MB (+4.5)`: the peak and how much the run added to what the process held before.
    pub fn rss(&self) -> String {
        let mb = |kib: u64| kib as f64 * 1024.0 / 1e6;
        let added = mb(self.rss_kib.saturating_sub(self.start_rss_kib));
        format!("{:.1} MB (+{added:.1})", mb(self.rss_kib))
    }
}

/// The threads and memory cells of a table row: the peak's figures, or "not measured" where
/// there is no `/proc` to read them from.
pub fn peak_cells(peak: Option<Peak>) -> (String, String) {
    peak.map_or((NOT_MEASURED.into(), NOT_MEASURED.into()), |p| {
        (p.threads.to_string(), p.rss())
    })
}

/// What a table shows for a figure this system does not report.
pub const NOT_MEASURED: &str = "not measured";

// ANCHOR: measured
/// Runs `f`, returning what it returned, how long it took and the process's [`Peak`] meanwhile,
/// or `None` where there is no `/proc/self/status` to read (macOS).
///
/// The peak thread count comes from a sampler thread reading `Threads:` every millisecond. The
/// peak memory is `VmHWM`, the kernel's own high-water mark, after resetting it to the current
/// size (writing `5` to `/proc/self/clear_refs`); where that reset is refused, the sampler's
/// highest `VmRSS` stands in.
pub fn measured<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<Peak>) {
    settle();
    let start_rss = status_field("VmRSS:");
    let reset = fs::write("/proc/self/clear_refs", "5").is_ok();
    let running = AtomicBool::new(true);
    let (out, took, sampled) = thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let (mut threads, mut rss) = (0, 0);
            while running.load(Ordering::Relaxed) {
                threads = threads.max(status_field("Threads:").unwrap_or(0));
                rss = rss.max(status_field("VmRSS:").unwrap_or(0));
                thread::sleep(SAMPLE_EVERY);
            }
            (threads, rss)
        });
        let (out, took) = lesson::timed(f);
        running.store(false, Ordering::Relaxed);
        (out, took, sampler.join().unwrap_or((0, 0)))
    });
    let (threads, sampled_rss) = sampled;
    let rss_kib = if reset {
        status_field("VmHWM:")
    } else {
        Some(sampled_rss)
    };
    let peak = match (start_rss, rss_kib) {
        (Some(start_rss_kib), Some(rss_kib)) if threads > 1 => Some(Peak {
            threads: (threads - 1) as usize,
            rss_kib,
            start_rss_kib,
        }),
        _ => None,
    };
    (out, took, peak)
}
// ANCHOR_END: measured

/// Waits, briefly, until only the main thread is left, so that one run's peak does not count the
/// last run's threads on their way out.
fn settle() {
    let start = Instant::now();
    while status_field("Threads:").is_some_and(|n| n > 1) && start.elapsed() < SETTLE_LIMIT {
        thread::sleep(SAMPLE_EVERY);
    }
}

/// A number from `/proc/self/status`, such as `Threads:` or `VmRSS:` (in KiB).
fn status_field(name: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

/// What a run of the lesson will roughly cost, for `lesson::heavy`'s warning: every run waits
/// `wait` at least once per row, the sample of sequential requests waits one after another, the
/// pool waits once per round of `pool` requests, and the CPU part runs twice.
pub fn estimate(requests: usize, wait: Duration, sequential: usize, pool: usize) -> Cost {
    /// Seconds per CPU part on the book's machine, and memory per live thread (stack and kernel
    /// bookkeeping), each measured once and rounded up.
    const CPU_PART_SECONDS: f64 = 3e-4;
    const THREAD_BYTES: f64 = 2e4;
    let w = wait.as_secs_f64();
    let rounds = requests.div_ceil(pool) as f64;
    Cost {
        seconds: w * (sequential as f64 + rounds + 6.0) + 2.0 * CPU_PART_SECONDS * requests as f64,
        bytes: THREAD_BYTES * requests as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answered_once_refuses_a_lost_a_doubled_and_a_wrong_answer() {
        assert!(answered_once(&[4, 0, 2], 3));
        assert!(!answered_once(&[0, 2], 3), "one lost");
        assert!(!answered_once(&[0, 2, 2], 3), "one twice");
        assert!(!answered_once(&[0, 2, 5], 3), "one wrong");
    }

    #[test]
    fn cpu_work_is_the_sum_of_squares() {
        assert_eq!(cpu_work(4), 1 + 4 + 9);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn measured_sees_the_threads_a_run_starts() {
        const EXTRA: usize = 5;
        let ((), _, peak) = measured(|| {
            thread::scope(|s| {
                for _ in 0..EXTRA {
                    s.spawn(|| thread::sleep(Duration::from_millis(50)));
                }
            })
        });
        let peak = peak.expect("Linux has /proc/self/status");
        // The test harness may run other tests' threads beside this one.
        assert!(peak.threads > EXTRA, "{peak:?}");
        assert!(peak.rss_kib > 0, "{peak:?}");
    }
}
