//! What can cross a process boundary. Values of serde types cross: serialized, sent, rebuilt on
//! the other side. Code does not: a task is a plain `fn` the child finds by name, so a closure
//! that captures nothing crosses as a name, and one that captures anything, or a boxed closure as
//! an argument, does not compile. Python finds out at run time (`Can't pickle <lambda>`); the
//! toolkit's compile_fail doctests hold Rust's real messages. `large_data` measures what sending
//! a large value costs.
//!
//! Translates: "Python multiprocessing: True Parallelism", "Common Pitfalls and Best Practices", what will not pickle.

use clap::Parser;
use examples_processes::run_child;
use lesson::Checks;
use multiproc::{Task, init};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    about = "Serde types cross processes; a task crosses only as a name; closures do not compile"
)]
struct Args {}

// ANCHOR: types
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
enum Status {
    Open,
    Shipped { tracking: String },
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Order {
    id: u64,
    customer: String,
    lines: Vec<(String, u32)>,
    prices: BTreeMap<String, f64>,
    status: Status,
}

fn echo(order: Order) -> Order {
    order // rebuilt in the child from bytes, serialized again on the way back
}
static ECHO: Task<Order, Order> = Task::new("echo", echo);
// ANCHOR_END: types

// ANCHOR: by_name
/// A closure that captures nothing coerces to a plain `fn`: the child finds it by its name,
/// "double", as pickle finds a module-level function by its name.
static DOUBLE: Task<u64, u64> = Task::new("double", |x| x * 2);
// ANCHOR_END: by_name

/// What the tutorial's `process_with_func(transform, 10)` would return.
const INPUT: u64 = 10;

fn main() -> ExitCode {
    init(&[&ECHO, &DOUBLE]);
    let _: Args = lesson::parse_args();
    lesson::header("serialization: what crosses a process boundary");
    let mut checks = Checks::new();
    let order = Order {
        id: 7,
        customer: "Ada".into(),
        lines: vec![("tea".into(), 2), ("scone".into(), 3)],
        prices: BTreeMap::from([("tea".into(), 2.5), ("scone".into(), 1.75)]),
        status: Status::Shipped {
            tracking: "ZX-81".into(),
        },
    };
    let echoed = run_child(&ECHO, order.clone());
    println!("sent {order:?}");
    match &echoed {
        Ok(echoed) => println!("got  {echoed:?}"),
        Err(failure) => println!("the echo failed: {failure}"),
    }
    checks.check(
        "a struct with strings, a map and an enum came back equal",
        echoed.as_ref().is_ok_and(|echoed| *echoed == order),
    );

    let doubled = run_child(&DOUBLE, INPUT);
    match &doubled {
        Ok(doubled) => println!(
            "task {:?} (a closure without captures) of {INPUT}: {doubled}",
            DOUBLE.name()
        ),
        Err(failure) => println!("task {:?} failed: {failure}", DOUBLE.name()),
    }
    checks.check(
        "a task crosses by name: the child ran \"double\" and returned 20",
        doubled.as_ref().is_ok_and(|&doubled| doubled == 2 * INPUT),
    );
    println!(
        "\nclosures cannot cross: `spawn(&APPLY, Box::new(|x| x * 2))` fails to compile with\n  \
        error[E0277]: the trait bound `dyn Fn(u64) -> u64: serde::Serialize` is not satisfied\n\
        and a capturing closure cannot be a task:\n  error[E0308]: mismatched types: expected fn pointer, found closure\n  \
        note: closures can only be coerced to `fn` types if they do not capture any variables\n\
        (checked by the toolkit's compile_fail doctests: cargo test --doc -p multiproc)\n"
    );
    checks.finish()
}
