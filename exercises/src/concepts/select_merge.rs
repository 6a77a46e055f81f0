//! Exercise: wait on two channels at once with crossbeam's `select!`, and on a timeout too. Python
//! has no `select` over queues: people poll each queue with a timeout, or funnel everything into
//! one queue. Lesson: `select`.
//! Hints: `cargo run -p exercises --bin course -- hint select_merge`.
//! Check: `cargo run -p exercises --bin course -- check select_merge`

use crossbeam_channel::{Receiver, after, never, select};
use std::time::Duration;

/// What [`merge`] read, in arrival order per channel.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Merged {
    pub numbers: Vec<u64>,
    pub words: Vec<String>,
    /// True if it stopped because nothing arrived for `quiet`, false if both channels closed.
    pub went_quiet: bool,
}

/// Reads whichever of the two channels has a message, as messages arrive, until both channels
/// are closed (every sender dropped) or nothing has arrived on either for `quiet`.
pub fn merge(numbers: Receiver<u64>, words: Receiver<String>, quiet: Duration) -> Merged {
    // TODO: loop while either channel is still open, waiting on both channels and on a timer
    //       of `quiet` at once, and take whichever is ready first:
    //       - a message: keep it in `numbers` or `words`;
    //       - a channel that turns out closed: stop listening to it (careful: a closed channel
    //         is ready *every* time you ask);
    //       - the timer: nothing came for `quiet`, so note `went_quiet` and stop.
    todo!("merge")
}
