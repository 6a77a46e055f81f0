"""process_pool: a pool of worker processes hashing real files with SHA-256.

Python twin of the Rust lesson `process_pool` (examples-processes), after the tutorial's
`Pool.map(compute_file_hash, file_paths)`:

* `Pool.map` (results in input order, files sent in chunks: by default about four chunks per
  worker, or --chunksize);
* `Pool.imap_unordered` with chunks of 1 (results as they finish).

(`apply_async` with its callbacks is `apply_async.py`.) The parent hashes every file itself first,
with the same function, so each pooled answer is checked against a serial one. One Python
difference stands out: `map` has no per-item error, so a single bad path makes the whole `map`
raise and every other hash in it is lost (the Rust pool returns a `Result` per file); that is
shown at the end.

--dir defaults to the workspace root (the directory above python/), like the Rust lesson's;
hidden directories and `target` are skipped.

Run: python3 python/processes/process_pool.py [--dir DIR] [--workers N] [--chunksize N]
"""

import hashlib
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    ArgumentParser, Checks, Table, cores, header, human, int_in, say,
)

WORKSPACE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


# ANCHOR: hash
def compute_file_hash(filepath):
    """The tutorial's function: SHA-256 of a file, read in 64 KiB pieces."""
    hasher = hashlib.sha256()
    with open(filepath, "rb") as f:
        for chunk in iter(lambda: f.read(64 * 1024), b""):
            hasher.update(chunk)
    return filepath, hasher.hexdigest()
# ANCHOR_END: hash


def files_under(top):
    """Every regular file under `top`, sorted; hidden directories and `target` are skipped."""
    found = []
    for here, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "target"]
        found.extend(os.path.join(here, f) for f in files
                     if os.path.isfile(os.path.join(here, f))
                     and not os.path.islink(os.path.join(here, f)))
    return sorted(found)


def default_chunksize(items, workers):
    """What Pool.map picks when not told: ceil(items / (4 * workers))."""
    size, extra = divmod(items, workers * 4)
    return size + 1 if extra else max(size, 1)


def main():
    parser = ArgumentParser(description="Hash every file under a directory with a process pool.")
    parser.add_argument("--dir", default=WORKSPACE,
                        help="directory to hash, recursively (default: the workspace root)")
    parser.add_argument("--workers", type=int_in(1, 64), default=cores(),
                        help=f"worker processes (1..=64, default one per core: {cores()})")
    parser.add_argument("--chunksize", type=int_in(0, 1_000_000), default=0,
                        help="files per message for map; 0 picks Python's default "
                             "(about four chunks per worker)")
    args = parser.parse_args()
    if not os.path.isdir(args.dir):
        parser.error(f"cannot read --dir {args.dir}: not a directory")

    files = files_under(args.dir)
    header("process_pool: hashing files with a pool of worker processes (Python twin)")
    say(f"{len(files)} files under {os.path.realpath(args.dir)}")

    serial, serial_errors = {}, []
    start = time.perf_counter()
    for f in files:
        try:
            serial[f] = compute_file_hash(f)[1]
        except OSError as err:
            serial_errors.append(str(err))
    serial_time = time.perf_counter() - start
    readable = [f for f in files if f in serial]  # map loses everything on one error: see below
    chunksize = args.chunksize or default_chunksize(len(readable), args.workers)
    missing = os.path.join(args.dir, "no-such-file.txt")

    with multiprocessing.Pool(args.workers) as pool:
        say(f"pool of {args.workers} workers: PIDs "
            f"{sorted(p.pid for p in multiprocessing.active_children())}")

        # ANCHOR: map
        start = time.perf_counter()
        mapped = dict(pool.map(compute_file_hash, readable, chunksize=chunksize))
        map_time = time.perf_counter() - start
        for f in readable[:3]:
            say(f"  {os.path.basename(f)}: {mapped.get(f, 'error')[:16]}...")
        # ANCHOR_END: map

        # ANCHOR: imap_unordered
        start = time.perf_counter()
        arrival = []
        unordered = {}
        for path, digest in pool.imap_unordered(compute_file_hash, readable, chunksize=1):
            arrival.append(path)
            unordered[path] = digest
        imap_time = time.perf_counter() - start
        index = {f: i for i, f in enumerate(readable)}
        say(f"imap_unordered, first arrivals by input index: {[index[p] for p in arrival[:8]]}")
        # ANCHOR_END: imap_unordered

        # ANCHOR: map_raises
        # Python's map has no per-item error: one bad path, and the whole call raises.
        few = readable[:3] + [missing]
        try:
            pool.map(compute_file_hash, few)
            map_error = None
        except OSError as err:
            map_error = f"{type(err).__name__}: {err}"
        # ANCHOR_END: map_raises

    table = Table(["method", "files", "errors", "time"])
    table.row(["serial, in the parent", len(files), len(serial_errors), human(serial_time)])
    table.row([f"map, chunksize {chunksize}", len(mapped), 0, human(map_time)])
    table.row(["imap_unordered, chunksize 1", len(unordered), 0, human(imap_time)])
    print()
    print(table)
    for err in serial_errors:
        say(f"serial could not read: {err} (left out of the pooled runs)")
    say(f"map over {len(few)} paths, the last one missing, raised: {map_error}")
    print()

    checks = Checks()
    checks.check("map returned every hash in input order, equal to the serial ones",
                 list(mapped) == readable and mapped == serial)
    checks.check("imap_unordered delivered every file once, same hashes",
                 sorted(arrival) == readable and unordered == serial)
    checks.check("one missing path made the whole map raise FileNotFoundError",
                 map_error is not None and map_error.startswith("FileNotFoundError"))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
