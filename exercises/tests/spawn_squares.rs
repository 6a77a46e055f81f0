//! Tests of the `spawn_squares` exercise. Own `main` (`harness = false`): each child re-executes
//! this binary, so `init` must run first (see `multiproc::harness`).

use exercises::spawn_squares::{SLOW_SQUARE, squares_in_children};
use multiproc::{harness, init};
use std::collections::HashSet;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    init(&[&SLOW_SQUARE]);
    harness::run(
        &[
            (
                "every_input_is_squared_in_order",
                every_input_is_squared_in_order,
            ),
            (
                "each_input_has_a_process_of_its_own",
                each_input_has_a_process_of_its_own,
            ),
            (
                "the_children_run_at_the_same_time",
                the_children_run_at_the_same_time,
            ),
        ],
        Duration::from_secs(30),
    )
}

fn every_input_is_squared_in_order() {
    let answers = squares_in_children(&[3, 1, 4, 1, 5]).unwrap();
    let squares: Vec<u64> = answers.iter().map(|a| a.square).collect();
    assert_eq!(squares, [9, 1, 16, 1, 25], "in input order");
    assert!(squares_in_children(&[]).unwrap().is_empty());
}

fn each_input_has_a_process_of_its_own() {
    let answers = squares_in_children(&[1, 2, 3, 4]).unwrap();
    let pids: HashSet<u32> = answers.iter().map(|a| a.pid).collect();
    assert_eq!(pids.len(), 4, "one child per input: {pids:?}");
    assert!(
        !pids.contains(&std::process::id()),
        "the work ran in the parent, not in a child"
    );
}

/// Every child must still be working when the last one starts: started all, then joined all.
fn the_children_run_at_the_same_time() {
    let answers = squares_in_children(&[1, 2, 3, 4]).unwrap();
    let last_start = answers.iter().map(|a| a.started).max().unwrap();
    let first_end = answers.iter().map(|a| a.finished).min().unwrap();
    assert!(
        last_start < first_end,
        "a child started only after another had finished: do you join each child right after \
         starting it? Start them all, then join them all."
    );
}
