//! The manager's dict driven from 4 worker processes at once: set+get operations per second.
//!
//! * `manager_dict/round_trips_4_procs`: each worker makes `OPS` calls (set, then get, alternating),
//!   one message and one reply per call. Target: at least 100k ops/s (Python's `Manager().dict()`
//!   manages about 22k/s on the same machine: the twin's "set + get only" row).
//! * `manager_dict/batched_4_procs`: the same calls, 1,024 per message.
//!
//! The workers are a pool of 4 processes started once; each keeps its connection to the manager
//! between iterations, so an iteration measures calls, not process start-up or connecting.
//! Custom `main` (`harness = false`): the workers re-execute this binary, so
//! `multiproc::init` must run before criterion parses the command line.

use criterion::{Criterion, Throughput, criterion_group};
use multiproc::manager::{DictProxy, Manager, ManagerError, Op, SERVER, Ticket};
use multiproc::{Pool, Task, init};
use std::cell::RefCell;

const WORKERS: usize = 4;
const OPS: usize = 4_096;
const BATCH: usize = 1_024;

thread_local! {
    /// The worker's connection, opened on its first task and kept for the next ones.
    static PROXY: RefCell<Option<DictProxy>> = const { RefCell::new(None) };
}

fn with_proxy<T>(ticket: &Ticket, f: impl FnOnce(&DictProxy) -> T) -> Result<T, ManagerError> {
    PROXY.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(ticket.dict()?);
        }
        Ok(f(slot.as_ref().expect("just connected")))
    })
}

/// `OPS` calls from one worker, one message each (`batch == 1`) or `batch` per message.
fn calls((ticket, id, batch): (Ticket, usize, usize)) -> Result<usize, ManagerError> {
    let key = format!("w{id}");
    with_proxy(&ticket, |d| {
        if batch == 1 {
            for j in 0..(OPS / 2) as i64 {
                d.set(&key, j)?;
                d.get(&key)?;
            }
        } else {
            for _ in 0..OPS / batch {
                let ops = (0..(batch / 2) as i64)
                    .flat_map(|j| [Op::Set(key.clone(), j), Op::Get(key.clone())])
                    .collect();
                d.batch(ops)?;
            }
        }
        Ok(OPS)
    })?
}
/// The pool's task: a pool worker reports its error as text (`Pool` tasks return `Result<_, String>`).
fn load(args: (Ticket, usize, usize)) -> Result<usize, String> {
    calls(args).map_err(|err| format!("the manager failed: {err}"))
}
static LOAD: Task<(Ticket, usize, usize), Result<usize, String>> = Task::new("load", load);

fn manager_dict(c: &mut Criterion) {
    let manager = Manager::start().expect("manager");
    let pool = Pool::new(&LOAD, WORKERS).expect("pool");
    let mut group = c.benchmark_group("manager_dict");
    group.throughput(Throughput::Elements((WORKERS * OPS) as u64));
    for (name, batch) in [("round_trips_4_procs", 1), ("batched_4_procs", BATCH)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let work = (0..WORKERS).map(|id| (manager.ticket(), id, batch));
                let done = pool.map_chunked(work, 1);
                assert!(done.iter().all(|r| r.as_ref().is_ok_and(|n| *n == OPS)));
            })
        });
    }
    group.finish();
    drop(pool);
    manager.shutdown().expect("shutdown");
}

criterion_group!(benches, manager_dict);

fn main() {
    init(&[&SERVER, &LOAD]);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
