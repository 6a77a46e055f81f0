//! Tests of the `shm_counter` exercise. Own `main` (`harness = false`): the workers re-execute
//! this binary, so `init` must run first (see `multiproc::harness`).

use exercises::shm_counter::{ADD_ONES, count_in_processes};
use exercises::support::within;
use multiproc::shm::{can_list_segments, segments_of};
use multiproc::{harness, init};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    init(&[&ADD_ONES]);
    harness::run(
        &[
            ("no_update_is_lost", no_update_is_lost),
            ("no_workers_count_nothing", no_workers_count_nothing),
            ("no_segment_is_left_behind", no_segment_is_left_behind),
        ],
        Duration::from_secs(60),
    )
}

const PROBABLY: &str = "is a worker waiting for something, or the parent joining before it \
                        started them all?";

fn no_update_is_lost() {
    for (workers, increments) in [(1, 1_000), (2, 200_000), (4, 100_000)] {
        let total = within(Duration::from_secs(30), PROBABLY, move || {
            count_in_processes(workers, increments)
        })
        .unwrap();
        assert_eq!(
            total,
            workers as u64 * increments,
            "{workers} workers x {increments}: an update was lost. A `load` then a `store` is two \
             steps another process can slip between; one `fetch_add` is one."
        );
    }
}

fn no_workers_count_nothing() {
    assert_eq!(count_in_processes(0, 1_000).unwrap(), 0);
    assert_eq!(count_in_processes(3, 0).unwrap(), 0);
}

fn no_segment_is_left_behind() {
    count_in_processes(2, 1_000).unwrap();
    if can_list_segments() {
        assert_eq!(
            segments_of(std::process::id()),
            Vec::<String>::new(),
            "a segment is left in /dev/shm: keep the `Shared` value until the workers are done \
             and let it drop"
        );
    }
}
