//! Classroom exercises. Each one is a starter file in `src/<chapter>/` with `todo!()` gaps marked
//! `// TODO`, a test file in `tests/` that fails until the gaps are filled, a hint in the book, and
//! a solution in `solutions/<chapter>/` that passes the very same tests.
//!
//! A student works through them with one command, `cargo run -p exercises --bin course -- list`
//! (then `check NAME`, `hint NAME`, `progress`), or checks one exercise directly with
//! `cargo test -p exercises --test <name>`; an instructor checks every solution with
//! `cargo test -p exercises --features solutions`. Every exercise's name, chapter, difficulty,
//! minutes and hints are in `exercises.toml`, which the command and the book page both read.

pub mod support;

// Starters name parameters and fields the student has not used yet; that is the point, not a
// warning.
macro_rules! exercise {
    ($name:ident, $starter:literal, $solution:literal) => {
        #[cfg(not(feature = "solutions"))]
        #[allow(
            unused_variables,
            unused_imports,
            unused_mut,
            dead_code,
            unreachable_code
        )]
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
exercise!(
    rayon_stats,
    "threads/rayon_stats.rs",
    "../solutions/threads/rayon_stats.rs"
);
exercise!(
    spawn_squares,
    "processes/spawn_squares.rs",
    "../solutions/processes/spawn_squares.rs"
);
exercise!(latch, "sync/latch.rs", "../solutions/sync/latch.rs");
exercise!(
    shm_counter,
    "sync/shm_counter.rs",
    "../solutions/sync/shm_counter.rs"
);
exercise!(
    shared_log,
    "concepts/shared_log.rs",
    "../solutions/concepts/shared_log.rs"
);
exercise!(
    poisoned_lock,
    "concepts/poisoned_lock.rs",
    "../solutions/concepts/poisoned_lock.rs"
);
exercise!(
    handoff_ordering,
    "concepts/handoff_ordering.rs",
    "../solutions/concepts/handoff_ordering.rs"
);
exercise!(
    deadlock_order,
    "concepts/deadlock_order.rs",
    "../solutions/concepts/deadlock_order.rs"
);
exercise!(
    select_merge,
    "concepts/select_merge.rs",
    "../solutions/concepts/select_merge.rs"
);
exercise!(
    fetch_all,
    "async/fetch_all.rs",
    "../solutions/async/fetch_all.rs"
);
exercise!(
    blocking_part,
    "async/blocking_part.rs",
    "../solutions/async/blocking_part.rs"
);
exercise!(
    capstone,
    "capstone/capstone.rs",
    "../solutions/capstone/capstone.rs"
);
