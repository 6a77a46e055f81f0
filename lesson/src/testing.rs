//! Running a lesson binary from an integration test: with a deadline, so a lesson that hangs fails
//! its test instead of stalling the whole suite.
//!
//! [`run_manifest_lessons`] runs every lesson `lessons.toml` lists for a chapter, so a lesson added
//! to the manifest is tested without anyone writing a test for it.

use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// What a finished lesson run printed and how it ended.
#[derive(Debug)]
pub struct Outcome {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Panics with the run's full output unless it exited 0 and every self-check passed.
    pub fn assert_verified(&self) -> &Self {
        assert!(
            self.status.success()
                && self.stdout.contains("checks passed")
                && !self.stdout.contains("FAILED"),
            "lesson did not verify itself ({}):\n--- stdout\n{}\n--- stderr\n{}",
            self.status,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Panics unless the run was refused as bad usage: exit code 2 and exactly one line on stderr.
    pub fn assert_usage_error(&self, mentions: &str) -> &Self {
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(self.status.code(), Some(2), "stderr: {}", self.stderr);
        assert_eq!(
            lines.len(),
            1,
            "expected a one-line error, got:\n{}",
            self.stderr
        );
        assert!(
            lines[0].contains(mentions),
            "error {:?} does not mention {mentions:?}",
            lines[0]
        );
        assert!(
            !self.stderr.contains("panicked"),
            "a bad flag must not panic"
        );
        self
    }
}

/// Runs `exe` with `args`, killing it and panicking if it has not finished within `deadline`.
pub fn run(exe: impl AsRef<Path>, args: &[&str], deadline: Duration) -> Outcome {
    match run_tagged(exe.as_ref(), args, deadline, None) {
        Ok((outcome, _)) => outcome,
        Err(late) => panic!("{late}"),
    }
}

/// [`run`], reporting the deadline as an `Err` instead of a panic. A `tag` (the manifest's runs)
/// starts it in [`WORKSPACE`] and goes into the environment of the lesson and of every process it
/// starts; the processes still carrying it once the lesson has exited (after [`LEFTOVER_GRACE`])
/// are killed and returned: a leftover may hold the output pipes open, so they must be gone
/// before the output can be read to its end.
fn run_tagged(
    exe: &Path,
    args: &[&str],
    deadline: Duration,
    tag: Option<&str>,
) -> Result<(Outcome, Vec<u32>), String> {
    run_disturbed(exe, args, deadline, tag, Disturbance::None)
}

/// What a student can do to a running lesson besides letting it finish.
#[derive(Debug, Clone, Copy)]
enum Disturbance {
    None,
    /// `cargo run ... | head -1`: the reader of stdout is gone before the lesson writes.
    ClosedStdout,
    /// Ctrl-C after this long: SIGINT to the lesson's whole process group, children included,
    /// as a terminal sends it.
    CtrlCAfter(Duration),
}

fn run_disturbed(
    exe: &Path,
    args: &[&str],
    deadline: Duration,
    tag: Option<&str>,
    disturbance: Disturbance,
) -> Result<(Outcome, Vec<u32>), String> {
    let mut command = Command::new(exe);
    if let Some(tag) = tag {
        command.env(TAG_VARIABLE, tag).current_dir(WORKSPACE);
    }
    if let Disturbance::CtrlCAfter(_) = disturbance {
        // Its own group, so the SIGINT reaches the lesson and its children and not this test.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lesson binary starts");
    if let Disturbance::ClosedStdout = disturbance {
        drop(child.stdout.take());
    }
    if let Disturbance::CtrlCAfter(delay) = disturbance {
        let group = format!("-{}", child.id());
        thread::spawn(move || {
            thread::sleep(delay);
            // Gone already if it finished first: then there is nobody to interrupt.
            let _ = (Command::new("kill").args(["-INT", "--", &group]))
                .stderr(Stdio::null())
                .status();
        });
    }
    // Drain both pipes on their own threads: a child blocked on a full pipe would look hung.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = match child.stdout.take() {
        Some(pipe) => drain(Box::new(pipe)),
        None => thread::spawn(String::new),
    };
    let stderr = drain(Box::new(child.stderr.take().expect("stderr is piped")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait on the lesson") {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            let left = tag.map(leftovers).unwrap_or_default();
            return Err(format!(
                "{} {args:?} still running after {deadline:?}; killed it and {left:?}",
                exe.display()
            ));
        }
        thread::sleep(Duration::from_millis(10));
    };
    let left = tag.map(leftovers).unwrap_or_default();
    let outcome = Outcome {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    };
    Ok((outcome, left))
}

/// Whether `text` holds a figure: a speed-up (`1.93x`) or a time (`12.3 ms`). A test of a failed
/// run uses it to prove the lesson printed none.
pub fn has_figure(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let number = |w: &str| w.parse::<f64>().is_ok();
    words.iter().enumerate().any(|(i, w)| {
        w.strip_suffix('x').is_some_and(number)
            || (["s", "ms", "µs"].contains(w) && i > 0 && number(words[i - 1]))
    })
}

/// The one line of `out`'s stdout that starts with `start`; panics if there is none, or two.
pub fn line<'a>(out: &'a Outcome, start: &str) -> &'a str {
    let mut lines = out.stdout.lines().filter(|l| l.starts_with(start));
    let found = lines
        .next()
        .unwrap_or_else(|| panic!("no line {start:?}:\n{}", out.stdout));
    assert!(
        lines.next().is_none(),
        "two lines {start:?}:\n{}",
        out.stdout
    );
    found
}

/// Panics unless `line` says its run failed and shows no figure.
pub fn failed_without_figures(line: &str) {
    assert!(line.contains("failed"), "{line:?}");
    assert!(!has_figure(line), "a figure from a failed run: {line:?}");
}

/// The environment variable that marks a run's processes, so any left behind can be found.
const TAG_VARIABLE: &str = "LESSON_TEST_RUN";
/// How long a lesson's `quick` run (a few seconds by design) may take on a busy machine.
const QUICK_DEADLINE: Duration = Duration::from_secs(60);
/// How long a refused flag or `--help` may take: no work is done.
const USAGE_DEADLINE: Duration = Duration::from_secs(10);
/// When the Ctrl-C check interrupts a default run: well inside the seconds a lesson takes.
const CTRL_C_AFTER: Duration = Duration::from_millis(300);
/// The signal number of SIGINT (2 on every Unix).
const SIGINT: i32 = 2;
/// How long a lesson's children get to go away after it exits before they count as left behind.
const LEFTOVER_GRACE: Duration = Duration::from_secs(3);
/// The workspace root, one level above this crate. The manifest's runs start there, as a student's
/// `cargo run` does, so a relative path in a `quick` flag means what it means in the README.
const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
/// The course's lesson list, at the workspace root.
const MANIFEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../lessons.toml");

/// The fields of a `[[lesson]]` entry of lessons.toml that the tests use.
#[derive(Debug, Deserialize)]
struct ManifestLesson {
    name: String,
    chapter: String,
    /// Small flags for a run of a few seconds that passes its checks.
    quick: Option<Vec<String>>,
    /// One flag set the lesson must refuse with exit code 2.
    bad: Option<Vec<String>>,
}

/// The fields of a `[[translation]]` entry (a tutorial's program, translated short) that the tests
/// use.
#[derive(Debug, Deserialize)]
struct ManifestTranslation {
    name: String,
    chapter: String,
    /// What its output says when it worked.
    #[serde(default)]
    expect: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    lesson: Vec<ManifestLesson>,
    #[serde(default)]
    translation: Vec<ManifestTranslation>,
}

/// The `main` of a chapter crate's `tests/manifest.rs` (a `harness = false` test): runs every
/// lesson lessons.toml lists for `chapter` three times, each its own test named after the lesson:
///
/// * `NAME::quick`: with its `quick` flags it exits 0 and prints "checks passed", in time;
/// * `NAME::bad`: with its `bad` flags it exits 2 with one line on stderr and no panic;
/// * `NAME::help`: `--help` exits 0 and prints the usage;
/// * `NAME::closed_stdout`: with stdout closed before it writes, it ends with no panic message;
/// * `NAME::ctrl_c`: SIGINT to its process group during a default run ends it as interrupted;
///
/// and every short translation lessons.toml lists for `chapter` once, as `NAME::translation`: with
/// no flags it exits 0 in time and prints each of its `expect` phrases.
///
/// After each run no process it started may still be alive. The lesson binaries are the ones
/// Cargo builds beside the test (it builds a package's binaries and examples before its
/// integration tests); a lesson listed without a binary fails. Flags, filters and the summary are
/// libtest's.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     lesson::testing::run_manifest_lessons("threads")
/// }
/// ```
pub fn run_manifest_lessons(chapter: &str) -> ExitCode {
    let trials = manifest_trials(chapter)
        .unwrap_or_else(|problem| vec![Trial::test("lessons.toml", move || Err(problem.into()))]);
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}

fn manifest_trials(chapter: &str) -> Result<Vec<Trial>, String> {
    let text = std::fs::read_to_string(MANIFEST).map_err(|e| format!("{MANIFEST}: {e}"))?;
    let manifest: Manifest = toml::from_str(&text).map_err(|e| format!("{MANIFEST}: {e}"))?;
    let translations: Vec<ManifestTranslation> = (manifest.translation.into_iter())
        .filter(|translation| translation.chapter == chapter)
        .collect();
    let lessons: Vec<ManifestLesson> = (manifest.lesson.into_iter())
        .filter(|lesson| lesson.chapter == chapter)
        .collect();
    if lessons.is_empty() {
        return Err(format!(
            "lessons.toml lists no lesson of chapter {chapter:?}"
        ));
    }
    // This test runs as target/<profile>/deps/manifest-<hash>; the binaries sit in target/<profile>.
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let bin_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("no target directory")?;
    let mut trials = Vec::new();
    for ManifestLesson {
        name, quick, bad, ..
    } in lessons
    {
        let exe = bin_dir.join(&name);
        let (exe_quick, exe_bad) = (exe.clone(), exe.clone());
        let no_quick = format!("lessons.toml gives {name} no `quick` flags");
        let no_bad = format!("lessons.toml gives {name} no `bad` flags");
        trials.push(Trial::test(format!("{name}::quick"), move || {
            check_quick(&exe_quick, &quick.ok_or(no_quick)?)
        }));
        trials.push(Trial::test(format!("{name}::bad"), move || {
            check_bad(&exe_bad, &bad.ok_or(no_bad)?)
        }));
        let (exe_closed, exe_interrupted) = (exe.clone(), exe.clone());
        trials.push(Trial::test(format!("{name}::help"), move || {
            check_help(&exe)
        }));
        trials.push(Trial::test(format!("{name}::closed_stdout"), move || {
            check_closed_stdout(&exe_closed)
        }));
        trials.push(Trial::test(format!("{name}::ctrl_c"), move || {
            check_ctrl_c(&exe_interrupted)
        }));
    }
    for ManifestTranslation { name, expect, .. } in translations {
        // Cargo puts a package's examples in target/<profile>/examples.
        let exe = bin_dir.join("examples").join(&name);
        trials.push(Trial::test(format!("{name}::translation"), move || {
            check_translation(&exe, &expect)
        }));
    }
    Ok(trials)
}

/// A short translation takes no flags: run as is, it ends well in time and says what it found.
fn check_translation(exe: &Path, expect: &[String]) -> Result<(), Failed> {
    let out = run_lesson(exe, &[], QUICK_DEADLINE)?;
    let missing: Vec<&String> = (expect.iter())
        .filter(|phrase| !out.stdout.contains(phrase.as_str()))
        .collect();
    if out.status.success() && missing.is_empty() {
        return Ok(());
    }
    let (stdout, stderr) = (&out.stdout, &out.stderr);
    Err(format!(
        "{}, missing {missing:?}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        out.status
    )
    .into())
}

/// Runs one lesson with a fresh tag and fails if the binary is missing, the run is late, or it
/// left a process behind.
fn run_lesson(exe: &Path, flags: &[String], deadline: Duration) -> Result<Outcome, Failed> {
    if !exe.is_file() {
        return Err(format!("no binary {}: is its file missing?", exe.display()).into());
    }
    let tag = format!("{}-{}", std::process::id(), unique());
    let args: Vec<&str> = flags.iter().map(String::as_str).collect();
    let (outcome, left) = run_tagged(exe, &args, deadline, Some(&tag))?;
    if !left.is_empty() {
        return Err(format!("{args:?} left processes running (killed now): {left:?}").into());
    }
    Ok(outcome)
}

fn run_lesson_disturbed(
    exe: &Path,
    flags: &[String],
    deadline: Duration,
    disturbance: Disturbance,
) -> Result<Outcome, Failed> {
    if !exe.is_file() {
        return Err(format!("no lesson binary {}", exe.display()).into());
    }
    let tag = format!("{}-{}", std::process::id(), unique());
    let args: Vec<&str> = flags.iter().map(String::as_str).collect();
    let (outcome, left) = run_disturbed(exe, &args, deadline, Some(&tag), disturbance)?;
    if !left.is_empty() {
        return Err(
            format!("{disturbance:?} left processes running (killed now): {left:?}").into(),
        );
    }
    Ok(outcome)
}

fn check_quick(exe: &Path, flags: &[String]) -> Result<(), Failed> {
    let out = run_lesson(exe, flags, QUICK_DEADLINE)?;
    let verified = out.status.success()
        && out.stdout.contains("checks passed")
        && !out.stdout.contains("FAILED");
    if verified {
        return Ok(());
    }
    let (stdout, stderr) = (&out.stdout, &out.stderr);
    Err(format!(
        "{flags:?}: {}, no \"checks passed\"\n--- stdout\n{stdout}--- stderr\n{stderr}",
        out.status
    )
    .into())
}

fn check_bad(exe: &Path, flags: &[String]) -> Result<(), Failed> {
    let out = run_lesson(exe, flags, USAGE_DEADLINE)?;
    let one_line = out.stderr.lines().count() == 1;
    if out.status.code() == Some(2) && one_line && !out.stderr.contains("panicked") {
        return Ok(());
    }
    Err(format!(
        "{flags:?}: {}, expected exit 2 and one line on stderr, got:\n{}",
        out.status, out.stderr
    )
    .into())
}

fn check_help(exe: &Path) -> Result<(), Failed> {
    let out = run_lesson(exe, &["--help".to_string()], USAGE_DEADLINE)?;
    if out.status.success() && out.stdout.contains("Usage:") {
        return Ok(());
    }
    Err(format!("--help: {}\n{}{}", out.status, out.stdout, out.stderr).into())
}

/// With stdout closed before it writes, the lesson ends without a panic message (a closed pipe is
/// how `| head -1` ends a command-line tool, not an error to report) and leaves nothing running.
pub fn check_closed_stdout(exe: &Path) -> Result<(), Failed> {
    let out = run_lesson_disturbed(exe, &[], QUICK_DEADLINE, Disturbance::ClosedStdout)?;
    if out.stderr.contains("panicked") || out.stderr.contains("Broken pipe") {
        return Err(format!("stdout closed: {}\n{}", out.status, out.stderr).into());
    }
    Ok(())
}

/// Ctrl-C during a default run: the lesson ends promptly, as interrupted (killed by SIGINT, or
/// exit 130 where it had something to clean up first), with nothing left running.
/// A lesson that finished before the signal arrived must have finished properly.
pub fn check_ctrl_c(exe: &Path) -> Result<(), Failed> {
    let out = run_lesson_disturbed(
        exe,
        &[],
        QUICK_DEADLINE,
        Disturbance::CtrlCAfter(CTRL_C_AFTER),
    )?;
    let interrupted = out.status.signal() == Some(SIGINT) || out.status.code() == Some(130);
    let finished_first = out.status.success() && out.stdout.contains("checks passed");
    // No test for "panicked" here: some lessons panic on purpose (a thread's panic seen at
    // `join`) and may get that far before the signal.
    if interrupted || finished_first {
        return Ok(());
    }
    Err(format!(
        "Ctrl-C: {}\n--- stdout\n{}--- stderr\n{}",
        out.status, out.stdout, out.stderr
    )
    .into())
}

/// A number no other run of this test process has used.
fn unique() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// PIDs of processes still carrying `tag` after up to [`LEFTOVER_GRACE`]; any found are killed.
/// The tag is inherited by every process a lesson starts, however it starts it, and an orphan is
/// reparented away from the lesson, so the environment is where a leftover can still be seen.
fn leftovers(tag: &str) -> Vec<u32> {
    let needle = format!("{TAG_VARIABLE}={tag}");
    let start = Instant::now();
    let mut empty_scans = 0;
    loop {
        let found = tagged_pids(&needle);
        // Two empty scans in a row, not one: a process in the middle of an exec shows an empty
        // environment for a moment, and one such moment must not count as "all gone".
        empty_scans = if found.is_empty() { empty_scans + 1 } else { 0 };
        if empty_scans == 2 || start.elapsed() > LEFTOVER_GRACE {
            for pid in &found {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
            return found;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// Live processes whose environment holds `needle` (a zombie's environment reads empty).
fn tagged_pids(needle: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|entry| {
        let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
        let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
        let mut vars = environ.split(|&byte| byte == 0);
        vars.any(|var| var == needle.as_bytes()).then_some(pid)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chapter_of_the_manifest_gets_five_tests_per_lesson_and_one_per_translation() {
        let text = std::fs::read_to_string(MANIFEST).expect("lessons.toml is readable");
        let manifest: Manifest = toml::from_str(&text).expect("lessons.toml parses");
        for lesson in &manifest.lesson {
            let count = (manifest.lesson.iter())
                .filter(|other| other.chapter == lesson.chapter)
                .count();
            let short = (manifest.translation.iter())
                .filter(|t| t.chapter == lesson.chapter)
                .count();
            let trials = manifest_trials(&lesson.chapter).expect("the chapter has lessons");
            assert_eq!(
                trials.len(),
                5 * count + short,
                "chapter {}",
                lesson.chapter
            );
        }
    }

    #[test]
    fn a_chapter_without_lessons_is_an_error_not_an_empty_pass() {
        let problem = manifest_trials("no-such-chapter").expect_err("an error");
        assert!(problem.contains("no lesson"), "{problem}");
    }

    #[test]
    fn a_listed_lesson_without_its_binary_fails() {
        assert!(run_lesson(Path::new("/no/such/lesson"), &[], USAGE_DEADLINE).is_err());
    }

    #[test]
    fn a_process_left_running_is_found_and_killed() {
        let tag = format!("{}-left-behind", std::process::id());
        let script = ["-c", "sleep 30 >/dev/null 2>&1 &"];
        let (outcome, left) = run_tagged(Path::new("/bin/sh"), &script, USAGE_DEADLINE, Some(&tag))
            .expect("sh exits at once");
        assert!(outcome.status.success());
        assert_eq!(left.len(), 1, "the orphaned sleep: {left:?}");
        assert!(leftovers(&tag).is_empty(), "it was killed");
    }

    #[test]
    fn has_figure_finds_times_and_speedups() {
        assert!(has_figure("static chunks  2  12.3 ms  1.93x"));
        assert!(has_figure("took 1.20 s"));
        assert!(!has_figure("static chunks  2  failed  -  -  -"));
        assert!(!has_figure("threads: 2 requests at once failed"));
    }

    #[test]
    fn a_run_past_its_deadline_is_an_error() {
        let late = run_tagged(
            Path::new("/bin/sleep"),
            &["5"],
            Duration::from_millis(100),
            None,
        );
        assert!(late.expect_err("too late").contains("still running"));
    }
}
