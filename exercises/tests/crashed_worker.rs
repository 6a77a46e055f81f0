//! Tests of the `crashed_worker` exercise. Own `main` (`harness = false`): the children re-execute
//! this binary, so `init` must run first (see `multiproc::harness`).

use exercises::crashed_worker::{INSPECT, Report, crash_report};
use multiproc::harness;
use multiproc::{Exit, Pool, init};
use std::collections::BTreeSet;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    // The children's panics are expected ("3 ends in 3"): one line each, never a backtrace.
    if std::env::var_os(multiproc::ROLE_VAR).is_some() {
        std::panic::set_hook(Box::new(|info| eprintln!("child: {info}")));
    }
    init(&[&INSPECT]);
    harness::run(
        &[
            ("a_clean_batch_succeeds", a_clean_batch_succeeds),
            ("every_outcome_is_reported", every_outcome_is_reported),
            ("the_pool_survives_the_batch", the_pool_survives_the_batch),
        ],
        Duration::from_secs(30),
    )
}

fn keys<V>(map: &std::collections::BTreeMap<u64, V>) -> BTreeSet<u64> {
    map.keys().copied().collect()
}

fn set(inputs: &[u64]) -> BTreeSet<u64> {
    inputs.iter().copied().collect()
}

fn a_clean_batch_succeeds() {
    let pool = Pool::new(&INSPECT, 2).unwrap();
    let report = crash_report(&pool, &[1, 2, 4, 6, 8]);
    let expected = Report {
        succeeded: [(1, 1), (2, 4), (4, 16), (6, 36), (8, 64)].into(),
        ..Report::default()
    };
    assert_eq!(report, expected);
}

fn every_outcome_is_reported() {
    let pool = Pool::new(&INSPECT, 2).unwrap();
    // 0..40 and 99: enough inputs that `Pool::map` would send several per chunk.
    let inputs: Vec<u64> = (0..40).chain([99]).collect();
    let report = crash_report(&pool, &inputs);

    let crashed = set(&[7, 17, 27, 37, 99]);
    let panicked = set(&[3, 13, 23, 33]);
    let failed = set(&[0, 5, 10, 15, 20, 25, 30, 35]);
    assert_eq!(keys(&report.crashed), crashed, "crashed: {report:#?}");
    assert_eq!(keys(&report.panicked), panicked, "panicked: {report:#?}");
    assert_eq!(keys(&report.failed), failed, "failed: {report:#?}");
    let succeeded: BTreeSet<u64> = inputs
        .iter()
        .copied()
        .filter(|x| !crashed.contains(x) && !panicked.contains(x) && !failed.contains(x))
        .collect();
    assert_eq!(keys(&report.succeeded), succeeded, "succeeded: {report:#?}");

    for (&x, &value) in &report.succeeded {
        assert_eq!(value, x * x, "the value of {x}");
    }
    for (&x, message) in &report.failed {
        assert_eq!(message, &format!("{x} is a multiple of 5"));
    }
    for (&x, message) in &report.panicked {
        assert_eq!(message, &format!("{x} ends in 3"));
    }
    for (&x, exit) in &report.crashed {
        let expected = if x == 99 {
            Exit::Code(3)
        } else {
            Exit::Signal(libc::SIGABRT)
        };
        assert_eq!(exit, &Some(expected), "how the worker running {x} ended");
    }
}

fn the_pool_survives_the_batch() {
    let pool = Pool::new(&INSPECT, 2).unwrap();
    let first = crash_report(&pool, &[7, 17, 2]);
    assert_eq!(keys(&first.crashed), set(&[7, 17]));
    let second = crash_report(&pool, &[4, 6]);
    assert_eq!(
        second,
        Report {
            succeeded: [(4, 16), (6, 36)].into(),
            ..Report::default()
        }
    );
    assert!(pool.replacements() >= 2, "each crashed worker was replaced");
}
