//! Exercise: build a reusable barrier from a `Mutex` and a `Condvar`: `n` threads call `wait`, and
//! none returns until all `n` have arrived. Lesson: `barrier`.
//! Hints: `cargo run -p exercises --bin course -- hint barrier`.
//! Check: `cargo run -p exercises --bin course -- check barrier`

use std::sync::{Condvar, Mutex};

/// A barrier for `n` threads, reusable round after round like `std::sync::Barrier`.
#[derive(Debug)]
pub struct Barrier {
    n: usize,
    state: Mutex<State>,
    all_arrived: Condvar,
}

/// What the lock guards.
#[derive(Debug)]
struct State {
    /// How many threads have arrived in the current round.
    arrived: usize,
    /// The number of the current round: it goes up by one each time the last thread arrives.
    generation: u64,
}

impl Barrier {
    /// A barrier that opens when `n` threads wait on it. Panics if `n` is 0.
    pub fn new(n: usize) -> Self {
        // TODO: check `n`, and start at round 0 with nobody arrived.
        todo!("Barrier::new")
    }

    /// Blocks until `n` threads (this one included) have called `wait` in this round, then lets
    /// them all go, and the barrier is ready for the next round. Returns `true` in exactly one of
    /// the `n` threads of each round, the last to arrive (the leader), and `false` in the others.
    pub fn wait(&self) -> bool {
        // TODO: lock the state, remember the current `generation`, count yourself in.
        // TODO: the last to arrive starts the next round (reset `arrived`, bump `generation`),
        //       wakes everyone with `notify_all`, and returns true.
        // TODO: the others sleep on the condvar until the generation changes, then return false.
        //       Why the generation and not `arrived < n`? The leader resets `arrived` to 0 before
        //       the sleepers wake up to look at it.
        todo!("Barrier::wait")
    }
}
