//! `select!`: one thread waits on several channels at once and takes whichever is ready first.
//! Two producers feed two channels of different types: numbers, fast and steady, and words,
//! slower; halfway both go quiet for a while. Before they start, a `select!` with a `default` case
//! finds nothing ready and says so instead of blocking. Then the loop selects over both channels
//! with a timeout: it reports each quiet spell, drops a channel from the select once it
//! disconnects, and ends when both have. The checks: every item of each producer arrived once
//! and in its producer's order, the `default` case fired, a timeout fired in the shared pause.
//!
//! Rust only: Python's `queue` has no select; the twin gives both producers one queue of tagged items, what Python programs usually do instead.

use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use clap::Parser;
use crossbeam_channel::{Receiver, never, select, unbounded};
use lesson::{Checks, usize_in};

#[derive(Parser, Debug)]
#[command(about = "select!: wait on several channels, with a timeout and a default")]
struct Args {
    /// How many numbers the fast producer sends (the slow one sends half as many words)
    #[arg(long, default_value_t = 20, value_parser = usize_in(2, 1_000))]
    items: usize,
}

/// The fast producer's pace, the slow one's, and how long both go quiet halfway.
const FAST_PACE: Duration = Duration::from_millis(2);
const SLOW_PACE: Duration = Duration::from_millis(5);
const SILENCE: Duration = Duration::from_millis(200);
/// How long the loop waits with nothing ready before it reports a quiet spell.
const TIMEOUT: Duration = Duration::from_millis(50);
/// After this many quiet spells the loop gives up: a producer is stuck.
const MOST_TIMEOUTS: usize = 40;

/// What the consumer received, for the checks.
#[derive(Default)]
struct Received {
    numbers: Vec<usize>,
    words: Vec<String>,
    /// How many numbers and words had arrived at each timeout.
    quiet_at: Vec<(usize, usize)>,
    gave_up: bool,
}

/// A producer thread: calls `send` with 0, 1, ... `count - 1` at `pace`, pausing halfway for
/// [`SILENCE`] once the other producer is halfway too. Stops early if the consumer is gone.
fn producer(
    count: usize,
    pace: Duration,
    halfway: Arc<Barrier>,
    send: impl Fn(usize) -> bool + Send + 'static,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        for i in 0..count {
            if i == count / 2 {
                halfway.wait();
                thread::sleep(SILENCE);
            }
            if !send(i) {
                return;
            }
            thread::sleep(pace);
        }
    })
}

// ANCHOR: select_loop
fn consume(mut numbers: Receiver<usize>, mut words: Receiver<String>) -> Received {
    let mut got = Received::default();
    let (mut numbers_open, mut words_open) = (true, true);
    while numbers_open || words_open {
        select! {
            recv(numbers) -> msg => match msg {
                Ok(n) => got.numbers.push(n),
                Err(_) => {
                    println!("numbers: disconnected");
                    (numbers, numbers_open) = (never(), false); // select! stops watching it
                }
            },
            recv(words) -> msg => match msg {
                Ok(w) => got.words.push(w),
                Err(_) => {
                    println!("words: disconnected");
                    (words, words_open) = (never(), false);
                }
            },
            default(TIMEOUT) => {
                let (n, w) = (got.numbers.len(), got.words.len());
                println!("nothing for {TIMEOUT:?} (numbers so far: {n}, words: {w})");
                got.quiet_at.push((n, w));
                if got.quiet_at.len() == MOST_TIMEOUTS {
                    got.gave_up = true;
                    break;
                }
            },
        }
    }
    got
}
// ANCHOR_END: select_loop

fn main() -> ExitCode {
    let Args { items } = lesson::parse_args();
    let word_count = items / 2;
    lesson::header("select: wait on several channels, with a timeout and a default");
    let (number_tx, numbers) = unbounded();
    let (word_tx, words) = unbounded::<String>();

    println!("\n-- before the producers start: select! with a default case --");
    // ANCHOR: default_case
    let nothing_ready = select! {
        recv(numbers) -> _ => false,
        recv(words) -> _ => false,
        default => true,
    };
    // ANCHOR_END: default_case
    println!("nothing ready, so the default case ran instead of blocking: {nothing_ready}");

    let paces = format!("numbers every {FAST_PACE:?}, words every {SLOW_PACE:?}");
    println!(
        "\n-- {items} numbers, {word_count} words; {paces}; both quiet {SILENCE:?} halfway --"
    );
    // Both producers pause together halfway, so the consumer meets a real quiet spell.
    let halfway = Arc::new(Barrier::new(2));
    let send_number = move |n: usize| number_tx.send(n).is_ok();
    let send_word = move |w: usize| word_tx.send(format!("w{w}")).is_ok();
    let producers = [
        producer(items, FAST_PACE, Arc::clone(&halfway), send_number),
        producer(word_count, SLOW_PACE, halfway, send_word),
    ];
    let got = consume(numbers, words);
    for producer in producers {
        producer.join().expect("a producer does not panic");
    }
    let (n, w, t) = (got.numbers.len(), got.words.len(), got.quiet_at.len());
    println!("received {n} numbers, {w} words; {t} quiet spells");

    let words_sent: Vec<_> = (0..word_count).map(|w| format!("w{w}")).collect();
    let mut checks = Checks::new();
    checks.check("default ran: nothing was ready yet", nothing_ready);
    checks.check("the loop ended on disconnection", !got.gave_up);
    let in_order = got.numbers == (0..items).collect::<Vec<_>>() && got.words == words_sent;
    checks.check("every item arrived once, in its producer's order", in_order);
    // Exactly half of each had arrived only while both producers sat in their shared pause.
    let in_pause = got.quiet_at.contains(&(items / 2, word_count / 2));
    checks.check("a timeout fired in the producers' shared pause", in_pause);
    checks.finish()
}
