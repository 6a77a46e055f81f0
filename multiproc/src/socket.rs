//! The named socket a new child connects back to at start-up, made so that only this user can
//! reach it, and so that a parent killed mid-start leaves nothing the next run cannot sweep.
//!
//! ipc-channel's `IpcOneShotServer::new` makes a temporary folder with tempfile's default mode
//! (0777 less the umask) and binds a socket in it (again 0777 less the umask). Connecting to a
//! Unix socket needs write permission on it, so with umask 000 any local user could connect first,
//! claim to be the child, and be handed its start-up message; with umask 002, any group member.
//! Here the umask is 077 while ipc-channel creates both, so they are private from the moment they
//! exist: no window in which a stranger can connect. Then the socket is moved into a folder named
//! `multiproc-sock-<pid>-<n>` (the socket keeps listening under its new name), whose PID tells a
//! later run that its owner is dead and the folder can go.
//!
//! What this does not protect against: processes of the same user (they could as well read the
//! child's memory) and root.

use std::fs::DirBuilder;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

use ipc_channel::ipc::IpcOneShotServer;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Start-up folders are `<temp dir>/multiproc-sock-<pid>-<n>`.
pub const SOCKET_DIR_PREFIX: &str = "multiproc-sock-";

/// The umask is one value for the whole process: two threads setting and restoring it at once
/// could leave the wrong one behind, so they take turns.
static UMASK: Mutex<()> = Mutex::new(());
static NEXT: AtomicUsize = AtomicUsize::new(0);
static SWEEP: Once = Once::new();

/// A one-shot server only this user can connect to, and the folder that holds its socket.
pub(crate) struct StartSocket<T> {
    pub server: IpcOneShotServer<T>,
    /// What the child connects to: `<dir>/socket`.
    pub path: String,
    /// Removes the socket's name and its folder when dropped; the server stays valid, but
    /// nobody new can reach it.
    pub dir: SocketDir,
}

/// The folder holding a start-up socket; dropping it removes both.
pub(crate) struct SocketDir(PathBuf);

impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl<T: Serialize + DeserializeOwned> StartSocket<T> {
    pub fn new() -> io::Result<Self> {
        SWEEP.call_once(|| {
            remove_stale();
        });
        // ANCHOR: private
        let (server, made_at) = {
            let _turn = UMASK
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // SAFETY: `umask` only swaps an integer in the process; it cannot fail.
            let old = unsafe { libc::umask(0o077) };
            let made = IpcOneShotServer::<T>::new();
            // SAFETY: as above, putting the previous value back.
            unsafe { libc::umask(old) };
            made?
        };
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("{SOCKET_DIR_PREFIX}{}-{n}", std::process::id()));
        DirBuilder::new().mode(0o700).create(&dir)?;
        let dir = SocketDir(dir);
        let socket = dir.0.join("socket");
        let moved = std::fs::rename(&made_at, &socket);
        // ipc-channel's own folder is empty now (or, if the move failed, we give up on it).
        let _ = std::fs::remove_dir(Path::new(&made_at).parent().unwrap_or(Path::new("/")));
        moved?;
        // ANCHOR_END: private
        let path = socket
            .to_str()
            .ok_or_else(|| io::Error::other("the temporary folder's path is not UTF-8"))?
            .to_string();
        Ok(StartSocket { server, path, dir })
    }
}

/// Removes `multiproc-sock-<pid>-*` folders of this user whose process no longer exists: what a
/// parent killed while a child was starting left behind. Returns how many it removed.
pub fn remove_stale() -> usize {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return 0;
    };
    // SAFETY: `geteuid` has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix(SOCKET_DIR_PREFIX))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        // symlink_metadata: a link planted under our prefix is not followed, and not ours.
        let ours = entry
            .path()
            .symlink_metadata()
            .is_ok_and(|m| m.is_dir() && m.uid() == me);
        if ours && !crate::signal::pid_exists(pid) && std::fs::remove_dir_all(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}
