//! Solution: pool_task.

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

impl WordCount {
    fn merge(&mut self, other: WordCount) {
        self.words += other.words;
        for (word, n) in other.frequencies {
            *self.frequencies.entry(word).or_default() += n;
        }
    }
}

pub fn count_words(chunk: String) -> Result<WordCount, String> {
    let mut count = WordCount::default();
    for word in chunk.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() {
            count.words += 1;
            *count.frequencies.entry(word.to_lowercase()).or_default() += 1;
        }
    }
    Ok(count)
}

pub static COUNT_WORDS: Task<String, Result<WordCount, String>> =
    Task::new("count_words", count_words);

/// The guard at the top of `main`, in the parent and in every child (the tests call it).
pub fn register() {
    init(&[&COUNT_WORDS]);
}

/// Counts the words of `text` with a pool of `workers` processes, one task per chunk of at most
/// `lines_per_chunk` lines, and merges the chunks' counts. Any error becomes its message.
pub fn word_count(text: &str, workers: usize, lines_per_chunk: usize) -> Result<WordCount, String> {
    let lines: Vec<&str> = text.lines().collect();
    let chunks: Vec<String> = lines
        .chunks(lines_per_chunk.max(1))
        .map(|chunk| chunk.join("\n"))
        .collect();
    let pool = Pool::new(&COUNT_WORDS, workers).map_err(|e| e.to_string())?;
    let mut total = WordCount::default();
    for result in pool.map(chunks) {
        total.merge(result.map_err(|e| e.to_string())?);
    }
    Ok(total)
}
