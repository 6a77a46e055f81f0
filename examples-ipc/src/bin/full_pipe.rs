//! A channel nobody reads fills up, and then `send` blocks: ipc-channel's README calls its channels
//! unbounded, but on Linux each one is a socket with a fixed buffer (ipc-channel issue #275). This
//! lesson sends small and larger messages on channels nobody reads and finds where `send` stops.
//!
//! Rust only: ipc-channel's `send` blocks once a few hundred messages sit unread (issue #275), where Python's `Queue.put` hands them to a feeder thread and returns.
//!
//! A helper thread sends; the main thread watches its count. When the count stops moving for
//! `--quiet-ms`, `send` is blocked. Then the main thread reads everything, which unblocks the
//! sender, so the lesson can never hang. The producer/consumer lesson's credits exist because of
//! this limit: a producer that blocks here while its consumers wait for it to read would deadlock.

use clap::Parser;
use ipc_channel::ipc;
use lesson::{Checks, Failure, Table, usize_in};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Where `send` blocks on an ipc-channel that nobody reads")]
struct Args {
    /// Messages to try to send on each channel before reading any.
    #[arg(long, default_value_t = 2_000, value_parser = usize_in(1_000, 100_000))]
    messages: usize,
    /// Milliseconds without progress after which the sender counts as blocked.
    #[arg(long, default_value_t = 300, value_parser = usize_in(50, 5_000))]
    quiet_ms: usize,
}

/// The message sizes tried: a number's worth of bytes, a small record, a page.
const PAYLOADS: [usize; 3] = [8, 1024, 4096];

/// How long the reader waits for each message once it starts reading.
const READ_WAIT: Duration = Duration::from_secs(2);

/// How often the watcher looks at the sender's count.
const POLL: Duration = Duration::from_millis(5);

/// What one channel did.
struct Fill {
    /// Messages accepted before `send` stopped returning, if it did.
    blocked_after: Option<usize>,
    /// Messages the reader got once it started reading.
    received: usize,
}

// ANCHOR: fill
/// Sends up to `attempted` messages of `payload` bytes on a channel nobody reads, from a helper
/// thread, and watches its count: if it stops moving for `quiet`, `send` is blocked. Then reads
/// everything, which unblocks the sender.
fn fill(attempted: usize, payload: usize, quiet: Duration) -> lesson::Result<Fill> {
    let (tx, rx) = ipc::channel::<Vec<u8>>()?;
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let sender = thread::spawn(move || {
        for _ in 0..attempted {
            if tx.send(vec![0u8; payload]).is_err() {
                break;
            }
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let (mut last, mut since) = (0, Instant::now());
    let blocked_after = loop {
        thread::sleep(POLL);
        let now = sent.load(Ordering::SeqCst);
        if now == attempted {
            break None;
        }
        if now != last {
            (last, since) = (now, Instant::now());
        } else if since.elapsed() >= quiet {
            break Some(now);
        }
    };
    let mut received = 0;
    while received < attempted && rx.try_recv_timeout(READ_WAIT).is_ok() {
        received += 1;
    }
    drop(rx); // if reading gave up early, the blocked send now fails instead of hanging
    sender
        .join()
        .map_err(|_| Failure::msg("the sender thread panicked"))?;
    Ok(Fill {
        blocked_after,
        received,
    })
}
// ANCHOR_END: fill

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    lesson::header("full_pipe: a channel nobody reads fills up, then `send` blocks");
    let quiet = Duration::from_millis(args.quiet_ms as u64);
    println!(
        "each channel: up to {} messages sent before anyone reads; blocked = no progress for {} ms",
        args.messages, args.quiet_ms
    );
    let mut fills = Vec::with_capacity(PAYLOADS.len());
    for payload in PAYLOADS {
        match fill(args.messages, payload, quiet) {
            Ok(fill) => fills.push((payload, fill)),
            Err(failure) => return failure.report(),
        }
    }
    let mut table = Table::new([
        "message",
        "sent before send blocked",
        "bytes unread",
        "read back",
    ]);
    for (payload, fill) in &fills {
        table.row([
            format!("{payload} bytes"),
            fill.blocked_after
                .map_or(format!("never (all {})", args.messages), |n| n.to_string()),
            fill.blocked_after
                .map_or("-".to_string(), |n| (n * payload).to_string()),
            fill.received.to_string(),
        ]);
    }
    println!("\n{table}");
    let mut checks = Checks::new();
    for (payload, fill) in &fills {
        checks.check(
            format!(
                "{payload}-byte messages: send blocked before all {} were sent",
                args.messages
            ),
            fill.blocked_after.is_some(),
        );
        checks.check(
            format!("{payload}-byte messages: reading let every one through"),
            fill.received == args.messages,
        );
    }
    checks.finish()
}
