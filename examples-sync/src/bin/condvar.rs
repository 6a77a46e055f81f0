//! Python's `threading.Condition` in Rust: a producer and a slow consumer share a queue that holds
//! at most a few items. One `Mutex` guards the queue; two `Condvar`s let the producer sleep while
//! it is full and the consumer while it is empty. The lesson checks that every item arrived once,
//! in order, and that the queue never held more than its capacity. Every wait has a timeout and the
//! scene runs under a deadline, so a lost wake-up fails a check instead of hanging the lesson.
//!
//! Rust only: the tutorials show only `Lock`; `threading.Condition` becomes a `Condvar` beside the `Mutex` it waits on.

use std::collections::VecDeque;
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use clap::Parser;
use examples_sync::{PATIENCE, bounded};
use lesson::{Checks, usize_in};

#[derive(Parser, Debug)]
#[command(about = "A Condvar: a producer and a slow consumer share a bounded queue")]
struct Args {
    /// How many items the producer sends
    #[arg(long, default_value_t = 20, value_parser = usize_in(1, 10_000))]
    items: usize,
    /// How many items the queue holds at most
    #[arg(long, default_value_t = 3, value_parser = usize_in(1, 64))]
    capacity: usize,
}

/// The consumer's pause after each item: slower than the producer, so the queue fills up.
const CONSUMER_PAUSE: Duration = Duration::from_millis(1);

// ANCHOR: bounded_queue
/// A queue that holds at most `capacity` items: `push` waits while it is full, `pop` while it is
/// empty. One mutex, two condition variables (Python: one `Condition` per wait, same lock).
struct BoundedQueue {
    items: Mutex<VecDeque<usize>>,
    not_full: Condvar,
    not_empty: Condvar,
    capacity: usize,
}

impl BoundedQueue {
    /// Returns the queue's length after the push, or `None` if no room came free in time.
    fn push(&self, item: usize) -> Option<usize> {
        let items = self.items.lock().unwrap();
        let (mut items, timeout) = self
            .not_full
            .wait_timeout_while(items, PATIENCE, |q| q.len() == self.capacity)
            .unwrap();
        if timeout.timed_out() {
            return None;
        }
        items.push_back(item);
        self.not_empty.notify_one();
        Some(items.len())
    }

    fn pop(&self) -> Option<usize> {
        let items = self.items.lock().unwrap();
        let (mut items, _) = self
            .not_empty
            .wait_timeout_while(items, PATIENCE, |q| q.is_empty())
            .unwrap();
        let item = items.pop_front()?;
        self.not_full.notify_one();
        Some(item)
    }
}
// ANCHOR_END: bounded_queue

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let (items, capacity) = (args.items, args.capacity);
    lesson::header("condvar: a bounded queue on a Mutex and two Condvars");
    println!("\n-- Condvar: a producer and a slow consumer share a queue of {capacity} --");
    // ANCHOR: scene
    let queue = Arc::new(BoundedQueue {
        items: Mutex::new(VecDeque::new()),
        not_full: Condvar::new(),
        not_empty: Condvar::new(),
        capacity,
    });
    let outcome = bounded(PATIENCE * 2, move || {
        let producer = {
            let queue = Arc::clone(&queue);
            // The longest the queue got; a push that timed out counts as overflowing it.
            thread::spawn(move || {
                (0..items)
                    .map(|i| queue.push(i).unwrap_or(usize::MAX))
                    .max()
            })
        };
        let mut received = Vec::new();
        while let Some(item) = queue.pop() {
            received.push(item);
            if received.len() == items {
                break;
            }
            thread::sleep(CONSUMER_PAUSE);
        }
        (received, producer.join().unwrap().unwrap_or(0))
    });
    // ANCHOR_END: scene
    let mut checks = Checks::new();
    let Some((received, longest)) = outcome else {
        checks.check("the queue scene finished in time", false);
        return checks.finish();
    };
    println!(
        "received {} items; the queue never held more than {longest}",
        received.len()
    );
    checks.check(
        "every item arrived once, in order",
        received == (0..items).collect::<Vec<_>>(),
    );
    checks.check(
        format!("the queue never held more than {capacity}"),
        longest <= capacity,
    );
    checks.finish()
}
