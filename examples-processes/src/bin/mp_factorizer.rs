//! The naive factorizer spread over N worker processes: static chunks, one result dictionary per
//! process sent back over a shared channel, and the processes joined only after every result has
//! been drained. Translates `mp_factorizer` from tutorial 000, then shows (safely, with a
//! timeout) why the other order can deadlock, and adds a dynamic variant: a pool handing out small
//! chunks as workers free up, which evens out the sorted, skewed input.

use clap::Parser;
use ipc_channel::ipc::{self, IpcSender};
use lesson::{Checks, Table};
use multiproc::{Pool, Task, init, spawn};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;
use workloads::{factor_inputs, factorize_naive, factors_multiply_back};

#[derive(Parser)]
#[command(
    about = "Factor numbers in N processes: static chunks, a results channel, join after draining"
)]
struct Args {
    /// How many numbers to factor.
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    count: u32,
    /// Worker processes.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    procs: u32,
    /// Numbers per message in the dynamic variant.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    chunksize: u32,
    /// Seed for the input numbers.
    #[arg(long, default_value_t = workloads::inputs::DEFAULT_SEED)]
    seed: u64,
    /// The deadlock demo's child factors 2..N and sends it all back in one message.
    #[arg(long, default_value_t = 200_000, value_parser = clap::value_parser!(u64).range(1_000..=5_000_000))]
    demo_n: u64,
}

type Factored = Vec<(u64, Vec<u64>)>;

// ANCHOR: worker
/// The tutorial's worker: factor a chunk, put one dictionary of results into the shared queue.
/// The queue is an `IpcSender`, which is itself serializable, so it travels with the arguments.
fn worker((nums, out_q): (Vec<u64>, IpcSender<Factored>)) {
    let outdict: Factored = nums.into_iter().map(|n| (n, factorize_naive(n))).collect();
    let _ = out_q.send(outdict); // fails only if the parent is gone, and then nobody is waiting
}
static WORKER: Task<(Vec<u64>, IpcSender<Factored>), ()> = Task::new("worker", worker);
// ANCHOR_END: worker

fn factor_one(n: u64) -> Result<Vec<u64>, String> {
    Ok(factorize_naive(n))
}
static FACTOR_ONE: Task<u64, Result<Vec<u64>, String>> = Task::new("factor_one", factor_one);

// ANCHOR: mp_factorizer
fn mp_factorizer(nums: &[u64], nprocs: usize) -> Result<BTreeMap<u64, Vec<u64>>, String> {
    let (out_tx, out_q) = ipc::channel::<Factored>().map_err(|e| e.to_string())?;
    let chunksize = nums.len().div_ceil(nprocs).max(1);
    let mut procs = Vec::new();
    for chunk in nums.chunks(chunksize) {
        let child = spawn(&WORKER, (chunk.to_vec(), out_tx.clone())).map_err(|e| e.to_string())?;
        println!("  process {} factors {} numbers", child.pid(), chunk.len());
        procs.push(child);
    }
    drop(out_tx); // now only the children hold senders: if they all die, `recv` fails, not hangs
    // Collect all results first: we know how many dictionaries to expect...
    let mut resultdict = BTreeMap::new();
    for _ in 0..procs.len() {
        resultdict.extend(out_q.recv().map_err(|e| e.to_string())?);
    }
    // ...and only then wait for the processes, which can all exit now that their output is read.
    for p in &mut procs {
        p.join().map_err(|e| e.to_string())?;
    }
    Ok(resultdict)
}
// ANCHOR_END: mp_factorizer

// ANCHOR: deadlock
/// Joins *before* draining, with a watchdog instead of a plain `join`: the child's one large
/// message fills the channel's socket buffer, its `send` blocks until someone reads, so it cannot
/// exit, and a parent waiting for it to exit would wait forever. Returns whether it was stuck.
fn join_before_draining(demo_n: u64) -> Result<(bool, usize, i32), String> {
    let (out_tx, out_q) = ipc::channel::<Factored>().map_err(|e| e.to_string())?;
    let mut child = spawn(&WORKER, ((2..demo_n).collect(), out_tx)).map_err(|e| e.to_string())?;
    let stuck = child
        .join_timeout(Duration::from_secs(1))
        .map_err(|e| e.to_string())?
        .is_none();
    println!(
        "  join with a 1 s watchdog, before reading: child {}",
        if stuck {
            "still alive, blocked in send"
        } else {
            "had exited"
        }
    );
    let outdict = out_q.recv().map_err(|e| e.to_string())?; // the fix: drain first
    let exit = child.join().map_err(|e| e.to_string())?;
    println!("  after draining {} results: child {}", outdict.len(), exit);
    Ok((stuck, outdict.len(), exit.exitcode()))
}
// ANCHOR_END: deadlock

fn main() -> ExitCode {
    init(&[&WORKER, &FACTOR_ONE]);
    let args: Args = lesson::parse_args();
    lesson::header("mp_factorizer: factoring in worker processes");
    let nums = factor_inputs(args.count as usize, args.seed);
    let procs = args.procs as usize;
    println!(
        "{} numbers (seed {}), {procs} processes",
        nums.len(),
        args.seed
    );

    let (serial, serial_time) = lesson::timed(|| {
        nums.iter()
            .map(|&n| (n, factorize_naive(n)))
            .collect::<BTreeMap<_, _>>()
    });
    let (fixed, static_time) = lesson::timed(|| mp_factorizer(&nums, procs));
    // ANCHOR: dynamic
    let (dynamic, dynamic_time) = lesson::timed(|| {
        let pool = Pool::new(&FACTOR_ONE, procs).map_err(|e| e.to_string())?;
        let results = pool.map_chunked(nums.iter().copied(), args.chunksize as usize);
        nums.iter()
            .zip(results)
            .map(|(&n, r)| r.map(|f| (n, f)).map_err(|e| e.to_string()))
            .collect::<Result<BTreeMap<_, _>, _>>()
    });
    // ANCHOR_END: dynamic
    println!(
        "deadlock demo: a child sends the factors of 2..{} in one message",
        args.demo_n
    );
    let demo = join_before_draining(args.demo_n);

    let mut table = Table::new(["variant", "processes", "time", "speed-up"]);
    let speedup = |t: Duration| {
        format!(
            "{:.2}x",
            serial_time.as_secs_f64() / t.as_secs_f64().max(1e-9)
        )
    };
    table.row([
        "serial".to_string(),
        "1 (this one)".into(),
        lesson::human(serial_time),
        "1.00x".into(),
    ]);
    table.row([
        "static chunks, results queue".to_string(),
        procs.to_string(),
        lesson::human(static_time),
        speedup(static_time),
    ]);
    table.row([
        format!("dynamic: pool, chunks of {}", args.chunksize),
        procs.to_string(),
        lesson::human(dynamic_time),
        speedup(dynamic_time),
    ]);
    println!("\n{table}(process times include starting the processes)");

    let mut checks = Checks::new();
    checks.check(
        "every serial result multiplies back to its number",
        serial.iter().all(|(&n, f)| factors_multiply_back(n, f)),
    );
    match &fixed {
        Ok(fixed) => checks.check("static chunks: same factors as serial", fixed == &serial),
        Err(err) => checks.check(format!("static chunks ran ({err})"), false),
    };
    match &dynamic {
        Ok(dynamic) => checks.check("dynamic pool: same factors as serial", dynamic == &serial),
        Err(err) => checks.check(format!("dynamic pool ran ({err})"), false),
    };
    match demo {
        Ok((stuck, got, code)) => {
            checks.check(
                "joining first: the child could not exit while its output was unread",
                stuck,
            );
            checks.check(
                "draining first: every result arrived and the child exited 0",
                got as u64 == args.demo_n - 2 && code == 0,
            );
        }
        Err(err) => {
            checks.check(format!("deadlock demo ran ({err})"), false);
        }
    }
    checks.finish()
}
