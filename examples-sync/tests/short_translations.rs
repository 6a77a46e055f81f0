//! The short shared-memory translations (`examples/value_array.rs`, `examples/value_lock.rs`) use
//! the shared_memory crate directly, whose owner unlinks its segment only when it is dropped.
//!
//! * After a normal run of each, no segment of that run is left in `/dev/shm`: each names its
//!   segment `/<name>_<parent's pid>`, so the test knows the name, and it also compares the
//!   directory's entries of that kind before and after.
//! * The trap, shown and cleaned up: a parent killed with `SIGKILL` never runs `Drop`, so its
//!   segment stays in `/dev/shm` after every process of the run has ended. The test finds it,
//!   prints what it found, opens it with shared_memory, makes itself the owner and drops it, which
//!   unlinks it, and checks that it is gone.
//!
//! Every process a run starts inherits a marker in its environment, so the test can wait for the
//! killed parent's orphaned children too. Linux only: it reads `/proc` and lists `/dev/shm`.
#![cfg(target_os = "linux")]

use std::collections::BTreeSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use shared_memory::{ShmemConf, ShmemError};

const MARKER: &str = "EXAMPLES_SYNC_SHORT_RUN";
const DEADLINE: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(5);

/// Cargo builds a package's examples before its integration tests, in target/<profile>/examples.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    profile_dir.join("examples").join(name)
}

/// The `/dev/shm` entries whose names start with `prefix`. Other tests of this file run at the
/// same time and make segments of the same kind, so a run looks only for its own name.
fn segments(prefix: &str) -> BTreeSet<String> {
    (std::fs::read_dir("/dev/shm")
        .expect("/dev/shm is listable on Linux")
        .flatten())
    .filter_map(|entry| entry.file_name().into_string().ok())
    .filter(|name| name.starts_with(prefix))
    .collect()
}

/// PIDs of live processes whose environment carries `marker`.
fn processes_with(marker: &str) -> Vec<u32> {
    let needle = format!("{MARKER}={marker}");
    (std::fs::read_dir("/proc").expect("/proc").flatten())
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            (environ.split(|&b| b == 0)).any(|var| var == needle.as_bytes())
        })
        .collect()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting until {what}");
        thread::sleep(POLL);
    }
}

fn no_segment_left_by(name: &str) {
    let before = segments(name);
    let marker = format!("{}-{name}", std::process::id());
    let child = Command::new(example(name))
        .env(MARKER, &marker)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the example runs");
    // The parent names its segment after its own pid: `/dev/shm/<name>_<pid>`.
    let ours = format!("{name}_{}", child.id());
    let out = child.wait_with_output().expect("reap the example");
    assert!(out.status.success(), "{name} failed: {out:?}");
    assert!(!out.stdout.is_empty(), "{name} printed nothing");
    assert!(
        processes_with(&marker).is_empty(),
        "{name} left a process running"
    );
    let new: BTreeSet<String> = segments(name).difference(&before).cloned().collect();
    assert!(!new.contains(&ours), "{name} left /dev/shm/{ours}");
}

#[test]
fn value_array_leaves_no_segment() {
    no_segment_left_by("value_array");
}

#[test]
fn value_lock_leaves_no_segment() {
    no_segment_left_by("value_lock");
}

/// SIGKILL `value_array`'s parent once its segment exists: the file outlives every process of the
/// run. Then remove it as its owner would have, and check that it is gone.
#[test]
fn a_killed_owner_leaves_its_segment_until_someone_unlinks_it() {
    let marker = format!("{}-killed-owner", std::process::id());
    let mut parent = Command::new(example("value_array"))
        .env(MARKER, &marker)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("value_array starts");
    let name = format!("value_array_{}", parent.id());
    let file = Path::new("/dev/shm").join(&name);
    wait_until("the segment exists", || file.exists());
    parent.kill().expect("SIGKILL the parent"); // std's kill is SIGKILL on Unix
    parent.wait().expect("reap the parent");
    wait_until("the orphaned children have ended", || {
        processes_with(&marker).is_empty()
    });

    let meta = std::fs::metadata(&file).expect("the killed owner's segment is still there");
    // /dev/shm is a tmpfs: what a segment holds is memory, counted in whole pages.
    let (bytes, held) = (meta.len(), meta.blocks() * 512);
    println!(
        "owner SIGKILLed, all its children ended: /dev/shm/{name} is still there, \
         {bytes} bytes long, {held} bytes of memory held"
    );
    // The fixed name is taken now: a run that chose it again could not create its segment.
    let again = ShmemConf::new().size(64).os_id(format!("/{name}")).create();
    assert!(
        matches!(again, Err(ShmemError::MappingIdExists)),
        "re-creating it: {:?}",
        again.err()
    );
    println!("creating /{name} again: MappingIdExists");

    // Clean up as the owner would have: open it, take ownership, drop (which unlinks).
    let mut leaked = ShmemConf::new()
        .os_id(format!("/{name}"))
        .open()
        .expect("open the leak");
    leaked.set_owner(true);
    drop(leaked);
    assert!(
        !file.exists(),
        "dropping the new owner did not unlink /dev/shm/{name}"
    );
    println!("opened, made owner, dropped: /dev/shm/{name} is gone");
}
