//! Five ways a child process can end (it returns, exits with a code, panics, aborts, or is killed
//! by a signal) and what the parent sees for each. Python reports a normal exit as its code and
//! death by signal as minus the signal number; [`Exit::exitcode`] gives the same figure. One
//! difference: an uncaught Python exception exits with 1, an uncaught Rust panic with 101.
//!
//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", the FAQ "How Can I Handle Exceptions in Multiprocessing in Python?".

use clap::Parser;
use lesson::{Checks, Table, usize_in};
use multiproc::child::PANICKED;
use multiproc::signal::{ABRT, KILL, TERM};
use multiproc::{Exit, Task, init, spawn};
use serde::{Deserialize, Serialize};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Children that return, exit, panic, abort or are killed: what the parent sees")]
struct Args {
    /// The code the "exits with a code" child passes to std::process::exit.
    #[arg(long, default_value_t = 3, value_parser = usize_in(1, 255))]
    code: usize,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
enum Ending {
    Return,
    Exit(i32),
    Panic,
    Abort,
    Sleep,
}

// ANCHOR: endings
fn end_like(ending: Ending) -> String {
    match ending {
        Ending::Return => "finished normally".to_string(),
        Ending::Exit(code) => std::process::exit(code),
        Ending::Panic => panic!("this child panics on purpose"),
        // No unwinding, no destructors: the process raises SIGABRT against itself.
        Ending::Abort => std::process::abort(),
        // Waits to be signalled by the parent (the lifeline ends it if the parent dies first).
        Ending::Sleep => {
            std::thread::sleep(Duration::from_secs(60));
            "woke up".to_string()
        }
    }
}
static END_LIKE: Task<Ending, String> = Task::new("end_like", end_like);
// ANCHOR_END: endings

fn main() -> ExitCode {
    init(&[&END_LIKE]);
    let args: Args = lesson::parse_args();
    lesson::header("exit_codes: how a child ended, as the parent sees it");
    println!("(the panic message below comes from the panicking child's stderr)");
    let code = args.code as i32; // at most 255: usize_in checked it
    let scenarios: [(&str, Ending, Option<i32>, Exit); 6] = [
        ("returns", Ending::Return, None, Exit::Code(0)),
        (
            "calls exit(code)",
            Ending::Exit(code),
            None,
            Exit::Code(code),
        ),
        ("panics", Ending::Panic, None, Exit::Code(PANICKED)),
        ("aborts", Ending::Abort, None, Exit::Signal(ABRT)),
        (
            "parent calls terminate()",
            Ending::Sleep,
            Some(TERM),
            Exit::Signal(TERM),
        ),
        (
            "parent calls kill()",
            Ending::Sleep,
            Some(KILL),
            Exit::Signal(KILL),
        ),
    ];
    let mut table = Table::new(["the child", "Rust sees", "Python exitcode", "returned"]);
    let mut checks = Checks::new();
    for (what, ending, signal, expected) in scenarios {
        // ANCHOR: observe
        let mut child = match spawn(&END_LIKE, ending) {
            Ok(child) => child,
            Err(err) => {
                checks.check(format!("child that {what} started"), false);
                eprintln!("error: {err}");
                continue;
            }
        };
        match signal {
            Some(TERM) => child.terminate().ok(),
            Some(_) => child.kill().ok(),
            None => None,
        };
        let exit = child.join().map_or(Exit::Code(-1), |exit| exit);
        let returned = child.take_result().unwrap_or_else(|| "nothing".to_string());
        // ANCHOR_END: observe
        println!("child {} {what}: {exit}", child.pid());
        table.row([
            what.to_string(),
            exit.to_string(),
            exit.exitcode().to_string(),
            returned,
        ]);
        checks.check(
            format!("a child that {what} ends with {expected}"),
            exit == expected,
        );
    }
    println!("\n{table}");
    checks.finish()
}
