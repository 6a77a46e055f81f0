//! Tests of the `pool_task` exercise. Own `main` (`harness = false`): the children re-execute
//! this binary, so `init` must run first (see `multiproc::harness`).

use exercises::pool_task::{COUNT_WORDS, WordCount, count_words, register, word_count};
use multiproc::Pool;
use multiproc::harness;
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    register(); // in a child, this runs the task and never returns
    harness::run(
        &[
            ("the_task_counts_one_chunk", the_task_counts_one_chunk),
            ("the_task_runs_in_a_pool", the_task_runs_in_a_pool),
            ("word_count_merges_chunks", word_count_merges_chunks),
            ("empty_text_counts_nothing", empty_text_counts_nothing),
        ],
        Duration::from_secs(30),
    )
}

fn counts(words: u64, frequencies: &[(&str, u64)]) -> WordCount {
    WordCount {
        words,
        frequencies: frequencies
            .iter()
            .map(|&(w, n)| (w.to_string(), n))
            .collect::<BTreeMap<_, _>>(),
    }
}

const SAMPLE: &str = "Don't stop, don't STOP!\n  42 times...";

fn the_task_counts_one_chunk() {
    let expected = counts(
        8,
        &[("42", 1), ("don", 2), ("stop", 2), ("t", 2), ("times", 1)],
    );
    assert_eq!(count_words(SAMPLE.to_string()), Ok(expected));
    assert_eq!(count_words(" ,;\n".to_string()), Ok(WordCount::default()));
}

fn the_task_runs_in_a_pool() {
    let pool = Pool::new(&COUNT_WORDS, 2).expect("is COUNT_WORDS passed to init in register()?");
    let results = pool.map(vec![SAMPLE.to_string(), "Rust rust RUST".to_string()]);
    assert_eq!(
        results,
        vec![
            Ok(counts(
                8,
                &[("42", 1), ("don", 2), ("stop", 2), ("t", 2), ("times", 1)]
            )),
            Ok(counts(3, &[("rust", 3)])),
        ]
    );
}

/// 300 lines of five words each: "The quick fox red jumps", "The quick fox Blue jumps", ...
fn foxes() -> String {
    (0..300)
        .map(|i| format!("The quick fox {} jumps", ["red", "Blue", "GREEN"][i % 3]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn word_count_merges_chunks() {
    let expected = counts(
        1500,
        &[
            ("blue", 100),
            ("fox", 300),
            ("green", 100),
            ("jumps", 300),
            ("quick", 300),
            ("red", 100),
            ("the", 300),
        ],
    );
    let text = foxes();
    for (workers, lines_per_chunk) in [(1, 1000), (2, 1), (3, 7), (4, 64)] {
        assert_eq!(
            word_count(&text, workers, lines_per_chunk),
            Ok(expected.clone()),
            "{workers} workers, {lines_per_chunk} lines per chunk"
        );
    }
}

fn empty_text_counts_nothing() {
    assert_eq!(word_count("", 2, 10), Ok(WordCount::default()));
}
