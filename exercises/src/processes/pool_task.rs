//! Exercise: write a task for a pool of worker processes, register it, and combine what the
//! workers send back: a word count, one chunk of text per task. Lesson: `process_pool`.
//!
//! Hints: `cargo run -p exercises --bin course -- hint pool_task`.
//! Check: `cargo run -p exercises --bin course -- check pool_task`

use multiproc::{Pool, Task, init};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one task reports for its chunk of text (and what [`word_count`] reports for all of it).
/// It crosses the process boundary, so it is a serde type.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordCount {
    /// How many words in all.
    pub words: u64,
    /// How often each word occurs. A word is a maximal run of alphanumeric characters
    /// (`char::is_alphanumeric`), lowercased: "Don't stop" holds "don", "t" and "stop".
    pub frequencies: BTreeMap<String, u64>,
}

/// The task: counts the words of one chunk. Never fails, but a pool task returns a `Result`.
pub fn count_words(chunk: String) -> Result<WordCount, String> {
    // TODO: split on every character that is not alphanumeric, skip the empty pieces, lowercase
    //       each word, and count it in `words` and in `frequencies`.
    todo!("count_words")
}

/// The task as a child finds it: by its name.
pub static COUNT_WORDS: Task<String, Result<WordCount, String>> =
    Task::new("count_words", count_words);

/// The guard at the top of `main`, in the parent and in every child (the tests call it).
pub fn register() {
    // TODO: pass every task of this module to `multiproc::init`.
    todo!("register")
}

/// Counts the words of `text` with a pool of `workers` processes, one task per chunk of at most
/// `lines_per_chunk` lines, and merges the chunks' counts. Any error becomes its message.
pub fn word_count(text: &str, workers: usize, lines_per_chunk: usize) -> Result<WordCount, String> {
    let lines: Vec<&str> = text.lines().collect();
    let chunks: Vec<String> = lines
        .chunks(lines_per_chunk.max(1))
        .map(|chunk| chunk.join("\n"))
        .collect();
    // TODO: start a `Pool` of `workers` running `COUNT_WORDS` (`map_err` its error to a String).
    // TODO: `map` the chunks, and merge each chunk's `WordCount` into one total; the first
    //       `Err(TaskError)` ends it, as its message.
    todo!("word_count")
}
