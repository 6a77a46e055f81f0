"""apply_async: a callback for each result, an error callback for each failure.

Python twin of the Rust lesson `apply_async` (examples-processes), after the tutorial's
`process_with_callbacks`: one `apply_async(compute_file_hash, (fp,), callback=on_success,
error_callback=on_error)` per file, plus one path that does not exist, whose FileNotFoundError,
raised in a worker, reaches the error callback in the parent. The callbacks may be closures over
the parent's dict and list: they run in the pool's result-handler thread in the parent, never in
a worker, so they are never pickled. The twin records which thread ran them.

The parent hashes every file itself first, with the same function, so each hash a callback
received is checked against a serial one. --dir defaults to the workspace root (the directory
above python/); hidden directories and `target` are skipped.

Run: python3 python/processes/apply_async.py [--dir DIR] [--workers N]
"""

import hashlib
import multiprocessing
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, cores, header, human, int_in, say  # noqa: E402

WORKSPACE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MISSING = "no-such-file.txt"  # a path under --dir that does not exist: its task fails


def compute_file_hash(filepath):
    """The tutorial's function (as in process_pool.py): SHA-256 of a file, in 64 KiB pieces."""
    hasher = hashlib.sha256()
    with open(filepath, "rb") as f:
        for chunk in iter(lambda: f.read(64 * 1024), b""):
            hasher.update(chunk)
    return filepath, hasher.hexdigest()


def files_under(top):
    """Every regular file under `top`, sorted; hidden directories and `target` are skipped."""
    found = []
    for here, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "target"]
        found.extend(os.path.join(here, f) for f in files
                     if os.path.isfile(os.path.join(here, f))
                     and not os.path.islink(os.path.join(here, f)))
    return sorted(found)


# ANCHOR: callbacks
def process_with_callbacks(pool, file_paths):
    """The tutorial's function: closures over the parent's dict and list as callbacks."""
    results, errors, threads = {}, [], []

    def on_success(result):
        filepath, hash_val = result
        results[filepath] = hash_val
        threads.append(threading.current_thread())

    def on_error(exc):
        errors.append(f"{type(exc).__name__}: {exc}")
        threads.append(threading.current_thread())

    async_results = [pool.apply_async(compute_file_hash, (fp,), callback=on_success,
                                      error_callback=on_error)
                     for fp in file_paths]
    for ar in async_results:
        ar.wait()
    return results, errors, threads
# ANCHOR_END: callbacks


def main():
    parser = ArgumentParser(
        description="Hash files with apply_async: a callback per result, an error callback "
                    "per failure.")
    parser.add_argument("--dir", default=WORKSPACE,
                        help="directory to hash, recursively (default: the workspace root)")
    parser.add_argument("--workers", type=int_in(1, 64), default=min(cores(), 64),
                        help=f"worker processes (1..=64, default one per core: {cores()})")
    args = parser.parse_args()
    if not os.path.isdir(args.dir):
        parser.error(f"cannot read --dir {args.dir}: not a directory")

    files = files_under(args.dir)
    header("apply_async: callbacks for results and errors (Python twin)")
    serial, unreadable = {}, 0
    for f in files:
        try:
            serial[f] = compute_file_hash(f)[1]
        except OSError:
            unreadable += 1
    missing = os.path.join(args.dir, MISSING)
    say(f"{len(files)} files and one missing path, {args.workers} workers")

    with multiprocessing.Pool(args.workers) as pool:
        start = time.perf_counter()
        results, errors, threads = process_with_callbacks(pool, files + [missing])
        took = time.perf_counter() - start

    say(f"{len(files) + 1} tasks in {human(took)}: the callback got {len(results)} hashes, "
        f"the error callback {len(errors)} error(s)")
    for err in errors:
        say(f"error callback got: {err}")
    names = sorted({t.name for t in threads})
    say(f"the callbacks ran in this process on {len(names)} pool thread(s): {', '.join(names)}")

    checks = Checks()
    checks.check("the callbacks saw every hash the serial pass computed", results == serial)
    checks.check("the missing file, and only what the serial pass could not read, went to the "
                 "error callback",
                 len(errors) == unreadable + 1 and any(missing in e for e in errors)
                 and any(e.startswith("FileNotFoundError") for e in errors))
    checks.check("every task called one callback, on a pool thread, never the main thread",
                 len(threads) == len(files) + 1
                 and all(t is not threading.main_thread() for t in threads))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
