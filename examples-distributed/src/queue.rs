//! The queue lesson's messages: the tags that say what a message is, and rank 0's tally of what
//! came back, which the lesson checks.

use std::collections::BTreeMap;

/// An item for a consumer.
pub const TAG_ITEM: i32 = 1;
/// The sentinel: a message with this tag means "no more items".
pub const TAG_STOP: i32 = 2;
/// A consumer's answer to one item: the item and its square.
pub const TAG_ANSWER: i32 = 3;
/// A consumer's last message: how many items it handled.
pub const TAG_DONE: i32 = 4;

/// What came back: each item's answers (item → (consumer, answer) per answer), and each
/// consumer's own count, with whether an answer of it arrived after that count.
#[derive(Debug, Default)]
pub struct Tally {
    pub answers: BTreeMap<u64, Vec<(i32, u64)>>,
    pub counted: BTreeMap<i32, u64>,
    pub late: bool,
}

impl Tally {
    pub fn take(&mut self, message: &[u64], from: i32, tag: i32) {
        match (tag, message) {
            (TAG_ANSWER, &[item, answer]) => {
                self.late |= self.counted.contains_key(&from);
                self.answers.entry(item).or_default().push((from, answer));
            }
            (TAG_DONE, &[handled]) => drop(self.counted.insert(from, handled)),
            _ => self.late = true, // malformed: counts as a failure too
        }
    }

    /// How many answers came from `rank`.
    pub fn answers_from(&self, rank: i32) -> u64 {
        self.answers
            .values()
            .flatten()
            .filter(|(from, _)| *from == rank)
            .count() as u64
    }

    /// Whether every item of `0..items`, and nothing else, came back once with its square.
    pub fn all_once(&self, items: u64) -> bool {
        let once = |item: u64| {
            self.answers
                .get(&item)
                .is_some_and(|a| a == &[(a[0].0, item * item)])
        };
        self.answers.len() as u64 == items && (0..items).all(once)
    }
}
