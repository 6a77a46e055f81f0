//! Every lesson lessons.toml lists for the "distributed" chapter, run the ways a student runs it,
//! one test each, with a deadline and a search for any process of the job left behind:
//!
//! * `NAME::mpirun`: `mpirun -n 2 --oversubscribe NAME QUICK...` exits 0 and prints "checks
//!   passed" (the fault lesson, which starts its own job, is run plainly instead);
//! * `NAME::plain`: `NAME QUICK...` with no mpirun around it starts its own job and passes too;
//! * `NAME::bad`: its `bad` flags are refused before any job starts: one line, exit code 2;
//! * `NAME::bad_under_mpirun`: under mpirun every rank refuses them, the job ends with exit code 2;
//! * `NAME::help`: `--help` prints the usage and exits 0;
//! * `NAME::closed_stdout` and `NAME::ctrl_c`: started plainly (so it starts its own job), with
//!   stdout closed, or interrupted as a terminal's Ctrl-C would: it ends quietly, or as
//!   interrupted, and nothing of the job is left (the same checks as every other chapter's).
//!
//! `lesson::testing::run_manifest_lessons` runs plain binaries; most of these runs need mpirun.

use examples_distributed::launch::{self, Ended};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

const CHAPTER: &str = "distributed";
/// The lesson that starts and watches its own job, and whose job is meant to fail.
const STARTS_ITS_OWN_JOB: &str = "rank_lost";
/// Ranks for the runs under mpirun: one per core here.
const RANKS: usize = 2;
/// A quick run takes a second or two; a busy machine gets plenty more.
const QUICK_DEADLINE: Duration = Duration::from_secs(90);
/// A refused flag or `--help` does no work.
const USAGE_DEADLINE: Duration = Duration::from_secs(30);
const MANIFEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../lessons.toml");

#[derive(Debug, Deserialize)]
struct Lesson {
    name: String,
    chapter: String,
    quick: Vec<String>,
    bad: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    lesson: Vec<Lesson>,
}

/// The lesson binaries sit two levels above this test binary (target/debug/deps/manifest-...).
fn binary(name: &str) -> String {
    let exe = std::env::current_exe().expect("the test binary's path");
    let dir: PathBuf = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target dir")
        .into();
    dir.join(name).display().to_string()
}

fn run(command: Command, deadline: Duration) -> Result<Ended, Failed> {
    let ended = launch::watch(command, deadline).map_err(|e| format!("cannot start: {e}"))?;
    let shown = || {
        format!(
            "\n--- stdout\n{}\n--- stderr\n{}",
            ended.stdout, ended.stderr
        )
    };
    if ended.code.is_none() {
        return Err(format!(
            "killed at the deadline ({deadline:?}) or by a signal{}",
            shown()
        )
        .into());
    }
    if !ended.left_behind.is_empty() {
        return Err(format!("left processes behind: {:?}{}", ended.left_behind, shown()).into());
    }
    Ok(ended)
}

fn verified(ended: &Ended) -> Result<(), Failed> {
    if ended.code == Some(0)
        && ended.stdout.contains("checks passed")
        && !ended.stdout.contains("FAILED")
    {
        return Ok(());
    }
    Err(format!(
        "did not verify itself ({:?}):\n{}\n{}",
        ended.code, ended.stdout, ended.stderr
    )
    .into())
}

fn plain(name: &str, args: &[String]) -> Command {
    let mut command = Command::new(binary(name));
    command.args(args);
    command
}

fn trials(lesson: &Lesson) -> Vec<Trial> {
    let (name, quick, bad) = (
        lesson.name.clone(),
        lesson.quick.clone(),
        lesson.bad.clone(),
    );
    let mut trials = Vec::new();
    let (n, q) = (name.clone(), quick.clone());
    trials.push(Trial::test(format!("{name}::mpirun"), move || {
        let command = match n.as_str() {
            STARTS_ITS_OWN_JOB => plain(&n, &q),
            _ => launch::mpirun(RANKS, &binary(&n), &q),
        };
        verified(&run(command, QUICK_DEADLINE)?)
    }));
    let (n, q) = (name.clone(), quick);
    trials.push(Trial::test(format!("{name}::plain"), move || {
        verified(&run(plain(&n, &q), QUICK_DEADLINE)?)
    }));
    let (n, b) = (name.clone(), bad.clone());
    trials.push(Trial::test(format!("{name}::bad"), move || {
        let ended = run(plain(&n, &b), USAGE_DEADLINE)?;
        let lines: Vec<&str> = ended.stderr.lines().collect();
        match (ended.code, lines.as_slice()) {
            (Some(2), [line]) if line.starts_with("error:") => Ok(()),
            _ => Err(format!(
                "{b:?}: wanted exit 2 and one error line, got {:?}:\n{}",
                ended.code, ended.stderr
            )
            .into()),
        }
    }));
    let n = name.clone();
    trials.push(Trial::test(
        format!("{name}::bad_under_mpirun"),
        move || {
            let ended = run(launch::mpirun(RANKS, &binary(&n), &bad), USAGE_DEADLINE)?;
            let refusals = ended
                .stderr
                .lines()
                .filter(|l| l.starts_with("error:"))
                .count();
            if ended.code == Some(2) && refusals >= 1 && !ended.stderr.contains("panicked") {
                return Ok(());
            }
            Err(format!(
                "wanted exit 2 and the ranks' refusals, got {:?}:\n{}",
                ended.code, ended.stderr
            )
            .into())
        },
    ));
    let n = name.clone();
    trials.push(Trial::test(format!("{name}::closed_stdout"), move || {
        lesson::testing::check_closed_stdout(binary(&n).as_ref())
    }));
    let n = name.clone();
    trials.push(Trial::test(format!("{name}::ctrl_c"), move || {
        lesson::testing::check_ctrl_c(binary(&n).as_ref())
    }));
    let n = name.clone();
    trials.push(Trial::test(format!("{name}::help"), move || {
        let ended = run(plain(&n, &["--help".into()]), USAGE_DEADLINE)?;
        if ended.code == Some(0) && ended.stdout.contains("Usage:") {
            return Ok(());
        }
        Err(format!("--help: {:?}\n{}", ended.code, ended.stdout).into())
    }));
    trials
}

fn main() -> ExitCode {
    let text = std::fs::read_to_string(MANIFEST).expect("lessons.toml at the workspace root");
    let manifest: Manifest = toml::from_str(&text).expect("lessons.toml parses");
    let lessons = manifest.lesson.iter().filter(|l| l.chapter == CHAPTER);
    let trials: Vec<Trial> = lessons.flat_map(trials).collect();
    assert!(!trials.is_empty(), "lessons.toml lists no {CHAPTER} lesson");
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}
