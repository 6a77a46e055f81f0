"""log_summary: the capstone's Python twin. A summary of many log files, serially and on a
multiprocessing Pool, with a progress line and a self-check that both agree.

It writes the same sample files as the Rust capstone (`cargo run -p exercises --bin capstone`),
line for line, into a temporary directory, and takes the same flags. One file per job
(`imap_unordered(..., chunksize=1)`), as in the Rust solution.

One difference the capstone is about: if a worker of `multiprocessing.Pool` dies mid-file, the
pool replaces it but the file's result never arrives, and `imap_unordered` waits forever (CPython
issue gh-66587); the Rust pool reports the lost file and finishes. This twin therefore has no
crash file, and waits for each result with a timeout.

Run: python3 python/capstone/log_summary.py [--files N] [--lines N] [--workers N]
"""

import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, cores, int_in  # noqa: E402

LEVELS = ("DEBUG", "INFO", "WARN", "ERROR")
COMPONENTS = ("api", "db", "cache", "auth", "queue")
# How long one file may take before the run is declared stuck (a dead worker's file never comes).
RESULT_TIMEOUT_S = 60


def sample_line(f, i):
    """Line `i` of sample file `f`: the same text as the Rust `sample_line`."""
    h = (f * 7_919 + i * 104_729) % 1_000_003
    if h % 97 == 0:
        return "-- log rotated --"
    r = h % 100
    level = "INFO" if r < 50 else "DEBUG" if r < 75 else "WARN" if r < 93 else "ERROR"
    component = COMPONENTS[(h // 100) % len(COMPONENTS)]
    minute, second = i // 60 % 60, i % 60
    return f"2026-11-30T08:{minute:02}:{second:02} {level} {component}: request {h} handled"


def write_sample_logs(directory, files, lines):
    paths = []
    for f in range(files):
        path = os.path.join(directory, f"app-{f:04}.log")
        with open(path, "w") as out:
            out.write("".join(sample_line(f, i) + "\n" for i in range(lines)))
        paths.append(path)
    return paths


def summarize_text(text):
    """One file's summary: (files, lines, by_level, errors_by_component, malformed)."""
    lines = malformed = 0
    by_level, errors = Counter(), Counter()
    for line in text.splitlines():
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) >= 3 and fields[1] in LEVELS and fields[2].endswith(":"):
            lines += 1
            by_level[fields[1]] += 1
            if fields[1] == "ERROR":
                errors[fields[2][:-1]] += 1
        else:
            malformed += 1
    return [1, lines, by_level, errors, malformed]


def summarize_file(path):
    with open(path) as f:
        return summarize_text(f.read())


def merge(total, part):
    total[0] += part[0]
    total[1] += part[1]
    total[2].update(part[2])
    total[3].update(part[3])
    total[4] += part[4]


def empty():
    return [0, 0, Counter(), Counter(), 0]


def serial(paths):
    total = empty()
    for path in paths:
        merge(total, summarize_file(path))
    return total


def parallel(paths, workers):
    total = empty()
    with multiprocessing.Pool(workers) as pool:
        results = pool.imap_unordered(summarize_file, paths, chunksize=1)
        for done in range(1, len(paths) + 1):
            merge(total, results.next(timeout=RESULT_TIMEOUT_S))
            if sys.stderr.isatty():  # a redrawn line means something only on a terminal
                print(f"\r{done} of {len(paths)} files", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print("\r" + " " * 30 + "\r", end="", file=sys.stderr, flush=True)
    return total


def main():
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int_in(1, 100_000), default=64)
    parser.add_argument("--lines", type=int_in(1, 1_000_000), default=40_000)
    parser.add_argument("--workers", type=int_in(1, 256), default=cores())
    args = parser.parse_args()
    print(f"capstone (Python): a log summary over {args.files} files of {args.lines} lines, "
          f"serial vs {args.workers} worker processes")
    with tempfile.TemporaryDirectory() as directory:
        paths = write_sample_logs(directory, args.files, args.lines)
        start = time.perf_counter()
        want = serial(paths)
        serial_s = time.perf_counter() - start
        print(f"serial:   {serial_s * 1e3:8.1f} ms")
        start = time.perf_counter()
        got = parallel(paths, args.workers)
        parallel_s = time.perf_counter() - start
        print(f"parallel: {parallel_s * 1e3:8.1f} ms  ({serial_s / parallel_s:.2f}x the serial speed)")
    print(f"{got[0]} files, {got[1]} lines, {got[4]} malformed")
    print(f"by level: {dict(sorted(got[2].items()))}")
    print(f"errors by component: {dict(sorted(got[3].items()))}")
    checks = Checks()
    checks.check("the parallel summary equals the serial one", got == want)
    checks.check("every file was summarised", got[0] == args.files)
    return checks.finish()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
