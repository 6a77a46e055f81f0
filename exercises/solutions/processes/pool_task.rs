//! Solution: pool_task.

use multiproc::{Pool, Task, init};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordCount {
    pub words: u64,
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

pub fn register() {
    init(&[&COUNT_WORDS]);
}

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
