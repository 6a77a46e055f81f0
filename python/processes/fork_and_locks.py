"""fork_and_locks: why a library's lock and `fork` do not mix, and why `spawn` is safe.

Not a twin: the Python side of the processes chapter's "Other libraries and fork" section. A
helper thread stands for any library that works in the background (a logging handler, a
connection pool, a BLAS thread pool): it holds its lock for a moment, again and again. The main
thread then starts a child that uses the same library, once with the `fork` start method and once
with `spawn`. `fork` copies the memory, the lock's "held" state included, but not the thread that
would release it, so a child forked at the wrong moment waits forever. Each child gets a deadline
and is killed if it misses it; the script reports how many of its forked children hung.

Run: python3 python/processes/fork_and_locks.py [--children N]
"""

import multiprocessing
import os
import sys
import threading
import time
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

library_lock = threading.Lock()  # the library's own lock, taken inside its calls
DEADLINE = 2.0  # seconds a child gets to take the lock once


def background_work(stop):
    """The library's background thread: holds its lock most of the time, as a busy one does."""
    while not stop.is_set():
        with library_lock:
            time.sleep(0.002)
        time.sleep(0.0001)


def use_library():
    with library_lock:  # in a forked child, possibly copied in the "held" state
        pass


def hung_children(method, children):
    context = multiprocessing.get_context(method)
    hung = 0
    for _ in range(children):
        p = context.Process(target=use_library)
        p.start()
        p.join(DEADLINE)
        if p.is_alive():  # still waiting for a lock nobody will release
            hung += 1
            p.kill()
            p.join()
    return hung


def main():
    parser = ArgumentParser(description="fork copies a held lock without its owner; spawn does not.")
    parser.add_argument("--children", type=int_in(1, 50), default=5,
                        help="children per start method (default 5)")
    args = parser.parse_args()
    header("fork_and_locks: a library's lock across fork and spawn")
    # Python 3.12 warns about exactly this (fork with other threads running); the point here is
    # to see it happen, so the warning is silenced.
    warnings.simplefilter("ignore", DeprecationWarning)
    stop = threading.Event()
    worker = threading.Thread(target=background_work, args=(stop,), daemon=True)
    worker.start()
    results = {}
    for method in ("fork", "spawn"):
        start = time.perf_counter()
        results[method] = hung_children(method, args.children)
        say(f"{method:>5}: {results[method]} of {args.children} children hung on the library's "
            f"lock (each killed after {DEADLINE:.0f} s); {time.perf_counter() - start:.1f} s")
    stop.set()
    worker.join()
    checks = Checks()
    checks.check("every spawned child took the lock (a fresh interpreter, a fresh lock)",
                 results["spawn"] == 0)
    checks.check("at least one forked child inherited the lock held and hung",
                 results["fork"] > 0)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
