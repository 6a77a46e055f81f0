//! Solution: barrier.

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
        assert!(n > 0, "a barrier needs at least one thread");
        Self {
            n,
            state: Mutex::new(State {
                arrived: 0,
                generation: 0,
            }),
            all_arrived: Condvar::new(),
        }
    }

    /// Blocks until `n` threads (this one included) have called `wait` in this round, then lets
    /// them all go, and the barrier is ready for the next round. Returns `true` in exactly one of
    /// the `n` threads of each round, the last to arrive (the leader), and `false` in the others.
    pub fn wait(&self) -> bool {
        let mut state = self.state.lock().unwrap();
        let generation = state.generation;
        state.arrived += 1;
        if state.arrived == self.n {
            state.arrived = 0;
            state.generation = state.generation.wrapping_add(1);
            self.all_arrived.notify_all();
            true
        } else {
            // `wait_while` sleeps again after a spurious wake-up, as long as the round is the same.
            let _state = self
                .all_arrived
                .wait_while(state, |s| s.generation == generation)
                .unwrap();
            false
        }
    }
}
