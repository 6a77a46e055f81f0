//! Starting a job: `mpirun -n N` starts N copies of a program, the same re-run-yourself idea as
//! the processes chapter, done by the launcher. A lesson that finds no launcher around it runs
//! `mpirun` on itself, so `cargo run -p examples-distributed --bin NAME` works as in every chapter.

use std::env;
use std::os::unix::fs::MetadataExt;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Variables a launcher puts in every rank's environment: Open MPI's, then PMI's (MPICH, Slurm).
const LAUNCHER_VARIABLES: [&str; 3] = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"];
/// Marks every process of a job [`watch`] starts, so one left behind can be found.
pub const JOB_MARK: &str = "DISTRIBUTED_LESSON_JOB";
/// How long a finished job's processes get to go before they count as left behind.
const LEFTOVER_GRACE: Duration = Duration::from_secs(3);

/// Whether a launcher (mpirun) started this process as a rank.
pub fn under_mpirun() -> bool {
    LAUNCHER_VARIABLES.iter().any(|v| env::var_os(v).is_some())
}

/// `mpirun -n RANKS --oversubscribe PROGRAM ARGS`: `--oversubscribe` lets a 2-core machine run
/// more ranks than cores; root needs `--allow-run-as-root` (Open MPI refuses root otherwise).
pub fn mpirun(ranks: usize, program: &str, args: &[String]) -> Command {
    let mut command = Command::new("mpirun");
    command.args(["-n", &ranks.to_string(), "--oversubscribe"]);
    if running_as_root() {
        command.arg("--allow-run-as-root");
    }
    command.arg(program).args(args);
    command
}

/// This same program with this same command line, as `ranks` ranks.
pub fn mpirun_self(ranks: usize) -> Command {
    let exe = env::current_exe().map_or_else(|_| "?".into(), |p| p.display().to_string());
    mpirun(ranks, &exe, &env::args().skip(1).collect::<Vec<_>>())
}

/// The user id of this process, read from who owns `/proc/self`: 0 for root.
fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Runs this lesson as `ranks` ranks under `mpirun` and ends as the job ended: how a lesson
/// started with plain `cargo run` becomes an MPI job.
pub fn start_ranks(ranks: usize) -> ExitCode {
    let mut command = mpirun_self(ranks);
    let name = env::args().next().unwrap_or_default();
    println!("(not started by mpirun: running `mpirun -n {ranks} --oversubscribe {name} ...`)");
    match command.status() {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(e) => {
            eprintln!(
                "error: cannot start mpirun ({e}): install Open MPI (see the chapter's page)"
            );
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: as_rank
/// What this process is, once a lesson has started.
pub enum Start {
    /// A rank of a job mpirun started: MPI is running, and ends when the universe is dropped.
    Rank(mpi::environment::Universe),
    /// Nothing more to do, with this exit code: the process only launched the job, which has
    /// ended (or MPI could not start).
    Done(ExitCode),
}

/// How every lesson of the chapter but `rank_lost` begins. Under mpirun, this process is a
/// rank: MPI starts. Otherwise it only launches: it runs itself as `ranks` ranks
/// ([`start_ranks`]) and is done when that job is.
pub fn as_rank(ranks: usize) -> Start {
    if !under_mpirun() {
        return Start::Done(start_ranks(ranks));
    }
    match mpi::initialize() {
        Some(universe) => Start::Rank(universe),
        None => {
            eprintln!("error: MPI was already initialized");
            Start::Done(ExitCode::FAILURE)
        }
    }
}
// ANCHOR_END: as_rank

// rsmpi's Universe has no Debug of its own.
impl std::fmt::Debug for Start {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Start::Rank(_) => f.write_str("Rank(..)"),
            Start::Done(code) => f.debug_tuple("Done").field(code).finish(),
        }
    }
}

/// How a watched job ended.
#[derive(Debug)]
pub struct Ended {
    /// mpirun's exit code; `None` if it had to be killed at the deadline, or died of a signal.
    pub code: Option<i32>,
    pub took: Duration,
    pub stdout: String,
    pub stderr: String,
    /// Processes of the job still alive after mpirun ended (killed once found).
    pub left_behind: Vec<u32>,
}

/// Runs `command` (an mpirun) to its end, or kills it at `deadline`, and looks for any process of
/// the job left running afterwards.
pub fn watch(mut command: Command, deadline: Duration) -> std::io::Result<Ended> {
    let mark = job_mark();
    command.env(JOB_MARK, &mark).stdin(Stdio::null());
    let start = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let out = read(child.stdout.take().map(|p| Box::new(p) as _));
    let err = read(child.stderr.take().map(|p| Box::new(p) as _));
    let code = loop {
        if let Some(status) = child.try_wait()? {
            break status.code();
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = start.elapsed();
    let left_behind = leftovers(&format!("{JOB_MARK}={mark}"));
    let (stdout, stderr) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    Ok(Ended {
        code,
        took,
        stdout,
        stderr,
        left_behind,
    })
}

/// A mark no other job gets: tests start jobs concurrently from one process, and a shared mark
/// would make one job's search for leftovers find (and kill) another job's ranks.
fn job_mark() -> String {
    static JOBS_STARTED: AtomicU64 = AtomicU64::new(0);
    let job = JOBS_STARTED.fetch_add(1, Ordering::Relaxed);
    format!("{}-{job}", std::process::id())
}

/// Processes whose environment holds `needle` after [`LEFTOVER_GRACE`], killed once found.
fn leftovers(needle: &str) -> Vec<u32> {
    let start = Instant::now();
    loop {
        let found = marked(needle);
        if found.is_empty() || start.elapsed() > LEFTOVER_GRACE {
            for &pid in &found {
                let _ = multiproc::signal::send(pid, multiproc::signal::KILL);
            }
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn marked(needle: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let needle = needle.as_bytes();
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|&b| b == 0).any(|v| v == needle))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::job_mark;
    use std::collections::HashSet;

    #[test]
    fn jobs_started_at_once_get_different_marks() {
        let threads: Vec<_> = (0..8)
            .map(|_| std::thread::spawn(|| (0..100).map(|_| job_mark()).collect::<Vec<_>>()))
            .collect();
        let marks: Vec<String> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        let distinct: HashSet<&String> = marks.iter().collect();
        assert_eq!(distinct.len(), marks.len());
    }
}
