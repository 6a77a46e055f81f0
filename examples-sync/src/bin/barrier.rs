//! Python's `threading.Barrier` in Rust: `std::sync::Barrier`. Worker threads run two phases;
//! one of them is slow in phase 1, and the barrier between the phases keeps everyone else waiting
//! for it. Each worker logs `(phase, worker)` as it goes, and the lesson checks that no phase-2
//! entry comes before the last phase-1 entry. std's `Barrier` has no timeout, so the scene runs
//! under a deadline: a barrier that never opens fails a check instead of hanging the lesson.
//!
//! Rust only: the tutorials show only `Lock`; `threading.Barrier` and `std::sync::Barrier`, side by side.

use std::process::ExitCode;
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::Duration;

use clap::Parser;
use examples_sync::{PATIENCE, bounded};
use lesson::{Checks, usize_in};

#[derive(Parser, Debug)]
#[command(about = "A Barrier: nobody starts phase 2 before everyone finished phase 1")]
struct Args {
    /// How many worker threads meet at the barrier
    #[arg(long, default_value_t = 4, value_parser = usize_in(2, 16))]
    workers: usize,
}

/// Worker 0's phase 1, long enough that without the barrier the others would be well into
/// phase 2 before it finished; everyone else's.
const SLOW_PHASE_1: Duration = Duration::from_millis(30);
const QUICK_PHASE_1: Duration = Duration::from_millis(1);

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let workers = args.workers;
    lesson::header("barrier: two phases, and a Barrier between them");
    println!("\n-- Barrier: {workers} workers, two phases --");
    let outcome = bounded(PATIENCE, move || {
        // ANCHOR: barrier_scene
        let barrier = Barrier::new(workers);
        let log = Mutex::new(Vec::new()); // (phase, worker) in the order they happened
        thread::scope(|s| {
            for worker in 0..workers {
                let (barrier, log) = (&barrier, &log);
                s.spawn(move || {
                    thread::sleep(if worker == 0 {
                        SLOW_PHASE_1
                    } else {
                        QUICK_PHASE_1
                    });
                    log.lock().unwrap().push((1, worker));
                    barrier.wait(); // std's Barrier has no timeout: `bounded` guards the scene
                    log.lock().unwrap().push((2, worker));
                });
            }
        });
        log.into_inner().unwrap()
        // ANCHOR_END: barrier_scene
    });
    let mut checks = Checks::new();
    let Some(log) = outcome else {
        checks.check("the barrier scene finished in time", false);
        return checks.finish();
    };
    let order: Vec<String> = log.iter().map(|(p, w)| format!("{p}:{w}")).collect();
    println!("phase:worker in order: {}", order.join(" "));
    let last_phase_1 = log.iter().rposition(|&(p, _)| p == 1);
    let first_phase_2 = log.iter().position(|&(p, _)| p == 2);
    checks.check(
        "every worker logged both phases",
        log.len() == 2 * workers && last_phase_1.is_some(),
    );
    checks.check(
        "nobody started phase 2 before everyone finished phase 1",
        matches!((last_phase_1, first_phase_2), (Some(a), Some(b)) if a < b),
    );
    checks.finish()
}
