"""Runs every Python twin of the shared-state chapter with small inputs and checks that it behaves.

For each twin in python/sync/:

* a run with small flags must exit 0 within the time limit and print "checks passed";
* --help must exit 0 and print the usage;
* a run with one bad flag must exit 2 and print exactly one line to stderr, "error: ...".

The last line is "N passed, M failed"; the exit code is 1 if anything failed.

Run: python3 python/sync/check_twins.py
"""

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 60  # seconds, per run

# twin -> (small flags that must pass, one bad flag set that must be refused)
TWINS = {
    "thread_counter": (["--workers", "3", "--increments", "5000"], ["--workers", "0"]),
    "primitives": (["--workers", "3", "--permits", "2"], ["--permits", "9"]),
}


def run(script, flags):
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, script, *flags], capture_output=True, text=True,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "", "", time.perf_counter() - start
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - start


def main():
    results = []

    def record(name, ok, detail):
        results.append(ok)
        print(f"{'ok' if ok else 'FAILED'}  {name}: {detail}", flush=True)

    for twin, (good, bad) in TWINS.items():
        script = os.path.join(HERE, f"{twin}.py")
        code, out, err, secs = run(script, good)
        ok = code == 0 and "checks passed" in out
        detail = (f"{' '.join(good)} -> exit {code} in {secs:.1f} s" if code is not None
                  else f"{' '.join(good)} -> timed out after {TIMEOUT} s")
        if not ok:
            detail += "\n" + out[-2000:] + err[-2000:]
        record(twin, ok, detail)

        code, out, err, secs = run(script, ["--help"])
        record(f"{twin} --help", code == 0 and out.startswith("usage:"), f"exit {code}")

        code, out, err, secs = run(script, bad)
        lines = err.splitlines()
        ok = code == 2 and len(lines) == 1 and lines[0].startswith("error: ")
        detail = f"{' '.join(bad)} -> exit {code}, stderr {lines!r}"
        record(f"{twin} (bad flag)", ok, detail)

    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
