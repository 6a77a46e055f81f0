//! Tests of the `manager_pop` exercise. Own `main` (`harness = false`): the manager's server is a
//! child process that re-executes this binary, so `init` must run first.

use exercises::manager_pop::{DictProxy, SERVER};
use multiproc::{harness, init};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    init(&[&SERVER]);
    harness::run(
        &[
            (
                "pop_returns_the_value_and_removes_it",
                pop_returns_the_value_and_removes_it,
            ),
            ("pop_of_a_missing_key_is_none", pop_of_a_missing_key_is_none),
            (
                "the_server_keeps_what_was_not_popped",
                the_server_keeps_what_was_not_popped,
            ),
        ],
        Duration::from_secs(20),
    )
}

fn pop_returns_the_value_and_removes_it() {
    let (_server, d) = DictProxy::start().unwrap();
    d.set("a", 1).unwrap();
    d.set("b", 2).unwrap();
    assert_eq!(d.pop("a").unwrap(), Some(1));
    assert_eq!(d.get("a").unwrap(), None, "pop removes the key");
    assert_eq!(d.len().unwrap(), 1);
    assert_eq!(d.pop("a").unwrap(), None, "a second pop finds nothing");
}

fn pop_of_a_missing_key_is_none() {
    let (_server, d) = DictProxy::start().unwrap();
    assert_eq!(d.pop("nothing").unwrap(), None);
    assert!(d.is_empty().unwrap());
}

fn the_server_keeps_what_was_not_popped() {
    let (mut server, d) = DictProxy::start().unwrap();
    for (i, key) in ["x", "y", "z"].into_iter().enumerate() {
        d.set(key, i as i64).unwrap();
    }
    assert_eq!(d.pop("y").unwrap(), Some(1));
    drop(d); // the server sees the proxy hang up and returns its contents
    assert_eq!(server.join().unwrap().exitcode(), 0);
    assert_eq!(
        server.take_result().unwrap(),
        [("x".to_string(), 0), ("z".to_string(), 2)]
    );
}
