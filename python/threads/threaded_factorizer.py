"""threaded_factorizer: the naive factorizer run serially, in threads and in processes.

Python twin of the Rust lesson `threaded_factorizer` (examples-threads), after tutorial 000
(Eli Bendersky's threads-vs-processes benchmark). The same sorted list of large numbers is
factorized

* serially (one dict comprehension),
* by N threads, each given one equal chunk and its own result dict, merged after join()
  (the tutorial's `threaded_factorizer`),
* by N processes, each given one chunk, sending its dict back through a multiprocessing.Queue;
  the parent drains the queue BEFORE joining, as the multiprocessing docs require (the
  tutorial's `mp_factorizer`).

CPU-bound Python threads take turns holding the GIL, so they run no faster than serial (the
tutorial measured them slower); processes each have their own interpreter and GIL, so they use
every core. In Rust the threads alone scale: that is the comparison the book makes.

Default --count is 600, not the Rust lesson's 12000: the naive factorizer takes about 4.5 ms per
number in CPython on the machine the book was measured on, so 12000 numbers would take about a
minute per serial pass and several minutes for the whole table. Pass --count 12000 to run exactly
the Rust input.

Run: python3 python/threads/threaded_factorizer.py [--count N] [--threads 1,2,4,8] [--seed S]
"""

import math
import multiprocessing
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    DEFAULT_SEED, ArgumentParser, Checks, Table, factor_inputs, factorize_naive,
    factors_multiply_back, header, human, int_in, int_list_in, say, speedup,
)


def serial_factorizer(nums):
    return {n: factorize_naive(n) for n in nums}


def chunks(nums, workers):
    """The tutorial's split: `workers` slices of ceil(len / workers) numbers.

    The last slice may be shorter, or even empty when there are more workers than numbers.
    """
    size = max(1, math.ceil(len(nums) / workers))
    return [nums[size * i:size * (i + 1)] for i in range(workers)]


# ANCHOR: threads
def thread_worker(nums, outdict):
    # Runs in a thread: it shares the parent's memory, so it can fill a dict the parent owns.
    for n in nums:
        outdict[n] = factorize_naive(n)


def threaded_factorizer(nums, nthreads):
    outs = [{} for _ in range(nthreads)]
    threads = [threading.Thread(target=thread_worker, args=(chunk, out), name=f"factor-{i}")
               for i, (chunk, out) in enumerate(zip(chunks(nums, nthreads), outs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {n: f for out in outs for n, f in out.items()}
# ANCHOR_END: threads


# ANCHOR: processes
def process_worker(nums, out_q):
    # Runs in a child process: its dict lives in the child's memory, so it must be sent back
    # (pickled through the queue) for the parent to see it.
    out_q.put({n: factorize_naive(n) for n in nums})


def mp_factorizer(nums, nprocs):
    out_q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=process_worker, args=(chunk, out_q))
             for chunk in chunks(nums, nprocs)]
    for p in procs:
        p.start()
    # Drain first: a child that has put a large item on the queue does not exit until the item
    # has been read, so joining before reading can wait forever.
    result = {}
    for _ in procs:
        result.update(out_q.get())
    for p in procs:
        p.join()
    return result
# ANCHOR_END: processes


def noun(variant, workers):
    """`1 thread`, `2 threads`, `1 process`, `2 processes`."""
    if workers == 1:
        return {"threads": "thread", "processes": "process"}[variant]
    return variant


def timed(f, *args):
    start = time.perf_counter()
    out = f(*args)
    return out, time.perf_counter() - start


def main():
    parser = ArgumentParser(description="Factorize a list serially, in threads and in processes.")
    parser.add_argument("--count", type=int_in(1, 1_000_000), default=600,
                        help="how many numbers to factorize (default 600)")
    parser.add_argument("--threads", type=int_list_in(1, 64), default=[1, 2, 4, 8],
                        help="comma-separated worker counts to try (each 1..=64, default 1,2,4,8)")
    parser.add_argument("--seed", type=int_in(0, 2**64 - 1), default=DEFAULT_SEED,
                        help=f"seed for the input list (default {DEFAULT_SEED})")
    args = parser.parse_args()

    header("threaded_factorizer (Python twin of tutorial 000)")
    nums = factor_inputs(args.count, args.seed)
    say(f"{len(nums)} numbers from {nums[0]} to {nums[-1]} (seed {args.seed}); "
        f"processes start by {multiprocessing.get_start_method()}")
    checks = Checks()
    table = Table(["variant", "workers", "time", "speedup vs serial"])

    expected, base = timed(serial_factorizer, nums)
    say(f"serial: {human(base)}")
    table.row(["serial", 1, human(base), speedup(base, base)])

    results = []
    for variant, run in (("threads", threaded_factorizer), ("processes", mp_factorizer)):
        for workers in args.threads:
            got, seconds = timed(run, nums, workers)
            say(f"{workers} {noun(variant, workers)}: {human(seconds)} "
                f"({speedup(base, seconds)} vs serial)")
            table.row([variant, workers, human(seconds), speedup(base, seconds)])
            results.append((variant, workers, got))

    print()
    print(table)
    checks.check("every factor list multiplies back to its number",
                 all(factors_multiply_back(n, f) for n, f in expected.items()))
    for variant, workers, got in results:
        checks.check(f"{workers} {noun(variant, workers)}: same answers as serial", got == expected)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
