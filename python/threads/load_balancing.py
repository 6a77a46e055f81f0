"""load_balancing: static chunks against a shared queue of small tasks, in worker processes.

Python twin of the Rust lesson `load_balancing` (examples-threads), after the closing remark of
tutorial 000: its 8 processes reached only 3.1x on 4 cores partly because "the work isn't evenly
divided between sub-processes. Some numbers are dramatically faster to factorize than others".

The input is the factorizer's sorted list, so equal-length chunks are not equal work: the last
chunk holds the largest numbers. Two ways to hand it to a pool of processes:

* static: Pool.map with chunksize = ceil(len / workers), so each worker gets one slice up front
  (the tutorial's plan); a worker that drew the easy slice finishes early and sits idle;
* dynamic: Pool.imap_unordered with chunksize 1, so a worker asks for the next number whenever
  it is free, and all of them stay busy until the list runs out.

Every task reports which process ran it and how long it took, so the table can show how busy
the busiest and the idlest worker were. Both pool times include starting the pool.

Default --count is 600 rather than the Rust lesson's 12000, to keep CPython's run to seconds
(about 5 ms per number); --count 12000 runs the Rust input.

Run: python3 python/threads/load_balancing.py [--count N] [--workers W] [--seed S]
"""

import math
import multiprocessing
import os
import sys
import time
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    DEFAULT_SEED, ArgumentParser, Checks, Table, cores, factor_inputs, factorize_naive,
    factors_multiply_back, header, human, int_in, say, speedup,
)


# ANCHOR: core
def factor_task(n):
    """One number, plus who factorized it and how long it took."""
    start = time.perf_counter()
    factors = factorize_naive(n)
    return n, factors, os.getpid(), time.perf_counter() - start


def static(nums, workers):
    chunksize = max(1, math.ceil(len(nums) / workers))
    with multiprocessing.Pool(workers) as pool:
        return pool.map(factor_task, nums, chunksize=chunksize), chunksize


def dynamic(nums, workers, chunksize=1):
    with multiprocessing.Pool(workers) as pool:
        return list(pool.imap_unordered(factor_task, nums, chunksize=chunksize)), chunksize
# ANCHOR_END: core


def busy_times(tasks, workers):
    """Seconds each worker process spent factorizing, busiest first (idle workers count as 0)."""
    busy = defaultdict(float)
    for _, _, pid, seconds in tasks:
        busy[pid] += seconds
    times = sorted(busy.values(), reverse=True)
    return times + [0.0] * (workers - len(times))


def main():
    parser = ArgumentParser(description="Static chunks vs dynamic tasks in a process pool.")
    parser.add_argument("--count", type=int_in(1, 1_000_000), default=600,
                        help="how many numbers to factorize (default 600)")
    parser.add_argument("--workers", type=int_in(1, 64), default=cores(),
                        help=f"pool size (1..=64, default: cores = {cores()})")
    parser.add_argument("--seed", type=int_in(0, 2**64 - 1), default=DEFAULT_SEED,
                        help=f"seed for the input list (default {DEFAULT_SEED})")
    args = parser.parse_args()

    header("load_balancing (Python twin of tutorial 000's closing remark)")
    nums = factor_inputs(args.count, args.seed)
    say(f"{len(nums)} numbers from {nums[0]} to {nums[-1]} (seed {args.seed}), "
        f"{args.workers} worker processes")
    checks = Checks()

    start = time.perf_counter()
    expected = {n: factorize_naive(n) for n in nums}
    base = time.perf_counter() - start
    say(f"serial: {human(base)}")

    table = Table(["strategy", "chunksize", "time", "speedup", "busiest worker", "idlest worker"])
    table.row(["serial", "-", human(base), speedup(base, base), human(base), "-"])
    outcomes = []
    for name, run in (("static (Pool.map)", static), ("dynamic (imap_unordered)", dynamic)):
        start = time.perf_counter()
        tasks, chunksize = run(nums, args.workers)
        seconds = time.perf_counter() - start
        busy = busy_times(tasks, args.workers)
        say(f"{name}, chunks of {chunksize}: {human(seconds)}; workers busy for "
            + ", ".join(human(b) for b in busy))
        table.row([name, chunksize, human(seconds), speedup(base, seconds),
                   human(busy[0]), human(busy[-1])])
        outcomes.append((name, tasks))

    print()
    print(table)
    checks.check("every serial factor list multiplies back to its number",
                 all(factors_multiply_back(n, f) for n, f in expected.items()))
    for name, tasks in outcomes:
        got = {n: factors for n, factors, _, _ in tasks}
        checks.check(f"{name}: {len(tasks)} answers, all equal to serial",
                     len(tasks) == len(nums) and got == expected)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
