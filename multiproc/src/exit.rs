//! How a process ended, in the two forms Unix reports it.

use std::fmt;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

/// How a child ended: it exited with a code, or a signal killed it.
// ANCHOR: exit
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `main` returned or `std::process::exit(code)` was called (an uncaught panic gives 101).
    Code(i32),
    /// A signal ended it: `SIGKILL` (9) from `kill`, `SIGTERM` (15) from `terminate`, `SIGABRT`
    /// (6) from `std::process::abort`, `SIGSEGV` (11) from a crash.
    Signal(i32),
}

impl Exit {
    /// Python's `Process.exitcode`: the exit code, or minus the signal number.
    pub fn exitcode(self) -> i32 {
        match self {
            Exit::Code(code) => code,
            Exit::Signal(signal) => -signal,
        }
    }
}
// ANCHOR_END: exit

impl Exit {
    pub fn success(self) -> bool {
        self == Exit::Code(0)
    }

    pub(crate) fn from_status(status: ExitStatus) -> Self {
        match (status.code(), status.signal()) {
            (Some(code), _) => Exit::Code(code),
            (None, Some(signal)) => Exit::Signal(signal),
            // Neither is possible for a waited-for child; report it rather than panic.
            (None, None) => Exit::Code(-1),
        }
    }
}

/// The usual name of a signal number, for narration.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGILL => "SIGILL",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGTERM => "SIGTERM",
        _ => "signal",
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Exit::Code(code) => write!(f, "exit code {code}"),
            Exit::Signal(signal) => write!(f, "killed by {} ({signal})", signal_name(signal)),
        }
    }
}
