//! Running one lesson or twin as a reader would, with a deadline, and the progress line.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Which side of the comparison a job measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Rust,
    Python,
}

/// How a job runs: a program with flags, or a measurement the report makes in its own process.
#[derive(Debug, Clone)]
pub enum How {
    Program(PathBuf, Vec<String>),
    InProcess(fn(bool) -> Result<String, String>),
}

/// One run of the report: a lesson (or a twin) with its flags.
#[derive(Debug, Clone)]
pub struct Job {
    pub lang: Lang,
    /// The lesson's name, which the part's reader looks its output up by.
    pub name: String,
    pub how: How,
}

impl Job {
    /// The command as a reader would type it (paths relative to the workspace).
    pub fn command(&self, root: &Path) -> String {
        match &self.how {
            How::Program(program, args) => {
                let shown = program.strip_prefix(root).unwrap_or(program);
                let mut words = vec![shown.display().to_string()];
                words.extend(args.iter().cloned());
                words.join(" ")
            }
            How::InProcess(_) => format!("(measured inside the report: {})", self.name),
        }
    }
}

/// What a job printed, and whether it failed (and why). A failed job's figures are never shown.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub output: String,
    pub failed: Option<String>,
    pub took: Duration,
}

/// Runs `job` in `root`, killing it after `deadline`. A non-zero exit (a failed check, a crash)
/// or the deadline makes the outcome failed.
pub fn run(job: &Job, root: &Path, quick: bool, deadline: Duration) -> Outcome {
    let start = Instant::now();
    let (program, args) = match &job.how {
        How::InProcess(measure) => {
            let result = measure(quick);
            let (output, failed) = match result {
                Ok(output) => (output, None),
                Err(why) => (String::new(), Some(why)),
            };
            let took = start.elapsed();
            return Outcome {
                output,
                failed,
                took,
            };
        }
        How::Program(program, args) => (program, args),
    };
    let child = Command::new(program)
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            let failed = Some(format!("could not start {}: {e}", program.display()));
            return Outcome {
                output: String::new(),
                failed,
                took: start.elapsed(),
            };
        }
    };
    // Read both pipes on threads, so a chatty child never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if start.elapsed() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!(
                    "still running after {} s: stopped",
                    deadline.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => break Err(format!("lost track of it: {e}")),
        }
    };
    let output = out.join().unwrap_or_default();
    let errors = err.join().unwrap_or_default();
    let failed = match status {
        Ok(status) if status.success() => None,
        Ok(status) => {
            let why = (errors.lines().rev())
                .chain(output.lines().rev())
                .find(|l| !l.trim().is_empty());
            Some(format!("{status}: {}", why.unwrap_or("no message").trim()))
        }
        Err(why) => Some(why),
    };
    Outcome {
        output,
        failed,
        took: start.elapsed(),
    }
}

/// The progress line, on stderr: a bar, how many are done, what runs now.
pub fn progress(done: usize, total: usize, what: &str) {
    const WIDTH: usize = 24;
    let filled = WIDTH * done / total.max(1);
    let bar = format!("{}{}", "#".repeat(filled), "-".repeat(WIDTH - filled));
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "[{bar}] {done:>2}/{total} {what}");
}
