"""How check_twins.py runs each Python twin as a student would and checks that it behaves.

For each twin (check_twin):

* a run with small flags must exit 0 within the time limit and print "checks passed";
* --help must exit 0 and print the usage;
* a run with one bad flag must exit 2 and print exactly one line to stderr, "error: ...";
* after each of those runs, no process it started may still be alive. Every run gets a unique
  marker in its environment, which its children inherit (fork, spawn and plain subprocesses
  alike), and /proc/*/environ is searched for it; leftovers are reported and killed.

Every run starts in the workspace root, so a path in lessons.toml's flags means what it means in
the README. The report's last line is "N passed, M failed"; the exit code is 1 if anything failed.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

TIMEOUT = 60  # seconds, per run
MARKER = "PROCESS_TWIN_RUN"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tagged_pids(tag):
    """PIDs of live processes whose environment holds MARKER=tag (zombies have none left)."""
    needle = f"{MARKER}={tag}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:  # gone already, or not ours to read
            continue
    return found


def leftovers(tag, grace=3.0):
    """Processes still carrying the tag after up to `grace` seconds; any found are killed."""
    deadline = time.monotonic() + grace
    while True:
        pids = tagged_pids(tag)
        if not pids or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return pids


def run(script, flags):
    """Run one twin: (exit code or None on timeout, stdout, stderr, seconds, leftover PIDs)."""
    tag = uuid.uuid4().hex
    env = dict(os.environ, **{MARKER: tag})
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, script, *flags], capture_output=True, text=True,
                              timeout=TIMEOUT, env=env, cwd=ROOT)
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as timeout:
        code, out, err = None, timeout.stdout or "", timeout.stderr or ""
        out = out.decode() if isinstance(out, bytes) else out
        err = err.decode() if isinstance(err, bytes) else err
    return code, out, err, time.perf_counter() - start, leftovers(tag)


class Report:
    """Collects ok/FAILED lines and ends with the "N passed, M failed" summary."""

    def __init__(self):
        self.results = []

    def record(self, name, ok, detail):
        self.results.append(ok)
        print(f"{'ok' if ok else 'FAILED'}  {name}: {detail}", flush=True)

    def finish(self):
        passed = sum(self.results)
        failed = len(self.results) - passed
        print(f"{passed} passed, {failed} failed")
        return 1 if failed else 0


def check_twin(name, script, good, bad, report):
    """Runs the three checks above for one twin: `good` flags must pass, `bad` ones be refused."""
    code, out, err, secs, left = run(script, good)
    ok = code == 0 and "checks passed" in out and not left
    detail = (f"{' '.join(good)} -> exit {code} in {secs:.1f} s" if code is not None
              else f"{' '.join(good)} -> timed out after {TIMEOUT} s")
    if left:
        detail += f"; processes left behind (killed): {left}"
    if not ok:
        detail += "\n" + out[-2000:] + err[-2000:]
    report.record(name, ok, detail)

    code, out, err, secs, left = run(script, ["--help"])
    report.record(f"{name} --help", code == 0 and "usage:" in out and not left,
                  f"exit {code}" + (f"; left behind: {left}" if left else ""))

    code, out, err, secs, left = run(script, bad)
    lines = err.splitlines()
    ok = code == 2 and len(lines) == 1 and lines[0].startswith("error: ") and not left
    report.record(f"{name} (bad flag)", ok, f"{' '.join(bad)} -> exit {code}, stderr {lines!r}")

