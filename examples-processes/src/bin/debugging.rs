//! Debugging parallel code starts with knowing who said what. Every log line here carries its
//! process ID and thread name, as Python's `multiprocessing.log_to_stderr()` tags each line with
//! the process's name; threads get names of their own, which a panic message repeats; and a child
//! process's panic reaches the parent twice: on the shared stderr, and as a message the parent can
//! check. `RUST_LOG` picks how much is logged, `RUST_BACKTRACE=1` adds where each panic came from,
//! in the children too, since they inherit the environment.
//!
//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", the FAQ "How Can I Debug a Multiprocessing Program in Python?".

use clap::Parser;
use lesson::{Checks, usize_in};
use multiproc::child::PANICKED;
use multiproc::{Exit, Task, init, spawn};
use std::io::Write;
use std::process::ExitCode;
use std::thread;

#[derive(Parser)]
#[command(
    about = "Logs tagged with process and thread, named threads, panics in threads and children"
)]
struct Args {
    /// How many worker threads, and how many worker processes; the last of each panics on purpose.
    #[arg(long, default_value_t = 3, value_parser = usize_in(2, 8))]
    workers: usize,
}

// ANCHOR: logger
/// One line per record, tagged like Python's `log_to_stderr()`: `[INFO pid 4242 worker-2] ...`.
/// Every process of the lesson calls it first, so the children's lines carry their own PIDs.
fn start_logging() {
    let default = env_logger::Env::default().default_filter_or("info");
    env_logger::Builder::from_env(default)
        .format(|out, record| {
            let me = thread::current();
            let name = me.name().unwrap_or("unnamed");
            let pid = std::process::id();
            writeln!(
                out,
                "[{} pid {pid} {name}] {}",
                record.level(),
                record.args()
            )
        })
        .init();
}
// ANCHOR_END: logger

// ANCHOR: work
/// The work every worker does; the one told to fail panics, as a bug would.
fn square_all(worker: usize, count: u64, fail: bool) -> u64 {
    log::info!("worker {worker}: squaring 1..={count}");
    if fail {
        panic!("worker {worker}: a bug (on purpose)");
    }
    (1..=count).map(|n| n * n).sum()
}

/// A child process's task: it says which process it is, then works.
fn child_square_all((worker, fail): (usize, bool)) -> (u32, u64) {
    (std::process::id(), square_all(worker, COUNT, fail))
}
static SQUARE_ALL: Task<(usize, bool), (u32, u64)> = Task::new("square_all", child_square_all);
// ANCHOR_END: work

const COUNT: u64 = 1_000;
/// 1² + 2² + ... + n² = n(n+1)(2n+1)/6
const EXPECTED: u64 = COUNT * (COUNT + 1) * (2 * COUNT + 1) / 6;

fn main() -> ExitCode {
    start_logging();
    init(&[&SQUARE_ALL]);
    let args: Args = lesson::parse_args();
    lesson::header("debugging: who said what, and who panicked");
    println!(
        "(log lines and panic messages go to stderr; stdout has the narration and the checks)"
    );
    let mut checks = Checks::new();

    println!("\n-- {} named threads; the last one panics", args.workers);
    // ANCHOR: threads
    let handles: std::io::Result<Vec<_>> = (1..=args.workers)
        .map(|worker| {
            let fail = worker == args.workers;
            thread::Builder::new()
                .name(format!("worker-{worker}"))
                .spawn(move || square_all(worker, COUNT, fail))
        })
        .collect::<Result<_, _>>();
    let handles = match handles {
        Ok(handles) => handles,
        Err(err) => return lesson::Failure::from(err).report(),
    };
    for handle in handles {
        let name = handle.thread().name().unwrap_or("unnamed").to_string();
        match handle.join() {
            Ok(sum) => checks.check(format!("{name} returned the right sum"), sum == EXPECTED),
            Err(payload) => {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_default();
                println!("{name} panicked: {message:?}");
                let expected = format!("worker {}:", args.workers);
                checks.check(
                    format!("join hands {name}'s panic message to the parent"),
                    name == format!("worker-{}", args.workers) && message.starts_with(&expected),
                )
            }
        };
    }
    // ANCHOR_END: threads

    println!(
        "\n-- {} worker processes; the last one panics",
        args.workers
    );
    // ANCHOR: processes
    for worker in 1..=args.workers {
        let fail = worker == args.workers;
        let mut child = match spawn(&SQUARE_ALL, (worker, fail)) {
            Ok(child) => child,
            Err(err) => return lesson::Failure::msg(format!("starting a worker: {err}")).report(),
        };
        let exit = child.join().unwrap_or(Exit::Code(-1));
        let pid = child.pid();
        if fail {
            let message = child.panic_message().unwrap_or("").to_string();
            println!("child {pid} ended with {exit}; its panic message: {message:?}");
            checks.check(
                format!("the parent sees child {pid}'s panic and exit {PANICKED}"),
                exit == Exit::Code(PANICKED) && message.contains("a bug"),
            );
        } else {
            let (reported, sum) = child.take_result().unwrap_or((0, 0));
            println!("child {pid} ended with {exit}; it reported pid {reported}");
            checks.check(
                format!("child {pid} reported its own PID and the right sum"),
                exit == Exit::Code(0) && reported == pid && sum == EXPECTED,
            );
        }
    }
    // ANCHOR_END: processes
    println!(
        "\nTry: RUST_BACKTRACE=1 to see where each panic happened; RUST_LOG=warn for quiet logs"
    );
    checks.finish()
}
