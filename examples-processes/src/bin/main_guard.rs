//! How a child knows it is a child. Under Python's *spawn* start method each child re-imports the
//! main module, so module-level code runs again in every child, and a script that starts
//! processes without `if __name__ == "__main__":` starts them again from each child, forever.
//! This toolkit re-runs the whole binary, so everything in `main` before `init` runs in every
//! child too; `init` is the guard: it finds the role in the environment and runs the child's task
//! instead of returning. Starting a process before `init` is refused, which is what keeps the
//! Rust version from spawning without end.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Common Pitfalls and Best Practices", the `__main__` guard.

use clap::Parser;
use examples_processes::run_child;
use lesson::{Checks, Table, usize_in};
use multiproc::{ROLE_VAR, Task, init, spawn};
use serde::{Deserialize, Serialize};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Parser)]
#[command(about = "Show which code runs in the children, and why init must come first")]
struct Args {
    /// How many children to start.
    #[arg(long, default_value_t = 2, value_parser = usize_in(1, 16))]
    children: usize,
}

/// The PID that ran the code above `init`, recorded there (0 if it did not run).
static RAN_BEFORE_INIT: AtomicU32 = AtomicU32::new(0);

#[derive(Serialize, Deserialize)]
struct WhoAmI {
    pid: u32,
    ran_before_init: u32,
    role: Option<String>,
}

fn who_am_i((): ()) -> WhoAmI {
    WhoAmI {
        pid: std::process::id(),
        ran_before_init: RAN_BEFORE_INIT.load(Ordering::Relaxed),
        role: std::env::var(ROLE_VAR).ok(),
    }
}
static WHO_AM_I: Task<(), WhoAmI> = Task::new("who_am_i", who_am_i);

fn main() -> ExitCode {
    multiproc::quiet_on_closed_stdout(); // `init` would, but this lesson prints before it
    // ANCHOR: before_init
    // Everything up to `init` runs in the parent AND in every child, like module-level code.
    let pid = std::process::id();
    RAN_BEFORE_INIT.store(pid, Ordering::Relaxed);
    println!("main() entered by PID {pid}");
    // A process started here would start another from each child, and so on. The toolkit
    // refuses instead: nothing is registered until `init` has run.
    let premature = spawn(&WHO_AM_I, ()).map(|child| child.pid());
    init(&[&WHO_AM_I]); // the guard: a child turns off here and runs `who_am_i`
    // ANCHOR_END: before_init
    let args: Args = lesson::parse_args();
    lesson::header("main_guard: init is Rust's `if __name__ == \"__main__\"`");
    match &premature {
        Ok(child) => println!("spawn before init started {child}: no guard!"),
        Err(err) => println!("spawn before init was refused: {err}"),
    }
    let mut table = Table::new(["process", "PID", "ran the code above init", "role"]);
    table.row([
        "parent".to_string(),
        pid.to_string(),
        "yes".into(),
        std::env::var(ROLE_VAR).unwrap_or_else(|_| "none".into()),
    ]);
    let mut checks = Checks::new();
    for i in 0..args.children {
        let child = match run_child(&WHO_AM_I, ()) {
            Ok(child) => child,
            Err(failure) => {
                checks.check(format!("child {i} ran ({failure})"), false);
                continue;
            }
        };
        let role = child.role.clone().unwrap_or_else(|| "none".into());
        table.row([
            format!("child {i}"),
            child.pid.to_string(),
            if child.ran_before_init == child.pid {
                "yes"
            } else {
                "no"
            }
            .to_string(),
            role,
        ]);
        checks.check(
            format!("child {i} ran the code above init in its own process"),
            child.ran_before_init == child.pid && child.pid != pid,
        );
        checks.check(
            format!(
                "child {i} found its role, {:?}, in the environment",
                WHO_AM_I.name()
            ),
            child.role.as_deref() == Some(WHO_AM_I.name()),
        );
    }
    println!("\n{table}");
    checks.check(
        "the parent has no role",
        std::env::var_os(ROLE_VAR).is_none(),
    );
    checks.check(
        "starting a process before init was refused",
        premature.is_err(),
    );
    checks.finish()
}
