//! Sending a signal to a process, and asking whether a PID still exists: what a lesson needs to
//! kill a worker on purpose or check that a server was reaped, without `unsafe` of its own.

use std::io;

/// `SIGKILL`: ends a process at once; it cannot be caught (what `Process::kill` sends).
pub const KILL: i32 = libc::SIGKILL;
/// `SIGTERM`: asks a process to end (what `Process::terminate` sends).
pub const TERM: i32 = libc::SIGTERM;
/// `SIGINT`: what Ctrl-C sends.
pub const INT: i32 = libc::SIGINT;
/// `SIGABRT`: what `std::process::abort` raises.
pub const ABRT: i32 = libc::SIGABRT;

// ANCHOR: send
/// Sends `signal` to process `pid`.
///
/// A PID names whichever process has it now: send only to your own unreaped children (a zombie
/// keeps its PID until reaped, so the number cannot have been given to another process).
pub fn send(pid: u32, signal: i32) -> io::Result<()> {
    let pid = libc::pid_t::try_from(pid).map_err(io::Error::other)?;
    // SAFETY: `kill` takes plain integers and has no memory-safety preconditions.
    if unsafe { libc::kill(pid, signal) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
// ANCHOR_END: send

/// Whether a process with this PID exists, zombies included (the kernel keeps a zombie's PID
/// until its parent reaps it). Signal 0 checks without sending anything.
pub fn pid_exists(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 sends nothing; `kill` takes plain integers.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    // EPERM: it exists but belongs to another user.
    alive || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Whether process `pid` is still running: it exists and is not a zombie. A process that has
/// ended but not been reaped keeps its PID as a zombie; an orphan's zombie waits for PID 1, and in
/// some containers PID 1 never reaps, so [`pid_exists`] would call a dead orphan alive forever.
/// Linux reads the state from `/proc/PID/stat`; elsewhere this is [`pid_exists`].
pub fn is_running(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // The state follows the command name, which is in parentheses and may hold spaces.
            Ok(stat) => stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .is_some_and(|state| state != "Z" && state != "X"),
            Err(_) => false,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        pid_exists(pid)
    }
}
