//! Threads are not only for computing. While a thread waits on a socket it uses no CPU, so many
//! threads can wait at once: `--requests` calls to a slow server take about one server delay with a
//! thread per call instead of one delay per call. This is why the multiprocessing tutorial still
//! recommends threads for I/O-bound Python: the GIL is released while waiting. The server is a
//! real TCP server on the loopback address, started by the lesson itself, that sleeps before it
//! answers, standing in for a slow database or web API.
//!
//! Translates: "Python multiprocessing: True Parallelism", "When to Use What", threads for I/O-bound work.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use clap::Parser;
use examples_threads::heavy;
use lesson::report::Run;
use lesson::{Checks, Table, human, timed, usize_in};

/// How long a client waits for an answer before its request fails instead of hanging.
const ANSWER_DEADLINE: Duration = Duration::from_secs(10);

#[derive(Parser, Debug)]
#[command(about = "Threads overlap waiting: serial vs threaded calls to a slow loopback server")]
struct Args {
    /// How many requests to send
    #[arg(long, default_value_t = 8, value_parser = usize_in(1, 64))]
    requests: usize,
    /// How long the server waits before answering, in milliseconds
    #[arg(long, default_value_t = 100, value_parser = usize_in(1, 2000))]
    delay_ms: usize,
}

// ANCHOR: server
/// A slow service: for each connection, read a number, wait, answer with twice the number.
/// Each connection gets its own thread, so the server itself never makes clients queue.
fn start_slow_server(delay: Duration) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    // Not joined: the accept loop lives until the lesson's process exits.
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(&stream);
                if reader.read_line(&mut line).is_ok() {
                    thread::sleep(delay);
                    let n: u64 = line.trim().parse().unwrap_or(0);
                    let _ = writeln!(&stream, "{}", n * 2);
                }
            });
        }
    });
    Ok(addr)
}
// ANCHOR_END: server

/// One blocking request: connect, send `n`, read the answer.
fn fetch(addr: SocketAddr, n: u64) -> std::io::Result<u64> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(ANSWER_DEADLINE))?;
    writeln!(stream, "{n}")?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer)?;
    answer.trim().parse().map_err(std::io::Error::other)
}

fn main() -> ExitCode {
    let args: Args = lesson::parse_args();
    let delay = Duration::from_millis(args.delay_ms as u64);
    heavy::warn_if_heavy(heavy::io_bound(args.requests, delay));
    lesson::header("io_bound: threads overlap waiting");
    let addr = match start_slow_server(delay) {
        Ok(addr) => addr,
        Err(e) => lesson::usage_error(format!("cannot start the loopback server: {e}")),
    };
    println!(
        "slow server on {addr}, answering each request after {}",
        human(delay)
    );
    let ids: Vec<u64> = (1..=args.requests as u64).collect();

    // ANCHOR: serial_vs_threads
    let (serial, serial_time) = timed(|| ids.iter().map(|&n| fetch(addr, n)).collect::<Vec<_>>());
    let (threaded, threaded_time) = timed(|| {
        thread::scope(|scope| {
            let handles: Vec<_> = ids
                .iter()
                .map(|&n| scope.spawn(move || fetch(addr, n)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("client thread panicked"))
                .collect::<Vec<_>>()
        })
    });
    // ANCHOR_END: serial_vs_threads
    let serial_run = Run::judged("serial", serial_time, answered(&serial, &ids));
    let threaded_run = Run::judged("threads", threaded_time, answered(&threaded, &ids));
    let n = ids.len();
    println!(
        "serial: {n} requests one after another {}",
        serial_run.took()
    );
    println!("threads: {n} requests at once {}", threaded_run.took());

    let mut table = Table::new(["approach", "time", "time per request", "speedup"]);
    for (name, run) in [
        ("serial", serial_run),
        ("one thread per request", threaded_run),
    ] {
        table.row([
            name.to_string(),
            run.shown(),
            run.time().map_or("-".into(), |t| human(t / n as u32)),
            run.speedup(&serial_run, 1),
        ]);
    }
    println!("\n{table}");
    println!(
        "The serial run costs about requests x delay; the threaded one about one delay, because\n\
         waiting threads take no CPU. Python gets the same win: the GIL is released during I/O."
    );

    let mut checks = Checks::new();
    checks.check(
        "every serial request got its own correct answer",
        serial_run.right(),
    );
    checks.check(
        "every threaded request got its own correct answer",
        threaded_run.right(),
    );
    checks.finish()
}

/// Whether every request got its own correct answer, twice its number.
fn answered(answers: &[std::io::Result<u64>], ids: &[u64]) -> bool {
    answers.len() == ids.len()
        && (answers.iter().zip(ids)).all(|(a, &n)| matches!(a, Ok(v) if *v == 2 * n))
}
