//! Running a lesson binary from an integration test: with a deadline, so a lesson that hangs fails
//! its test instead of stalling the whole suite.

use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
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
    let mut child = Command::new(exe.as_ref())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lesson binary starts");
    // Drain both pipes on their own threads: a child blocked on a full pipe would look hung.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr is piped")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait on the lesson") {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{} {args:?} still running after {deadline:?}; killed it",
                exe.as_ref().display()
            );
        }
        thread::sleep(Duration::from_millis(10));
    };
    Outcome {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}
