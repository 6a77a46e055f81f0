"""crash_resilience: a pool worker killed in the middle of a run, and what the caller sees.

Python twin of the Rust lesson `crash_resilience` (examples-processes); beyond the seed
tutorials. One task, half-way through the inputs, SIGKILLs its own worker
(`os.kill(os.getpid(), SIGKILL)`: no exception, no cleanup, the process is simply gone, as after
a crash in native code or a visit from the OOM killer).

* `multiprocessing.Pool` notices the dead worker and starts a replacement, but the task it was
  running is lost and nobody is told: `map` would wait for that result forever (CPython issue
  bpo-22393, gh-66587, still open). So the twin waits with `map_async(...).get(timeout=...)`,
  which raises `multiprocessing.TimeoutError`, and then calls `pool.terminate()`. The same
  with `imap_unordered`: every other result arrives, the victim's never does.
* `concurrent.futures.ProcessPoolExecutor` does the opposite: it notices the death and fails
  the victim AND every other unfinished future with `BrokenProcessPool`, and refuses new work.
* The Rust pool (for contrast) reports an error for exactly the lost task, replaces the worker
  and finishes the rest.

Every wait has a timeout, so the lesson ends on its own in a few seconds and leaves no child
process behind.

Run: python3 python/processes/crash_resilience.py [--tasks N] [--task-ms MS] [--workers N]
     [--grace-ms MS]
"""

import functools
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in, say  # noqa: E402


# ANCHOR: task
def slow_square(x, task_ms, victim):
    """Square `x` slowly; the task whose input is `victim` kills its own worker instead."""
    if x == victim:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(task_ms / 1000)
    return x * x
# ANCHOR_END: task


def worker_pids():
    return sorted(p.pid for p in multiprocessing.active_children())


# ANCHOR: map_async
def with_pool_map_async(task, inputs, workers, wait):
    """map_async + get(timeout): returns (what the caller saw, pids before, pids after)."""
    pool = multiprocessing.Pool(workers)
    try:
        before = worker_pids()
        say(f"Pool: {workers} workers, PIDs {before}")
        result = pool.map_async(task, inputs, chunksize=1)
        try:
            result.get(timeout=wait)
            saw = "the whole result (unexpected)"
        except multiprocessing.TimeoutError:
            saw = f"TimeoutError after {human(wait)}"
        after = worker_pids()
        say(f"  map_async(...).get(timeout={wait:.1f}) -> {saw}; ready() is {result.ready()}")
        say(f"  workers now: PIDs {after} (the pool replaced the dead one, "
            f"but not the task it was running)")
        return saw, before, after, result.ready()
    finally:
        pool.terminate()  # the only way out: close() + join() would wait forever
        pool.join()
# ANCHOR_END: map_async


def with_pool_imap_unordered(task, inputs, workers, wait):
    """imap_unordered + next(timeout): returns the results that did arrive, and what ended it."""
    got = {}
    with multiprocessing.Pool(workers) as pool:  # leaving the block calls terminate()
        it = pool.imap_unordered(functools.partial(pair, task), inputs, chunksize=1)
        deadline = time.monotonic() + wait
        saw = "every result"
        while len(got) < len(inputs):
            try:
                x, y = it.next(timeout=max(deadline - time.monotonic(), 0.01))
            except multiprocessing.TimeoutError:
                saw = f"TimeoutError with {len(inputs) - len(got)} result(s) missing"
                break
            got[x] = y
    say(f"  imap_unordered: {len(got)} of {len(inputs)} results arrived, then {saw}")
    return got, saw


def pair(task, x):
    return x, task(x)


def with_process_pool_executor(task, inputs, workers, wait):
    """submit() each input; returns {x: result}, {x: error text} and whether new work is refused."""
    done, broken = {}, {}
    executor = ProcessPoolExecutor(max_workers=workers)
    try:
        futures = {x: executor.submit(task, x) for x in inputs}
        for x, f in futures.items():
            try:
                done[x] = f.result(timeout=wait)
            except BrokenProcessPool as err:
                broken[x] = str(err)
        try:
            executor.submit(task, 0)
            refused = None
        except BrokenProcessPool as err:
            refused = str(err)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return done, broken, refused


def main():
    parser = ArgumentParser(description="Kill a pool worker mid-run and see what each pool does.")
    parser.add_argument("--tasks", type=int_in(8, 10_000), default=24,
                        help="tasks to run (8..=10000, default 24)")
    parser.add_argument("--task-ms", type=int_in(1, 5_000), default=50,
                        help="how long each task takes, in milliseconds (default 50)")
    parser.add_argument("--workers", type=int_in(1, 16), default=2,
                        help="worker processes (1..=16, default 2)")
    parser.add_argument("--grace-ms", type=int_in(100, 60_000), default=1_500,
                        help="how long to wait beyond the tasks' expected running time before "
                             "giving up on a result (default 1500)")
    args = parser.parse_args()

    header("crash_resilience: a worker killed mid-run (Python twin)")
    inputs = list(range(args.tasks))
    victim = args.tasks // 2
    task = functools.partial(slow_square, task_ms=args.task_ms, victim=victim)
    expected_s = args.tasks * args.task_ms / 1000 / args.workers
    wait = expected_s + args.grace_ms / 1000
    say(f"{args.tasks} tasks of {args.task_ms} ms on {args.workers} workers "
        f"(about {human(expected_s)} of work); task {victim} SIGKILLs its own worker")

    start = time.perf_counter()
    saw_map, before, after, ready = with_pool_map_async(task, inputs, args.workers, wait)
    map_time = time.perf_counter() - start

    start = time.perf_counter()
    got, saw_imap = with_pool_imap_unordered(task, inputs, args.workers, wait)
    imap_time = time.perf_counter() - start

    say("ProcessPoolExecutor, one submit() per task:")
    start = time.perf_counter()
    done, broken, refused = with_process_pool_executor(task, inputs, args.workers, wait)
    ppe_time = time.perf_counter() - start
    first_error = next(iter(broken.values()), "none")
    say(f"  {len(done)} futures completed, {len(broken)} raised BrokenProcessPool: {first_error}")
    say(f"  a new submit() afterwards raised BrokenProcessPool: {refused}")
    leftover = multiprocessing.active_children()

    table = Table(["pool", "tasks", "results", "lost", "what the caller saw", "time"])
    table.row(["Pool.map_async, chunksize 1", args.tasks, 0, args.tasks, saw_map,
               human(map_time)])
    table.row(["Pool.imap_unordered, chunksize 1", args.tasks, len(got), args.tasks - len(got),
               saw_imap, human(imap_time)])
    table.row(["ProcessPoolExecutor.submit", args.tasks, len(done), len(broken),
               f"BrokenProcessPool x {len(broken)}", human(ppe_time)])
    print()
    print(table)

    checks = Checks()
    checks.check("Pool: map_async(...).get(timeout) raised TimeoutError (map would hang forever)",
                 saw_map.startswith("TimeoutError") and not ready)
    checks.check("Pool: the killed worker was replaced by a new process",
                 len(before) == args.workers and len(after) == args.workers
                 and len(set(after) - set(before)) == 1)
    checks.check("Pool: every other task's result arrived, right; only the victim's never did",
                 sorted(got) == [x for x in inputs if x != victim]
                 and all(y == x * x for x, y in got.items()))
    checks.check("ProcessPoolExecutor: the victim's future raised BrokenProcessPool",
                 victim in broken)
    checks.check("ProcessPoolExecutor: the futures that completed are right, and the rest broke",
                 all(y == x * x for x, y in done.items())
                 and sorted(list(done) + list(broken)) == inputs)
    checks.check("ProcessPoolExecutor: a broken executor refuses new work", refused is not None)
    checks.check("no child process was left behind", not leftover)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
