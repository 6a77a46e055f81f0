//! Translates: "Python multiprocessing: True Parallelism", "Process Pools for Parallel Workloads", `apply_async` with a callback and an error callback.
//!
//! `process_with_callbacks`: each file's hash or error comes back to the parent, which calls
//! `on_success` or `on_error` on one thread as the answers arrive, as Python's pool calls its
//! callbacks on its result-handler thread. The workers are this program started again with
//! their share of the paths as arguments; each answers one line a path on its stdout (`ok`, path
//! and hash, or the error).
use sha2::{Digest, Sha256};
use std::process::{Command, Stdio};
use std::{collections::HashMap, io::BufRead, sync::mpsc, thread};

fn compute_file_hash(filepath: &str) -> std::io::Result<(String, String)> {
    let mut hasher = Sha256::new();
    std::io::copy(&mut std::fs::File::open(filepath)?, &mut hasher)?;
    Ok((filepath.to_string(), format!("{:x}", hasher.finalize())))
}

fn process_with_callbacks(file_paths: &[String]) -> (HashMap<String, String>, Vec<String>) {
    let (mut results, mut errors) = (HashMap::new(), vec![]);
    let mut on_success = |(filepath, hash_val)| results.insert(filepath, hash_val);
    let mut on_error = |exc: &str| errors.push(exc.to_string());
    let (me, (tx, rx), mut workers) = (std::env::current_exe().unwrap(), mpsc::channel(), vec![]);
    for share in file_paths.chunks(file_paths.len().div_ceil(4)) {
        let mut worker = Command::new(&me).args(share).stdout(Stdio::piped()).spawn().unwrap();
        let (answers, tx) = (std::io::BufReader::new(worker.stdout.take().unwrap()), tx.clone());
        thread::spawn(move || answers.lines().for_each(|line| tx.send(line.unwrap()).unwrap()));
        workers.push(worker);
    }
    drop(tx); // the loop below ends once every worker's answers are read
    for answer in rx {
        match answer.strip_prefix("ok\t").and_then(|hashed| hashed.split_once('\t')) {
            Some((path, hash)) => _ = on_success((path.to_string(), hash.to_string())),
            None => on_error(&answer),
        }
    }
    for mut worker in workers {
        assert!(worker.wait().expect("wait failed").success(), "a worker failed"); // and reap it
    }
    (results, errors)
}

fn main() {
    if std::env::args().len() > 1 {
        for path in std::env::args().skip(1) {
            let answer = compute_file_hash(&path).map(|(path, hash)| format!("ok\t{path}\t{hash}"));
            println!("{}", answer.unwrap_or_else(|exc| format!("{path}: {exc}")));
        }
        return;
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/processes");
    let paths = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path().display().to_string());
    let mut files: Vec<String> = paths.filter(|p| p.ends_with(".py")).collect();
    files.push(format!("{dir}/no_such_file.py")); // ours: one that fails
    let (results, errors) = process_with_callbacks(&files);
    println!("{} hashed, {} failed: {errors:?}", results.len(), errors.len());
    assert!(results.len() == files.len() - 1 && errors.len() == 1, "a callback went missing");
}
