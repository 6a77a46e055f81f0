//! The shared-memory lessons' worker processes, and the parent's side of a run: create a segment,
//! start the workers with its name, unlink it as soon as all of them have mapped it, let them go
//! together, and collect what they report. The lessons, the tests and the bench all call these
//! functions, so what the book shows is what gets measured.

use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use lesson::Failure;
use multiproc::shm::{
    InShm, ProcessEvent, ProcessMutex, RECOVERS_FROM_DEAD_HOLDER, Shared, can_list_segments,
    die_of_sigint, interrupted, segments_of,
};
use multiproc::workers::START_TIMEOUT;
pub use multiproc::workers::{FAULT_VAR, RunError, guard_dev_shm, join_all, launch, start};
use multiproc::{Registered, Task};
use serde::{Deserialize, Serialize};

// ANCHOR: failure
/// The toolkit's [`RunError`] as the lessons' [`Failure`]: Ctrl-C stays `Interrupted` (exit 130),
/// anything else is a failure (exit 1). A function, not `From`: both types belong to other crates.
pub fn failure(err: RunError) -> Failure {
    match err {
        RunError::Interrupted => Failure::Interrupted,
        RunError::Failed(why) => Failure::Failed(why),
    }
}

/// How every shared-memory lesson ends: the verdict of its checks, or its failure in one line.
/// After Ctrl-C, whatever the run was doing when it came (a worker it killed is part of it), the
/// lesson says so and how many of the run's segments are left (none: `Drop` unlinked them), then
/// ends as SIGINT ends a program that has nothing to clean up, killed by it.
pub fn end(outcome: lesson::Result<ExitCode>) -> ExitCode {
    let outcome = if interrupted() {
        Err(Failure::Interrupted)
    } else {
        outcome
    };
    outcome.unwrap_or_else(|failure| {
        let interrupted = matches!(failure, Failure::Interrupted);
        let code = failure.report();
        if !interrupted {
            return code;
        }
        if can_list_segments() {
            let left = segments_of(std::process::id()).len();
            eprintln!("segments left in /dev/shm: {left}");
        }
        die_of_sigint()
    })
}
// ANCHOR_END: failure

// ANCHOR: counter
/// The shared counter of `shared_value_race` and `shared_value_lock`: one plain atomic for the
/// race and `fetch_add`, one `u64` behind a process-shared lock.
#[repr(C)]
#[derive(Debug)]
pub struct Counter {
    pub value: AtomicU64,
    pub locked: ProcessMutex<u64>,
    /// Set by the `--kill-holder` victim once it holds the lock.
    pub holding: AtomicU32,
}

// SAFETY: `repr(C)`, no pointers, all-zero bytes are valid (the mutex is initialised by
// `Counter::init` before the segment is published), shared fields are atomics or locked.
unsafe impl InShm for Counter {
    const FINGERPRINT: u64 = u64::from_le_bytes(*b"COUNTER1");
}
// ANCHOR_END: counter

impl Counter {
    /// A fresh zeroed counter in its own segment, its mutex ready before anyone can open it.
    pub fn create() -> std::io::Result<Shared<Counter>> {
        Shared::create("counter", 0, Counter::init)
    }

    fn init(&self) -> std::io::Result<()> {
        // SAFETY: called by `Shared::create` before the segment is published, so no other
        // thread or process can reach the mutex, and the mapping never moves.
        unsafe { self.locked.init() }
    }
}

/// The `shared_array` lesson's segment: nothing but its type, for the header's check; the `f64`s
/// themselves are the segment's slots.
#[repr(C)]
#[derive(Debug)]
pub struct F64Array;

// SAFETY: `repr(C)` and empty; the slots are atomics.
unsafe impl InShm for F64Array {
    const FINGERPRINT: u64 = u64::from_le_bytes(*b"F64ARRAY");
}

/// What a worker reports: who it was, how long its loop took, and how many times it found the
/// lock's previous holder dead.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub pid: u32,
    pub nanos: u64,
    pub recovered: u32,
}

/// The three ways a worker adds one to the shared counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Increment {
    /// Atomic `load`, then a separate `store`: the tutorial's race, without undefined behaviour.
    LoadThenStore,
    /// The `u64` behind the robust process-shared mutex.
    Locked,
    /// One atomic read-modify-write.
    FetchAdd,
}

impl Increment {
    pub fn name(self) -> &'static str {
        match self {
            Increment::LoadThenStore => "atomic load, then store (no lock)",
            Increment::Locked => "process-shared mutex",
            Increment::FetchAdd => "AtomicU64::fetch_add",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CountJob {
    pub segment: String,
    pub how: Increment,
    pub increments: u64,
}

// ANCHOR: count
/// A worker: map the counter, wait for the go, add one `increments` times.
pub fn count(job: CountJob) -> Result<Report, String> {
    let shared = Shared::<Counter>::open(&job.segment).map_err(|e| e.to_string())?;
    shared.arrive_and_wait(START_TIMEOUT)?;
    let start = Instant::now();
    let mut recovered = 0;
    for _ in 0..job.increments {
        match job.how {
            Increment::LoadThenStore => {
                let seen = shared.value.load(Ordering::Relaxed);
                // Another process may store between these two lines: its update is lost.
                shared.value.store(seen + 1, Ordering::Relaxed);
            }
            Increment::Locked => {
                let mut n = shared.locked.lock().map_err(|e| e.to_string())?;
                recovered += u32::from(n.recovered());
                *n += 1;
            }
            Increment::FetchAdd => {
                shared.value.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    Ok(Report {
        pid: std::process::id(),
        nanos: start.elapsed().as_nanos() as u64,
        recovered,
    })
}
// ANCHOR_END: count

// ANCHOR: hold
/// The `--kill-holder` victim: takes the lock, reads the count, says so, and waits to be killed
/// before it writes `seen + 1` back. Its increment is lost; the lock must not be.
pub fn hold(segment: String) -> Result<(), String> {
    let shared = Shared::<Counter>::open(&segment).map_err(|e| e.to_string())?;
    let held = shared.locked.lock().map_err(|e| e.to_string())?;
    let _seen = *held;
    shared.holding.store(1, Ordering::SeqCst);
    loop {
        thread::sleep(Duration::from_secs(1)); // SIGKILL arrives here; the lifeline ends us too
    }
}
// ANCHOR_END: hold

/// The three ways the `shared_array` workers double the array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Doubling {
    /// Every worker doubles every cell with a load and a separate store: doublings get lost.
    LoadThenStore,
    /// Every worker doubles every cell with a compare-exchange loop on the bits: none lost.
    CompareExchange,
    /// Each worker doubles its own slice once: no sharing, so plain loads and stores are exact.
    DisjointSlices,
}

impl Doubling {
    pub fn name(self) -> &'static str {
        match self {
            Doubling::LoadThenStore => "overlapping, load then store",
            Doubling::CompareExchange => "overlapping, compare-exchange",
            Doubling::DisjointSlices => "one disjoint slice each",
        }
    }

    /// How many times each cell should have been doubled at the end.
    pub fn doublings(self, workers: usize) -> u32 {
        match self {
            Doubling::DisjointSlices => 1,
            _ => workers as u32,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DoubleJob {
    pub segment: String,
    pub how: Doubling,
    pub worker: usize,
    pub workers: usize,
}

/// The value cell `i` starts with: small whole numbers, so doubling them up to 16 times is exact.
pub fn initial(i: usize) -> f64 {
    (i % 1000 + 1) as f64
}

/// The cells worker `worker` of `workers` owns in the disjoint variant.
pub fn slice_of(worker: usize, workers: usize, len: usize) -> std::ops::Range<usize> {
    let per = len.div_ceil(workers);
    (worker * per).min(len)..((worker + 1) * per).min(len)
}

// ANCHOR: double
/// A worker: map the array, wait for the go, double its cells.
pub fn double(job: DoubleJob) -> Result<Report, String> {
    let shared = Shared::<F64Array>::open(&job.segment).map_err(|e| e.to_string())?;
    shared.arrive_and_wait(START_TIMEOUT)?;
    let start = Instant::now();
    let all = shared.slots();
    let cells = match job.how {
        Doubling::DisjointSlices => &all[slice_of(job.worker, job.workers, all.len())],
        _ => all,
    };
    let twice = |bits: u64| (f64::from_bits(bits) * 2.0).to_bits();
    for cell in cells {
        match job.how {
            Doubling::LoadThenStore | Doubling::DisjointSlices => {
                let seen = cell.load(Ordering::Relaxed);
                cell.store(twice(seen), Ordering::Relaxed);
            }
            Doubling::CompareExchange => {
                // Retries if another process changed the cell between the load and the swap.
                let _ = cell.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| Some(twice(b)));
            }
        }
    }
    Ok(Report {
        pid: std::process::id(),
        nanos: start.elapsed().as_nanos() as u64,
        recovered: 0,
    })
}
// ANCHOR_END: double

/// The `process_event` lesson's scene: workers wait on `go`, then count themselves.
#[repr(C)]
#[derive(Debug)]
pub struct EventScene {
    pub go: ProcessEvent,
    pub passed: AtomicU32,
}

// SAFETY: `repr(C)`, no pointers, all-zero bytes are an unset event and a zero count, both atomics.
unsafe impl InShm for EventScene {
    const FINGERPRINT: u64 = u64::from_le_bytes(*b"EVENTSC1");
}

// ANCHOR: wait_event
/// A worker: map the scene, wait (bounded) for the event, count itself past it. Returns whether
/// the event was set when it woke.
pub fn wait_event(segment: String) -> Result<bool, String> {
    let scene = Shared::<EventScene>::open(&segment).map_err(|e| e.to_string())?;
    scene.arrive_and_wait(START_TIMEOUT)?;
    let set = scene.go.wait_timeout(START_TIMEOUT);
    scene.passed.fetch_add(1, Ordering::SeqCst);
    Ok(set)
}
// ANCHOR_END: wait_event

pub static COUNT: Task<CountJob, Result<Report, String>> = Task::new("shm-count", count);
pub static HOLD: Task<String, Result<(), String>> = Task::new("shm-hold", hold);
pub static DOUBLE: Task<DoubleJob, Result<Report, String>> = Task::new("shm-double", double);
pub static WAIT_EVENT: Task<String, Result<bool, String>> = Task::new("shm-event", wait_event);

/// The tasks to pass to `multiproc::init` at the top of `main`.
pub fn tasks() -> [&'static dyn Registered; 4] {
    [&COUNT, &HOLD, &DOUBLE, &WAIT_EVENT]
}

/// The outcome of one counting run.
#[derive(Debug, Clone)]
pub struct CountRun {
    pub total: u64,
    /// The slowest worker's loop: from the go to its last increment, start-up excluded.
    pub elapsed: Duration,
    pub pids: Vec<u32>,
    /// How many times a worker found the lock's holder dead.
    pub recovered: u32,
}

/// The run's time: the slowest worker's loop, since they all started at the go.
fn slowest(reports: &[Report]) -> Duration {
    Duration::from_nanos(reports.iter().map(|r| r.nanos).max().unwrap_or(0))
}

/// `workers` processes each add one `increments` times to a fresh shared counter, `how`.
pub fn count_in_processes(
    how: Increment,
    workers: usize,
    increments: u64,
) -> lesson::Result<CountRun> {
    let mut shared = Counter::create()?;
    run_counters(&mut shared, how, workers, increments)
}

fn run_counters(
    shared: &mut Shared<Counter>,
    how: Increment,
    workers: usize,
    increments: u64,
) -> lesson::Result<CountRun> {
    let job = CountJob {
        segment: shared.name().to_string(),
        how,
        increments,
    };
    let running = launch(shared, &COUNT, vec![job; workers]).map_err(failure)?;
    let reports = join_all(running).map_err(failure)?;
    let total = match how {
        Increment::Locked => *shared.locked.lock()?,
        _ => shared.value.load(Ordering::SeqCst),
    };
    Ok(CountRun {
        total,
        elapsed: slowest(&reports),
        pids: reports.iter().map(|r| r.pid).collect(),
        recovered: reports.iter().map(|r| r.recovered).sum(),
    })
}

/// What happened when a lock holder was killed.
#[derive(Debug, Clone)]
pub struct KillRun {
    pub victim: u32,
    pub victim_exit: String,
    pub run: CountRun,
}

// ANCHOR: kill_holder
/// Starts a victim that takes the lock and is then `SIGKILL`ed while holding it; then `workers`
/// processes count through the same lock. None of them may hang.
pub fn count_after_killing_holder(workers: usize, increments: u64) -> lesson::Result<KillRun> {
    if !RECOVERS_FROM_DEAD_HOLDER {
        return Err(Failure::msg(NEEDS_ROBUST_MUTEX));
    }
    let mut shared = Counter::create()?;
    let mut victim = start(&HOLD, shared.name().to_string()).map_err(failure)?;
    let deadline = Instant::now() + START_TIMEOUT;
    while shared.holding.load(Ordering::SeqCst) == 0 {
        if interrupted() {
            return Err(Failure::Interrupted);
        }
        if !victim.is_alive() || Instant::now() > deadline {
            return Err(Failure::msg("the victim never took the lock"));
        }
        thread::sleep(Duration::from_millis(1));
    }
    victim.kill()?;
    let exit = victim
        .join_timeout(START_TIMEOUT)?
        .ok_or_else(|| Failure::msg("the victim survived SIGKILL"))?;
    let run = run_counters(&mut shared, Increment::Locked, workers, increments)?;
    Ok(KillRun {
        victim: victim.pid(),
        victim_exit: exit.to_string(),
        run,
    })
}
// ANCHOR_END: kill_holder

/// The outcome of one doubling run.
#[derive(Debug, Clone)]
pub struct ArrayRun {
    pub values: Vec<f64>,
    /// The slowest worker's loop, start-up excluded.
    pub elapsed: Duration,
}

/// `workers` processes double a shared array of `len` `f64`s, `how`.
pub fn double_in_processes(how: Doubling, workers: usize, len: usize) -> lesson::Result<ArrayRun> {
    let mut shared = Shared::<F64Array>::create("array", len, |_| Ok(()))?;
    for (i, cell) in shared.slots().iter().enumerate() {
        cell.store(initial(i).to_bits(), Ordering::Relaxed);
    }
    let jobs = (0..workers)
        .map(|worker| DoubleJob {
            segment: shared.name().to_string(),
            how,
            worker,
            workers,
        })
        .collect();
    let running = launch(&mut shared, &DOUBLE, jobs).map_err(failure)?;
    let reports = join_all(running).map_err(failure)?;
    let values = shared
        .slots()
        .iter()
        .map(|c| f64::from_bits(c.load(Ordering::SeqCst)))
        .collect();
    Ok(ArrayRun {
        values,
        elapsed: slowest(&reports),
    })
}

/// What the cross-process Event scene saw.
#[derive(Debug, Clone)]
pub struct EventRun {
    pub pids: Vec<u32>,
    /// Workers past the event just before it was set (should be none), and once all had ended.
    pub passed_before: u32,
    pub passed_after: u32,
    /// For each worker: whether the event was set when it woke.
    pub woke_set: Vec<bool>,
}

// ANCHOR: event_parent
/// `workers` processes wait on one [`ProcessEvent`]; the parent sets it after `delay`.
pub fn event_across_processes(workers: usize, delay: Duration) -> lesson::Result<EventRun> {
    let mut scene = Shared::<EventScene>::create("event", 0, |_| Ok(()))?;
    let jobs = vec![scene.name().to_string(); workers];
    let running = launch(&mut scene, &WAIT_EVENT, jobs).map_err(failure)?;
    let pids = running.iter().map(|w| w.pid()).collect();
    thread::sleep(delay); // the workers are all waiting by now
    let passed_before = scene.passed.load(Ordering::SeqCst);
    scene.go.set();
    let woke_set = join_all(running).map_err(failure)?;
    Ok(EventRun {
        pids,
        passed_before,
        passed_after: scene.passed.load(Ordering::SeqCst),
        woke_set,
    })
}
// ANCHOR_END: event_parent

/// Why `--kill-holder` cannot run here.
pub const NEEDS_ROBUST_MUTEX: &str = "killing a lock holder needs Linux: this system has no robust mutexes, so the lock would stay held";

/// The check every shared-memory lesson ends with (where the system can list its segments).
pub fn check_nothing_left(checks: &mut lesson::Checks) {
    if !can_list_segments() {
        println!("(this system cannot list its shared-memory segments: not checked)");
        return;
    }
    let left = segments_of(std::process::id());
    checks.check(
        format!(
            "no segment of this run is left in /dev/shm ({} found)",
            left.len()
        ),
        left.is_empty(),
    );
}
