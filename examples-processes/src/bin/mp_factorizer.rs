//! The naive factorizer spread over N worker processes: the list cut into one equal chunk per
//! process, each process sending one map of results back over a shared channel, and the processes
//! joined only after every result has been drained. `join_deadlock` shows why that order matters,
//! `pool_factorizer` what smaller chunks gain.
//!
//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the multiprocess factorizer.

use clap::Parser;
use examples_processes::report::{Run, die_if_asked};
use examples_processes::{heavy, serial_factorizer};
use ipc_channel::ipc::{self, IpcSender};
use lesson::timeline::{Span, Timeline, require_writable};
use lesson::{Checks, Failure, Table, usize_in};
use multiproc::{Process, Task, init, spawn};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use workloads::{factor_inputs, factorize_naive, factors_multiply_back};

#[derive(Parser)]
#[command(
    about = "Factor numbers in N processes: static chunks, a results channel, join after draining"
)]
struct Args {
    /// How many numbers to factor.
    #[arg(long, default_value_t = 20_000, value_parser = usize_in(1, 1_000_000))]
    count: usize,
    /// Worker processes.
    #[arg(long, default_value_t = 2, value_parser = usize_in(1, 64))]
    procs: usize,
    /// Seed for the input numbers.
    #[arg(long, default_value_t = workloads::inputs::DEFAULT_SEED)]
    seed: u64,
    /// Also draw when each process's results arrived, as an SVG timeline at this path.
    #[arg(long)]
    timeline: Option<PathBuf>,
}

type Factored = Vec<(u64, Vec<u64>)>;
type Factors = BTreeMap<u64, Vec<u64>>;

/// Why `recv` fails: every sender has gone, so some child exited before it sent its map.
const EXITED_WITHOUT_SENDING: &str = "the results channel closed: a worker died before sending";

// ANCHOR: worker
/// The tutorial's worker: factor a chunk, put one map of results into the shared queue.
/// The queue is an `IpcSender`, which is itself serializable, so it travels with the arguments.
fn worker((nums, out_q): (Vec<u64>, IpcSender<Factored>)) {
    let outdict: Factored = nums.into_iter().map(|n| (n, factorize_naive(n))).collect();
    let _ = out_q.send(outdict); // fails only if the parent is gone, and then nobody is waiting
}
// ANCHOR_END: worker
/// `worker`, registered for the child processes (behind the test hook that can make them die).
static WORKER: Task<(Vec<u64>, IpcSender<Factored>), ()> = Task::new("worker", |job| {
    die_if_asked("worker");
    worker(job)
});

// ANCHOR: mp_factorizer
fn mp_factorizer(nums: &[u64], nprocs: usize, bars: &mut Vec<Span>) -> lesson::Result<Factors> {
    let ((out_tx, out_q), start) = (ipc::channel::<Factored>()?, Instant::now());
    let chunksize = nums.len().div_ceil(nprocs).max(1);
    let mut procs = Vec::new();
    for chunk in nums.chunks(chunksize) {
        let child = spawn(&WORKER, (chunk.to_vec(), out_tx.clone()))?;
        println!("  process {} factors {} numbers", child.pid(), chunk.len());
        procs.push(child);
    }
    drop(out_tx); // now only the children hold senders: if they all die, `recv` fails, not hangs
    // Collect all results first: we know how many maps to expect...
    let mut resultdict = BTreeMap::new();
    for _ in 0..procs.len() {
        let part = out_q
            .recv()
            .map_err(|_| Failure::msg(EXITED_WITHOUT_SENDING))?;
        bars.push(bar(&procs, nums, chunksize, &part, start)); // for the timeline
        resultdict.extend(part);
    }
    // ...and only then wait for the processes, which can all exit now that their output is read.
    for p in &mut procs {
        p.join()?;
    }
    Ok(resultdict)
}
// ANCHOR_END: mp_factorizer

/// A process's bar, from the run's start until its map (led by its chunk's first number) arrived.
fn bar(procs: &[Process<()>], nums: &[u64], size: usize, part: &Factored, start: Instant) -> Span {
    let chunk = nums
        .chunks(size)
        .position(|c| c.first() == part.first().map(|p| &p.0));
    let pid = chunk.and_then(|i| procs.get(i)).map_or(0, |p| p.pid());
    let (lane, label) = (format!("PID {pid}"), format!("{} numbers", part.len()));
    Span::new(lane, 0.0, start.elapsed().as_secs_f64(), label)
}

fn main() -> ExitCode {
    init(&[&WORKER]);
    let args: Args = lesson::parse_args();
    heavy::warn_if_heavy(heavy::mp_factorizer(args.count, args.procs));
    args.timeline.as_deref().map(require_writable);
    lesson::header("mp_factorizer: factoring in worker processes");
    let nums = factor_inputs(args.count, args.seed);
    println!(
        "{} numbers (seed {}), {} processes",
        nums.len(),
        args.seed,
        args.procs
    );

    let (serial, serial_time) = lesson::timed(|| serial_factorizer(&nums));
    let serial_right = serial.iter().all(|(&n, f)| factors_multiply_back(n, f));
    let serial_run = Run::new(serial_time, serial_right);
    let mut bars = Vec::new();
    let (fixed, static_time) = lesson::timed(|| mp_factorizer(&nums, args.procs, &mut bars));
    if let Err(failure) = &fixed {
        println!("static chunks: failed: {failure}");
    }
    let static_run = Run::new(static_time, fixed.is_ok_and(|fixed| fixed == serial));

    let mut table = Table::new(["variant", "processes", "time", "speed-up"]);
    table.row([
        "serial".to_string(),
        "1 (this one)".to_string(),
        serial_run.shown(),
        serial_run.speedup(&serial_run, 2),
    ]);
    table.row([
        "static chunks, results queue".to_string(),
        args.procs.to_string(),
        static_run.shown(),
        static_run.speedup(&serial_run, 2),
    ]);
    println!("\n{table}(process times include starting the processes)");

    let mut checks = Checks::new();
    checks.check(
        "every serial result multiplies back to its number",
        serial_run.right(),
    );
    checks.check("static chunks: same factors as serial", static_run.right());
    let title = format!("{} numbers, {} processes", nums.len(), args.procs);
    let timeline = Timeline::one(title, "static chunks: a bar ends as its map arrives", bars);
    match timeline.save_if(args.timeline.as_deref(), static_run.right()) {
        Ok(()) => checks.finish(),
        Err(failure) => failure.report(),
    }
}
