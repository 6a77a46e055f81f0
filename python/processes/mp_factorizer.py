"""mp_factorizer: the naive factorizer spread over N worker processes.

Python twin of the Rust lesson `mp_factorizer` (examples-processes), after tutorial 000's
`mp_factorizer`:

* static chunks: the sorted list is cut into N equal slices, one process per slice, and each
  process puts ONE result dict on a shared `multiprocessing.Queue`; the parent collects N dicts
  and only then joins the processes;
* why that order: a child that has put a large object on a queue cannot exit until the object
  has gone through the pipe (the queue's feeder thread is joined at exit), so a parent that
  joins before it reads waits for a child that waits for it. Shown safely: the child factors
  2..--demo-n and puts it all in one dict, tells the parent (an Event) that its work is done,
  and the parent calls `join(timeout=1)`: the child is still alive, blocked on the full pipe.
  Then the parent drains the queue and the join succeeds at once;
* a dynamic variant: `Pool.imap_unordered` with small chunks, so a worker that finishes early
  takes more work instead of idling (the sorted input makes equal slices unequal work, the
  load imbalance tutorial 000 mentions at the end).

Default --count is 600, not the Rust lesson's 20000: CPython's naive factorizer needs 5 to 6 ms
per number on the machine the book was measured on, so 20000 would take about two minutes serially.

Run: python3 python/processes/mp_factorizer.py [--count N] [--procs N] [--chunksize N]
     [--seed S] [--demo-n N]
"""

import math
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    DEFAULT_SEED, ArgumentParser, Checks, Table, factor_inputs, factorize_naive,
    factors_multiply_back, header, human, int_in, say, speedup,
)


# ANCHOR: mp_factorizer
def worker(nums, out_q):
    """The tutorial's worker: factor a chunk, put one dict of results on the shared queue."""
    outdict = {}
    for n in nums:
        outdict[n] = factorize_naive(n)
    out_q.put(outdict)


def mp_factorizer(nums, nprocs):
    out_q = multiprocessing.Queue()
    chunksize = int(math.ceil(len(nums) / float(nprocs)))
    procs = []
    for i in range(nprocs):
        p = multiprocessing.Process(target=worker,
                                    args=(nums[chunksize * i:chunksize * (i + 1)], out_q))
        procs.append(p)
        p.start()
    # Collect all results first: we know how many dicts to expect...
    resultdict = {}
    for _ in range(nprocs):
        resultdict.update(out_q.get())
    # ...and only then wait for the processes, which can all exit now that their output is read.
    for p in procs:
        p.join()
    return resultdict
# ANCHOR_END: mp_factorizer


# ANCHOR: dynamic
def factor_pair(n):
    return n, factorize_naive(n)


def pool_factorizer(nums, nprocs, chunksize):
    with multiprocessing.Pool(nprocs) as pool:
        return dict(pool.imap_unordered(factor_pair, nums, chunksize=chunksize))
# ANCHOR_END: dynamic


def demo_worker(nums, out_q, done):
    worker(nums, out_q)
    done.set()  # the work is finished and put() has returned: all that is left is to exit


# ANCHOR: deadlock
def join_before_draining(demo_n):
    """Join first (with a timeout), see the child stuck, then drain and join for real."""
    out_q = multiprocessing.Queue()
    done = multiprocessing.Event()
    p = multiprocessing.Process(target=demo_worker, args=(range(2, demo_n), out_q, done))
    p.start()
    done.wait(timeout=120)
    p.join(timeout=1)
    stuck = p.is_alive()
    say(f"  join(timeout=1) before reading: child {p.pid} "
        f"{'is still alive, blocked writing its result into the pipe' if stuck else 'had exited'}")
    start = time.perf_counter()
    outdict = out_q.get(timeout=120)  # the fix: drain first
    p.join(timeout=30)
    say(f"  after draining {len(outdict)} results: child exited with exitcode {p.exitcode} "
        f"({human(time.perf_counter() - start)} to read and join)")
    if p.is_alive():  # never expected; do not leave it behind
        p.kill()
        p.join()
    return stuck, len(outdict), p.exitcode
# ANCHOR_END: deadlock


def timed(f, *args):
    start = time.perf_counter()
    out = f(*args)
    return out, time.perf_counter() - start


def main():
    parser = ArgumentParser(
        description="Factor numbers in N processes: static chunks, a results queue, "
                    "join after draining.")
    parser.add_argument("--count", type=int_in(1, 1_000_000), default=600,
                        help="how many numbers to factor (default 600)")
    parser.add_argument("--procs", type=int_in(1, 64), default=2,
                        help="worker processes (1..=64, default 2)")
    parser.add_argument("--chunksize", type=int_in(1, 100_000), default=16,
                        help="numbers per message in the dynamic variant (default 16)")
    parser.add_argument("--seed", type=int_in(0, 2**64 - 1), default=DEFAULT_SEED,
                        help=f"seed for the input numbers (default {DEFAULT_SEED})")
    parser.add_argument("--demo-n", type=int_in(1_000, 5_000_000), default=200_000,
                        help="the deadlock demo's child factors 2..N and sends it all back "
                             "in one message (default 200000)")
    args = parser.parse_args()

    header("mp_factorizer: factoring in worker processes (Python twin of tutorial 000)")
    nums = factor_inputs(args.count, args.seed)
    say(f"{len(nums)} numbers (seed {args.seed}), {args.procs} processes, "
        f"started by {multiprocessing.get_start_method()}")

    serial, serial_time = timed(lambda: {n: factorize_naive(n) for n in nums})
    say(f"serial: {human(serial_time)}")
    fixed, static_time = timed(mp_factorizer, nums, args.procs)
    say(f"static chunks: {human(static_time)}")
    dynamic, dynamic_time = timed(pool_factorizer, nums, args.procs, args.chunksize)
    say(f"dynamic pool: {human(dynamic_time)}")
    say(f"deadlock demo: a child puts the factors of 2..{args.demo_n} on a queue in one dict")
    stuck, got, code = join_before_draining(args.demo_n)

    table = Table(["variant", "processes", "time", "speed-up"])
    table.row(["serial", "1 (this one)", human(serial_time), "1.00x"])
    table.row(["static chunks, results queue", args.procs, human(static_time),
               speedup(serial_time, static_time)])
    table.row([f"dynamic: Pool.imap_unordered, chunks of {args.chunksize}", args.procs,
               human(dynamic_time), speedup(serial_time, dynamic_time)])
    print()
    print(table, end="")
    print("(process times include starting the processes)\n")

    checks = Checks()
    checks.check("every serial result multiplies back to its number",
                 all(factors_multiply_back(n, f) for n, f in serial.items()))
    checks.check("static chunks: same factors as serial", fixed == serial)
    checks.check("dynamic pool: same factors as serial", dynamic == serial)
    checks.check("joining first: the child could not exit while its output was unread", stuck)
    checks.check("draining first: every result arrived and the child exited 0",
                 got == args.demo_n - 2 and code == 0)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
