"""The tutorial's `__main__` guard ("Python multiprocessing: True Parallelism", "Common Pitfalls and
Best Practices"), as a program: a pool maps `work` under the guard, with the "spawn" start method
(Windows' and macOS's default), whose workers import this file afresh. The top-level print runs in
every process; the guarded block only in the parent.

Then (ours) the same program without the guard, for 5 seconds. The tutorial says that gives
"infinite process spawning". What happens: each worker, importing the file, tries to start a pool
of its own; Python refuses with a RuntimeError and the worker dies; the pool starts a replacement,
which dies the same way, for ever. `map` never returns.
"""

import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile

print(f"process {os.getpid()} runs the top of the file")


def work(x):
    return x * x


UNGUARDED = """
import multiprocessing, os
def work(x):
    return x * x
print(f"process {os.getpid()} starts a pool", flush=True)
with multiprocessing.get_context("spawn").Pool(2) as pool:
    print(pool.map(work, range(5)))
"""

if __name__ == "__main__":
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.map(work, range(5))
    print(f"guarded: {results}")
    assert results == [0, 1, 4, 9, 16], "wrong squares"

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "unguarded.py")  # spawn re-imports a file, so it needs one
        with open(path, "w") as f:
            f.write(UNGUARDED)
        run = subprocess.Popen([sys.executable, path], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = run.communicate(timeout=5)
            raise SystemExit(f"the unguarded program ended: {out}")
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)  # the parent and every worker it started
            out, err = run.communicate()
    starts, refusals = out.count("starts a pool"), err.count("\nRuntimeError:")
    print(f"unguarded, stopped after 5 s: {starts} processes started a pool, "
          f"{refusals} RuntimeErrors, no result")
    assert starts > 2 and refusals > 0, "the unguarded program did not loop"
