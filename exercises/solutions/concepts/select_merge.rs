//! Solution: select_merge.

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
    let mut merged = Merged::default();
    let (mut numbers, mut words) = (numbers, words);
    let (mut numbers_open, mut words_open) = (true, true);
    while numbers_open || words_open {
        // A closed channel is always ready (its `recv` fails at once), so it is swapped for
        // `never()`, which is never ready; otherwise it would win every round and starve the
        // timeout.
        select! {
            recv(numbers) -> message => match message {
                Ok(n) => merged.numbers.push(n),
                Err(_) => (numbers, numbers_open) = (never(), false),
            },
            recv(words) -> message => match message {
                Ok(w) => merged.words.push(w),
                Err(_) => (words, words_open) = (never(), false),
            },
            recv(after(quiet)) -> _ => {
                merged.went_quiet = true;
                break;
            }
        }
    }
    merged
}
