//! Translates: "Python multiprocessing: True Parallelism", "Process Pools for Parallel Workloads", `Pool.map` of file hashes.
//!
//! `compute_file_hash` in four worker processes, results in input order. The workers are this
//! program started again with the role `hash` and their share of the paths as arguments; each
//! prints one hash a line, and the parent reads them back in order. Unlike Python's `Pool`, the
//! shares are fixed up front and the workers live for this one map.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::process::{Command, Stdio};

fn compute_file_hash(filepath: &str) -> (String, String) {
    let mut hasher = Sha256::new();
    let mut f = std::fs::File::open(filepath).expect("cannot open a file");
    std::io::copy(&mut f, &mut hasher).expect("cannot read a file"); // 8 KiB at a time, too
    (filepath.to_string(), format!("{:x}", hasher.finalize()))
}

fn process_files_parallel(file_paths: &[String], num_workers: usize) -> HashMap<String, String> {
    let me = std::env::current_exe().expect("no path to this program");
    let mut workers = vec![];
    for share in file_paths.chunks(file_paths.len().div_ceil(num_workers)) {
        let worker = Command::new(&me).arg("hash").args(share).stdout(Stdio::piped()).spawn();
        workers.push((share, worker.expect("cannot start a worker")));
    }
    let mut results = HashMap::new();
    for (share, worker) in workers {
        let out = worker.wait_with_output().expect("wait failed"); // reads, then reaps
        assert!(out.status.success(), "a worker failed");
        let hashes = String::from_utf8(out.stdout).expect("a hash is text");
        results.extend(share.iter().cloned().zip(hashes.lines().map(String::from)));
    }
    results
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|role| role == "hash") {
        return args[2..].iter().for_each(|path| println!("{}", compute_file_hash(path).1));
    }
    // The tutorial hashes 20 `/usr/lib/*.so*`; this machine has one there. Hash the twins instead.
    let dir = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../python/processes"));
    let paths = dir.expect("no python/processes").map(|e| e.unwrap().path().display().to_string());
    let mut files: Vec<String> = paths.filter(|p| p.ends_with(".py")).collect();
    files.sort();
    files.truncate(20);
    let hashes = process_files_parallel(&files, 4);
    for path in files.iter().take(3) {
        println!("{}: {}...", path.rsplit('/').next().unwrap(), &hashes[path][..16]);
    }
    // Ours: the parent hashes every file itself and compares.
    assert!(files.iter().all(|p| hashes[p] == compute_file_hash(p).1), "a worker's hash is wrong");
    println!("{} files hashed by 4 worker processes, every hash checked", hashes.len());
}
