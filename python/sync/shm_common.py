"""What the three shared-memory twins share: start workers together and time their loops.

Each worker waits on one `Event`, so all start together (like the Rust workers' go flag), times
its own loop and writes the seconds into a shared array; the run's time is the slowest worker's,
process start-up excluded, which is what the Rust lessons report too.
"""

import multiprocessing
import time


def timed_worker(work, go, times, index, args):
    go.wait()
    start = time.perf_counter()
    work(*args)
    times[index] = time.perf_counter() - start


def run_together(work, args_per_worker):
    """Runs `work(*args)` in one process per args tuple; returns the slowest loop's seconds."""
    go = multiprocessing.Event()
    times = multiprocessing.Array("d", len(args_per_worker), lock=False)
    procs = [multiprocessing.Process(target=timed_worker, args=(work, go, times, i, args))
             for i, args in enumerate(args_per_worker)]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join()
    if any(p.exitcode != 0 for p in procs):
        raise RuntimeError(f"a worker failed: exit codes {[p.exitcode for p in procs]}")
    return max(times)
