//! A pool of worker processes hashing real files with SHA-256: `map` (results in input order),
//! `imap_unordered` (results as they finish) and `apply_async` with a callback and an error
//! callback, where a missing file lands. Translates tutorial 002's `Pool.map(compute_file_hash,
//! ...)` and its `process_with_callbacks`. The parent hashes every file itself first, so each
//! pooled answer is checked against a serial one.

use clap::Parser;
use lesson::{Checks, Table};
use multiproc::{Pool, Task, TaskError, init};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

#[derive(Parser)]
#[command(about = "Hash every file under a directory with a process pool")]
struct Args {
    /// Directory to hash, recursively (hidden directories and `target` are skipped).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/.."))]
    dir: PathBuf,
    /// Worker processes (default: one per core, like Python's `Pool()`).
    #[arg(long, default_value_t = multiproc::cores(), value_parser = clap::value_parser!(usize))]
    workers: usize,
    /// Files per message for `map`; 0 picks Python's default (about four chunks per worker).
    #[arg(long, default_value_t = 0)]
    chunksize: usize,
}

// ANCHOR: hash
/// Tutorial 002's `compute_file_hash`: read in 64 KiB pieces, so a large file never sits in memory.
fn hash_file(path: PathBuf) -> Result<String, String> {
    let mut file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (mut hasher, mut buf) = (Sha256::new(), vec![0u8; 64 * 1024]);
    loop {
        match file
            .read(&mut buf)
            .map_err(|e| format!("{}: {e}", path.display()))?
        {
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
static HASH_FILE: Task<PathBuf, Result<String, String>> = Task::new("hash_file", hash_file);
// ANCHOR_END: hash

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let kind = entry.file_type()?;
        if kind.is_dir() && !name.to_string_lossy().starts_with('.') && name != "target" {
            files_under(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    init(&[&HASH_FILE]);
    let args: Args = lesson::parse_args();
    if args.workers == 0 || args.workers > 64 {
        lesson::usage_error("--workers must be between 1 and 64");
    }
    let mut files = Vec::new();
    if let Err(err) = files_under(&args.dir, &mut files) {
        lesson::usage_error(format!("cannot read --dir {}: {err}", args.dir.display()));
    }
    files.sort();
    let dir = args.dir.canonicalize().unwrap_or_else(|_| args.dir.clone());
    lesson::header("process_pool: hashing files with a pool of worker processes");
    println!("{} files under {}", files.len(), dir.display());
    let (serial, serial_time) = lesson::timed(|| {
        files
            .iter()
            .map(|f| hash_file(f.clone()))
            .collect::<Vec<_>>()
    });
    let pool = match Pool::new(&HASH_FILE, args.workers) {
        Ok(pool) => pool,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "pool of {} workers: PIDs {:?}",
        args.workers,
        pool.worker_pids()
    );
    let chunksize = if args.chunksize == 0 {
        pool.default_chunksize(files.len())
    } else {
        args.chunksize
    };

    // ANCHOR: map
    let (mapped, map_time) = lesson::timed(|| pool.map_chunked(files.clone(), chunksize));
    for (file, hash) in files.iter().zip(&mapped).take(3) {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "  {name}: {}...",
            hash.as_deref().map_or("error", |h| &h[..16])
        );
    }
    // ANCHOR_END: map
    let (unordered, imap_time) =
        lesson::timed(|| pool.imap_unordered(files.clone(), 1).collect::<Vec<_>>());
    let arrival: Vec<usize> = unordered.iter().map(|(i, _)| *i).collect();
    println!(
        "imap_unordered, first arrivals by input index: {:?}",
        &arrival[..arrival.len().min(8)]
    );

    // ANCHOR: callbacks
    // Python's `on_success`/`on_error` append to shared containers; so do these (they run on a
    // pool thread). A file that does not exist goes to the error callback.
    let missing = args.dir.join("no-such-file.txt");
    let hashes = Arc::new(Mutex::new(BTreeMap::new()));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let (_, async_time) = lesson::timed(|| {
        let pending: Vec<_> = files
            .iter()
            .chain([&missing])
            .map(|file| {
                let (hashes, errors, key) =
                    (Arc::clone(&hashes), Arc::clone(&errors), file.clone());
                pool.apply_async(
                    file.clone(),
                    move |hash| {
                        hashes.lock().unwrap().insert(key, hash);
                    },
                    move |err: TaskError| errors.lock().unwrap().push(err.to_string()),
                )
            })
            .collect();
        pending.iter().for_each(|p| p.wait()); // Python's `ar.wait()` for each
    });
    // ANCHOR_END: callbacks

    let mut table = Table::new(["method", "files", "errors", "time"]);
    table.row([
        "serial, in the parent".into(),
        files.len().to_string(),
        serial.iter().filter(|r| r.is_err()).count().to_string(),
        lesson::human(serial_time),
    ]);
    table.row([
        format!("map, chunksize {chunksize}"),
        mapped.len().to_string(),
        mapped.iter().filter(|r| r.is_err()).count().to_string(),
        lesson::human(map_time),
    ]);
    table.row([
        "imap_unordered, chunksize 1".into(),
        unordered.len().to_string(),
        unordered
            .iter()
            .filter(|(_, r)| r.is_err())
            .count()
            .to_string(),
        lesson::human(imap_time),
    ]);
    let (hashes, errors) = (
        hashes.lock().unwrap().clone(),
        errors.lock().unwrap().clone(),
    );
    table.row([
        "apply_async + callbacks".into(),
        (files.len() + 1).to_string(),
        errors.len().to_string(),
        lesson::human(async_time),
    ]);
    println!("\n{table}");
    for err in &errors {
        println!("error callback got: {err}");
    }

    let mut checks = Checks::new();
    let expected: Vec<Result<String, TaskError>> = serial
        .into_iter()
        .map(|r| r.map_err(TaskError::Failed))
        .collect();
    checks.check(
        "map returned every hash in input order, equal to the serial ones",
        mapped == expected,
    );
    let mut sorted = unordered;
    sorted.sort_by_key(|(i, _)| *i);
    checks.check(
        "imap_unordered delivered every file once, same hashes",
        sorted
            .into_iter()
            .map(|(_, r)| r)
            .eq(expected.iter().cloned()),
    );
    let by_callback = files.iter().zip(&expected).all(|(f, e)| match e {
        Ok(h) => hashes.get(f) == Some(h),
        Err(_) => !hashes.contains_key(f),
    });
    checks.check("the callbacks saw the same hashes", by_callback);
    let missing_name = missing.display().to_string();
    checks.check(
        "the missing file went to the error callback",
        errors.iter().any(|e| e.contains(&missing_name)),
    );
    checks.finish()
}
