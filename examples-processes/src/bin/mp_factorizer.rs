//! The naive factorizer spread over N worker processes: the list cut into one equal chunk per
//! process, each process sending one map of results back over a shared channel, and the processes
//! joined only after every result has been drained. `join_deadlock` shows why that order matters,
//! `pool_factorizer` what smaller chunks gain.
//!
//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the multiprocess factorizer.

use clap::Parser;
use examples_processes::serial_factorizer;
use ipc_channel::ipc::{self, IpcSender};
use lesson::{Checks, Table, usize_in};
use multiproc::{Task, init, spawn};
use std::collections::BTreeMap;
use std::process::ExitCode;
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
}

type Factored = Vec<(u64, Vec<u64>)>;

// ANCHOR: worker
/// The tutorial's worker: factor a chunk, put one map of results into the shared queue.
/// The queue is an `IpcSender`, which is itself serializable, so it travels with the arguments.
fn worker((nums, out_q): (Vec<u64>, IpcSender<Factored>)) {
    let outdict: Factored = nums.into_iter().map(|n| (n, factorize_naive(n))).collect();
    let _ = out_q.send(outdict); // fails only if the parent is gone, and then nobody is waiting
}
static WORKER: Task<(Vec<u64>, IpcSender<Factored>), ()> = Task::new("worker", worker);
// ANCHOR_END: worker

// ANCHOR: mp_factorizer
fn mp_factorizer(nums: &[u64], nprocs: usize) -> lesson::Result<BTreeMap<u64, Vec<u64>>> {
    let (out_tx, out_q) = ipc::channel::<Factored>()?;
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
        resultdict.extend(out_q.recv()?);
    }
    // ...and only then wait for the processes, which can all exit now that their output is read.
    for p in &mut procs {
        p.join()?;
    }
    Ok(resultdict)
}
// ANCHOR_END: mp_factorizer

fn main() -> ExitCode {
    init(&[&WORKER]);
    let args: Args = lesson::parse_args();
    lesson::header("mp_factorizer: factoring in worker processes");
    let nums = factor_inputs(args.count, args.seed);
    println!(
        "{} numbers (seed {}), {} processes",
        nums.len(),
        args.seed,
        args.procs
    );

    let (serial, serial_time) = lesson::timed(|| serial_factorizer(&nums));
    let (fixed, static_time) = lesson::timed(|| mp_factorizer(&nums, args.procs));
    let fixed = match fixed {
        Ok(fixed) => fixed,
        Err(failure) => return failure.report(),
    };

    let mut table = Table::new(["variant", "processes", "time", "speed-up"]);
    table.row([
        "serial",
        "1 (this one)",
        &lesson::human(serial_time),
        "1.00x",
    ]);
    table.row([
        "static chunks, results queue".to_string(),
        args.procs.to_string(),
        lesson::human(static_time),
        format!(
            "{:.2}x",
            serial_time.as_secs_f64() / static_time.as_secs_f64()
        ),
    ]);
    println!("\n{table}(process times include starting the processes)");

    let mut checks = Checks::new();
    checks.check(
        "every serial result multiplies back to its number",
        serial.iter().all(|(&n, f)| factors_multiply_back(n, f)),
    );
    checks.check("static chunks: same factors as serial", fixed == serial);
    checks.finish()
}
