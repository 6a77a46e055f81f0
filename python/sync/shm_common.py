"""What the three shared-memory twins share: start workers, release them at once, time loops.

Each worker waits on one `Event`, which the parent sets as soon as it has started them all, so no
worker begins before the last one has been forked. That is weaker than the Rust lessons' start-up,
where every worker reports that it is awake before any of them begins: a Python worker that the
scheduler runs late can still start after the others have finished, one reason Python's races
overlap less. Each worker times its own loop and writes the seconds into a shared array; the
run's time is the slowest loop, process start-up excluded, which is what the Rust lessons report
too.
"""

import multiprocessing
import time

RUN_TIMEOUT = 60.0  # seconds: how long the workers may take in all before they are killed


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
    go.set()  # every worker exists now; not every one is running yet
    deadline = time.monotonic() + RUN_TIMEOUT
    for p in procs:
        p.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = [p for p in procs if p.is_alive()]
    for p in stuck:
        p.kill()
        p.join()
    if stuck:
        raise RuntimeError(f"workers {[p.pid for p in stuck]} still ran after {RUN_TIMEOUT} s")
    if any(p.exitcode != 0 for p in procs):
        raise RuntimeError(f"a worker failed: exit codes {[p.exitcode for p in procs]}")
    return max(times)
