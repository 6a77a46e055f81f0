//! Solution: barrier.

use std::sync::{Condvar, Mutex};

#[derive(Debug)]
pub struct Barrier {
    n: usize,
    state: Mutex<State>,
    all_arrived: Condvar,
}

#[derive(Debug)]
struct State {
    arrived: usize,
    generation: u64,
}

impl Barrier {
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
