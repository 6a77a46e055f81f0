//! Segment names and the stale-segment sweep against another user of the same machine.
//!
//! `/dev/shm` is one directory for every user. A segment's name carries its creator's PID so that
//! [`remove_stale`] can tell a dead owner, but anyone can create a file with any name there: the
//! sweep must delete only what it can prove is its own (owned by this user, carrying the toolkit's
//! header, creator dead), and names an attacker prepared in advance must not stop a run.
//!
//! The tests that hand a file to another user need root (`chown`); CI runs them as root. Without
//! it they print a note and pass without checking.
#![cfg(target_os = "linux")]

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicU64;

use multiproc::shm::{InShm, PREFIX, SHM_DIR, Shared, remove_stale};

/// `nobody` on most systems: a user that is not us.
const OTHER_USER: u32 = 65534;

/// A value to put in a real segment, so that the header is the toolkit's own.
#[repr(C)]
struct Probe {
    _word: AtomicU64,
}

// SAFETY: `repr(C)`, one atomic, all-zero bytes valid, no pointers; the fingerprint is unique.
unsafe impl InShm for Probe {
    const FINGERPRINT: u64 = u64::from_le_bytes(*b"SWEEPTST");
}

fn is_root() -> bool {
    // SAFETY: `geteuid` has no preconditions and cannot fail.
    (unsafe { libc::geteuid() }) == 0
}

/// True if the test may go on; otherwise says why it checks nothing.
fn root_or_skip(test: &str) -> bool {
    if !is_root() {
        println!("{test}: skipped, giving a file to another user needs root (CI runs it as root)");
    }
    is_root()
}

/// A PID that no process has: a child's, once it has been reaped.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("`true` starts");
    let pid = child.id();
    child.wait().expect("`true` ends");
    pid
}

/// A file in `/dev/shm` that this test made, removed when dropped (even if the test fails).
struct Planted(PathBuf);

impl Planted {
    fn new(name: &str, bytes: &[u8], owner: Option<u32>) -> Planted {
        let path = Path::new(SHM_DIR).join(name);
        std::fs::write(&path, bytes).expect("write into /dev/shm");
        if let Some(uid) = owner {
            std::os::unix::fs::chown(&path, Some(uid), Some(uid)).expect("chown (as root)");
        }
        Planted(path)
    }

    fn exists(&self) -> bool {
        self.0.symlink_metadata().is_ok()
    }
}

impl Drop for Planted {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The bytes of a real segment of ours, header included, and its name without the leading `/`
/// and without the `multiproc-<pid>-` part.
fn real_segment() -> (Vec<u8>, String) {
    let shared = Shared::<Probe>::create("sweep", 0, |_| Ok(())).expect("create");
    let file = shared.name().trim_start_matches('/');
    let bytes = std::fs::read(Path::new(SHM_DIR).join(file)).expect("read the segment");
    let mine = format!("{PREFIX}{}-", std::process::id());
    let rest = file
        .strip_prefix(&mine)
        .expect("named after us")
        .to_string();
    (bytes, rest)
}

#[test]
fn the_sweep_leaves_other_users_files_alone() {
    if !root_or_skip("the_sweep_leaves_other_users_files_alone") {
        return;
    }
    let dead = dead_pid();
    let (ours, rest) = real_segment();
    let planted = [
        // The names the old scheme gave, pre-created for PIDs to come: plain files.
        Planted::new(&format!("{PREFIX}{dead}-counter-0"), b"", Some(OTHER_USER)),
        Planted::new(
            &format!("{PREFIX}{dead}-array-3"),
            &[0; 4096],
            Some(OTHER_USER),
        ),
        // Even a copy of a real segment, header and all, is not ours to delete once another
        // user owns it.
        Planted::new(&format!("{PREFIX}{dead}-{rest}"), &ours, Some(OTHER_USER)),
    ];
    remove_stale();
    for file in &planted {
        assert!(file.exists(), "the sweep deleted {}", file.0.display());
        let owner = file.0.metadata().expect("still there").uid();
        assert_eq!(owner, OTHER_USER, "{}", file.0.display());
    }
}

#[test]
fn the_sweep_leaves_a_file_without_our_header_alone() {
    let dead = dead_pid();
    let planted = [
        Planted::new(&format!("{PREFIX}{dead}-counter-0"), &[0; 4096], None),
        Planted::new(
            &format!("{PREFIX}{dead}-notes-1"),
            b"not a segment, just a file with a name that looks like one",
            None,
        ),
        Planted::new(&format!("{PREFIX}{dead}-empty-2"), b"", None),
    ];
    remove_stale();
    for file in &planted {
        assert!(file.exists(), "the sweep deleted {}", file.0.display());
    }
}

#[test]
fn the_sweep_removes_a_stale_segment_of_ours() {
    let dead = dead_pid();
    let (ours, rest) = real_segment();
    let stale = Planted::new(&format!("{PREFIX}{dead}-{rest}"), &ours, None);
    // The same segment under a live PID (this process's) is not stale.
    let live = Planted::new(
        &format!("{PREFIX}{}-live-{rest}", std::process::id()),
        &ours,
        None,
    );
    assert!(remove_stale() >= 1);
    assert!(!stale.exists(), "{} is still there", stale.0.display());
    assert!(live.exists(), "the sweep deleted a live owner's segment");
}

#[test]
fn names_prepared_in_advance_do_not_stop_a_run() {
    // Everything a user who knows our PID could prepare from the old, predictable scheme
    // (`multiproc-<pid>-<what>-<n>`), owned by another user when the test can arrange it.
    let owner = is_root().then_some(OTHER_USER);
    let pid = std::process::id();
    let planted: Vec<Planted> = (0..64)
        .map(|n| Planted::new(&format!("{PREFIX}{pid}-sweep-{n}"), b"", owner))
        .collect();
    for _ in 0..8 {
        let shared = Shared::<Probe>::create("sweep", 0, |_| Ok(()));
        let shared =
            shared.unwrap_or_else(|err| panic!("a pre-created name stopped create: {err}"));
        assert!(
            !planted
                .iter()
                .any(|p| p.0.ends_with(shared.name().trim_start_matches('/'))),
            "{} was created over a planted file",
            shared.name()
        );
    }
    for file in &planted {
        assert!(file.exists(), "{} was removed", file.0.display());
    }
}
