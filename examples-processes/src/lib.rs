//! What several lessons of the processes chapter share, written once: the tutorial's file hash as
//! a pool task and the walk that finds the files (`process_pool`, `apply_async`), the serial
//! factorizer the process versions are checked against (`mp_factorizer`, `pool_factorizer`), and
//! running one task in one child to the end (`serialization`, `large_data`).
//!
//! Beside them, what every lesson of the chapter reports through: [`report::Run`], a timed run
//! whose figures are shown only if it finished with the right answer (with the test hook that
//! makes a worker die), and [`heavy`], the warning before a run whose flags make it long or large.

pub mod heavy;
pub mod report;

use multiproc::{Task, spawn};
use report::die_if_asked;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use signal_hook::consts::SIGINT;
use signal_hook::iterator::Signals;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use walkdir::{DirEntry, WalkDir};
use workloads::factorize_naive;

/// How much of a file [`hash_file`] reads at a time.
pub const READ_CHUNK: usize = 64 * 1024;

// ANCHOR: hash
/// The tutorial's `compute_file_hash`: SHA-256 of a file, read in 64 KiB pieces, so a large file
/// never sits in memory. A pool task's error is a value that travels back like a result, so one
/// unreadable file fails one item, not the whole call.
pub fn hash_file(path: PathBuf) -> Result<String, String> {
    let failed = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut file = std::fs::File::open(&path).map_err(failed)?;
    let (mut hasher, mut buf) = (Sha256::new(), vec![0u8; READ_CHUNK]);
    loop {
        match file.read(&mut buf).map_err(failed)? {
            0 => break,
            n => hasher.update(&buf[..n]),
        }
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
// ANCHOR_END: hash
/// [`hash_file`] registered for worker processes (behind the test hook that can make them die).
pub static HASH_FILE: Task<PathBuf, Result<String, String>> = Task::new("hash_file", |path| {
    die_if_asked("hash_file");
    hash_file(path)
});

/// Every regular file under `dir`, sorted by path. Hidden directories and `target` are skipped,
/// and symbolic links are not followed, as in the twins' `os.walk`.
pub fn files_under(dir: &Path) -> walkdir::Result<Vec<PathBuf>> {
    let skipped = |entry: &DirEntry| {
        let name = entry.file_name().to_string_lossy();
        entry.depth() > 0
            && entry.file_type().is_dir()
            && (name.starts_with('.') || name == "target")
    };
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).into_iter().filter_entry(|e| !skipped(e)) {
        let entry = entry?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}

/// Number → its prime factors, computed in this process: the answer every process version of
/// the factorizer must reproduce.
pub fn serial_factorizer(nums: &[u64]) -> BTreeMap<u64, Vec<u64>> {
    nums.iter().map(|&n| (n, factorize_naive(n))).collect()
}

/// Starts `task(arg)` in a child, waits for it to exit and returns what it returned. A child that
/// ends without a result (it panicked, or was killed) is a failure that says how it ended.
pub fn run_child<A, R>(task: &'static Task<A, R>, arg: A) -> lesson::Result<R>
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    let mut child = spawn(task, arg)?;
    let exit = child.join()?;
    child
        .take_result()
        .ok_or_else(|| lesson::Failure::msg(format!("the child ended with {exit} and no result")))
}

/// Removes `path` when Ctrl-C comes, then ends the process killed by SIGINT, as SIGINT's default
/// action would have, minus the file it would have left behind (a named temporary file's `Drop`
/// never runs when a signal ends the process). A thread of its own waits for the signal, so it acts
/// whatever the main thread is blocked in. Children keep the default action: Ctrl-C reaches the
/// whole process group and ends them at once.
pub fn remove_on_ctrl_c(path: PathBuf) -> std::io::Result<()> {
    let mut signals = Signals::new([SIGINT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = std::fs::remove_file(&path);
            multiproc::shm::die_of_sigint();
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_file_matches_the_fips_example_and_names_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let abc = dir.path().join("abc.txt");
        std::fs::write(&abc, b"abc").unwrap();
        assert_eq!(
            hash_file(abc).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let missing = dir.path().join("missing.txt");
        assert!(hash_file(missing).unwrap_err().contains("missing.txt"));
    }

    #[test]
    fn files_under_skips_hidden_and_target_directories() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["src", ".git", "target", "src/.cache"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        for file in [
            "a.txt",
            ".hidden",
            "src/b.rs",
            ".git/HEAD",
            "target/x",
            "src/.cache/y",
        ] {
            std::fs::write(dir.path().join(file), b"x").unwrap();
        }
        let found: Vec<String> = files_under(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(found, [".hidden", "a.txt", "src/b.rs"]);
        assert!(files_under(&dir.path().join("nope")).is_err());
    }
}
