//! A child process sorts an array it was given and sends the sorted array back. In the
//! tutorial's `Process(target=bubble_sort, args=([1,9,4,5,2,6,8,4],))` the child only prints its
//! result: here it also returns it, and the parent checks it. The array travels serialized, so
//! the child sorts its own copy: processes share no memory.
//!
//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", "The Process class", `Process(target=bubble_sort)`.

use clap::Parser;
use examples_processes::report::{Run, die_if_asked};
use lesson::{Checks, Table, usize_in};
use multiproc::{Task, init, spawn};
use std::process::ExitCode;
use workloads::{SplitMix64, bubble_sort};

/// A child prints the arrays it sorted up to this length, as the tutorial's does.
const PRINTED_UP_TO: usize = 20;
/// The random numbers lie in `0..VALUES_BELOW`.
const VALUES_BELOW: u64 = 1_000_000;

#[derive(Parser)]
#[command(about = "A child process bubble-sorts an array and reports back")]
struct Args {
    /// Also sort this many seeded random numbers (0: only the tutorial's array).
    #[arg(long, default_value_t = 5_000, value_parser = usize_in(0, 50_000))]
    len: usize,
    /// Seed for the random array.
    #[arg(long, default_value_t = workloads::inputs::DEFAULT_SEED)]
    seed: u64,
}

// ANCHOR: child
fn sort_in_child(mut array: Vec<i64>) -> Vec<i64> {
    bubble_sort(&mut array);
    if array.len() <= PRINTED_UP_TO {
        println!("  child {}: Array sorted: {array:?}", std::process::id());
    }
    array
}
// ANCHOR_END: child
/// `sort_in_child` for the children, behind the test hook that can make them die.
static SORT_IN_CHILD: Task<Vec<i64>, Vec<i64>> = Task::new("sort_in_child", |array| {
    die_if_asked("sort_in_child");
    sort_in_child(array)
});

fn main() -> ExitCode {
    init(&[&SORT_IN_CHILD]);
    let args: Args = lesson::parse_args();
    lesson::header("bubble_sort_child: a child process sorts an array");
    let mut rng = SplitMix64::new(args.seed);
    let random: Vec<i64> = (0..args.len)
        .map(|_| rng.below(0, VALUES_BELOW) as i64)
        .collect();
    let mut arrays = vec![("the tutorial's array", vec![1, 9, 4, 5, 2, 6, 8, 4])];
    if !random.is_empty() {
        arrays.push(("seeded random numbers", random));
    }

    let mut table = Table::new([
        "array",
        "length",
        "child PID",
        "exit",
        "start + sort + join",
    ]);
    let mut checks = Checks::new();
    for (what, array) in &arrays {
        // ANCHOR: parent
        let (outcome, took) = lesson::timed(|| {
            let mut child = spawn(&SORT_IN_CHILD, array.clone())?; // the child gets a copy
            let exit = child.join()?;
            Ok::<_, Box<dyn std::error::Error>>((child.pid(), exit, child.take_result()))
        });
        // ANCHOR_END: parent
        let (pid, exit, sorted) = match outcome {
            Ok(done) => done,
            Err(err) => {
                checks.check(format!("{what}: the child ran ({err})"), false);
                continue;
            }
        };
        let mut expected = array.clone();
        expected.sort_unstable();
        let sorted = pid != std::process::id() && exit.success() && sorted == Some(expected);
        let run = Run::new(took, sorted);
        checks.check(
            format!("{what}: a child process sorted it and sent it back"),
            run.right(),
        );
        table.row([
            what.to_string(),
            array.len().to_string(),
            pid.to_string(),
            exit.to_string(),
            run.shown(),
        ]);
    }
    println!("\n{table}");
    checks.finish()
}
