//! Classroom exercises. Each one is a starter file in `src/<chapter>/` with `todo!()` gaps marked
//! `// TODO`, a test file in `tests/` that fails until the gaps are filled, a hint in the book, and
//! a solution in `solutions/<chapter>/` that passes the very same tests.
//!
//! A student checks one exercise with `cargo test -p exercises --test <name>`; an instructor checks
//! every solution with `cargo test -p exercises --features solutions`.

// Starters name parameters and fields the student has not used yet; that is the point, not a
// warning.
macro_rules! exercise {
    ($name:ident, $starter:literal, $solution:literal) => {
        #[cfg(not(feature = "solutions"))]
        #[allow(unused_variables, unused_imports, unused_mut, dead_code)]
        #[path = $starter]
        pub mod $name;

        #[cfg(feature = "solutions")]
        #[path = $solution]
        pub mod $name;
    };
}

exercise!(
    parallel_sum,
    "threads/parallel_sum.rs",
    "../solutions/threads/parallel_sum.rs"
);
exercise!(
    work_queue,
    "threads/work_queue.rs",
    "../solutions/threads/work_queue.rs"
);
exercise!(
    survive_panics,
    "threads/survive_panics.rs",
    "../solutions/threads/survive_panics.rs"
);
exercise!(
    join_timeout,
    "processes/join_timeout.rs",
    "../solutions/processes/join_timeout.rs"
);
exercise!(
    pool_task,
    "processes/pool_task.rs",
    "../solutions/processes/pool_task.rs"
);
exercise!(
    crashed_worker,
    "processes/crashed_worker.rs",
    "../solutions/processes/crashed_worker.rs"
);
exercise!(
    second_producer,
    "ipc/second_producer.rs",
    "../solutions/ipc/second_producer.rs"
);
exercise!(
    batch_queue,
    "ipc/batch_queue.rs",
    "../solutions/ipc/batch_queue.rs"
);
exercise!(
    manager_pop,
    "ipc/manager_pop.rs",
    "../solutions/ipc/manager_pop.rs"
);
exercise!(
    fix_the_race,
    "sync/fix_the_race.rs",
    "../solutions/sync/fix_the_race.rs"
);
exercise!(
    atomic_counter,
    "sync/atomic_counter.rs",
    "../solutions/sync/atomic_counter.rs"
);
exercise!(barrier, "sync/barrier.rs", "../solutions/sync/barrier.rs");
