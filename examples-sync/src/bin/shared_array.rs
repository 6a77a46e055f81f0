//! The tutorial's `Array`, between processes: an array of `f64` in a shared-memory segment that
//! several worker processes double, three ways. Every worker doubling every cell with a load and
//! a separate store loses doublings (cells come out too small); with a compare-exchange loop on
//! the bits (`AtomicU64` holding `f64::to_bits`) none is lost; and giving each worker its own
//! disjoint slice, as the tutorial's single worker effectively has, needs no synchronisation at
//! all. Every cell is checked, and no segment may be left in `/dev/shm`.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Inter-Process Communication", the shared `Array`.

use std::process::ExitCode;

use clap::Parser;
use examples_sync::workers::{
    Doubling, check_nothing_left, double_in_processes, end, guard_dev_shm, initial, tasks,
};
use lesson::{Checks, Table, human, usize_in};

#[derive(Parser, Debug)]
#[command(about = "An array of f64 in shared memory, doubled by several processes")]
struct Args {
    /// How many worker processes double the array
    #[arg(long, default_value_t = 4, value_parser = usize_in(1, 16))]
    workers: usize,
    /// How many f64 cells the array holds
    #[arg(long, default_value_t = 1_000_000, value_parser = usize_in(1, 10_000_000))]
    len: usize,
}

fn main() -> ExitCode {
    multiproc::init(&tasks()); // in a worker this runs its task and never returns
    let args: Args = lesson::parse_args();
    lesson::header("shared_array: an array of f64 doubled by several processes");
    end(run(args.workers, args.len))
}

fn run(workers: usize, len: usize) -> lesson::Result<ExitCode> {
    guard_dev_shm()?;
    println!(
        "{len} cells ({:.1} MB) holding 1.0, 2.0, ..., 1000.0 over and over; {workers} worker processes",
        (len * size_of::<f64>()) as f64 / 1e6
    );
    let mut checks = Checks::new();
    let mut table = Table::new(["variant", "doublings per cell", "wrong cells", "time"]);
    // ANCHOR: verify
    for how in [
        Doubling::LoadThenStore,
        Doubling::CompareExchange,
        Doubling::DisjointSlices,
    ] {
        let run = double_in_processes(how, workers, len)?;
        let want = how.doublings(workers);
        // How many times each cell was really doubled: exact, since the values are small
        // whole numbers times a power of two.
        let times: Vec<Option<u32>> = (0..len)
            .map(|i| {
                let ratio = run.values[i] / initial(i);
                (ratio.fract() == 0.0 && (ratio as u64).is_power_of_two())
                    .then(|| (ratio as u64).trailing_zeros())
            })
            .collect();
        let wrong = times.iter().filter(|t| **t != Some(want)).count();
        let plausible = times
            .iter()
            .all(|t| matches!(t, Some(k) if (1..=want).contains(k)));
        checks.check(
            format!(
                "{}: every cell doubled 1 to {want} times, nothing else",
                how.name()
            ),
            plausible,
        );
        if how == Doubling::LoadThenStore {
            if workers == 1 {
                checks.check("with one worker, no doubling is lost", wrong == 0);
            }
        } else {
            checks.check(
                format!("{}: every cell doubled exactly {want} times", how.name()),
                wrong == 0,
            );
        }
        table.row([
            how.name().to_string(),
            want.to_string(),
            format!("{wrong} ({:.1}%)", 100.0 * wrong as f64 / len as f64),
            human(run.elapsed),
        ]);
    }
    // ANCHOR_END: verify
    println!("\n{table}");
    println!("(time: from the common start to the slowest worker's last cell)");
    check_nothing_left(&mut checks);
    Ok(checks.finish())
}
