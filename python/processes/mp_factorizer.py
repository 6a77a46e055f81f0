"""mp_factorizer: the naive factorizer spread over N worker processes.

Python twin of the Rust lesson `mp_factorizer` (examples-processes), after Bendersky's
`mp_factorizer`: the sorted list is cut into N equal slices, one process per slice, and each
process puts ONE result dict on a shared `multiprocessing.Queue`; the parent collects N dicts and
only then joins the processes. (`join_deadlock.py` shows why that order matters,
`pool_factorizer.py` what smaller chunks gain.)

Default --count is 600, not the Rust lesson's 20000: CPython's naive factorizer needs 5 to 6 ms
per number on the machine the book was measured on, so 20000 would take about two minutes serially.

Run: python3 python/processes/mp_factorizer.py [--count N] [--procs N] [--seed S]
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
    parser.add_argument("--seed", type=int_in(0, 2**64 - 1), default=DEFAULT_SEED,
                        help=f"seed for the input numbers (default {DEFAULT_SEED})")
    args = parser.parse_args()

    header("mp_factorizer: factoring in worker processes (Python twin)")
    nums = factor_inputs(args.count, args.seed)
    say(f"{len(nums)} numbers (seed {args.seed}), {args.procs} processes, "
        f"started by {multiprocessing.get_start_method()}")

    serial, serial_time = timed(lambda: {n: factorize_naive(n) for n in nums})
    say(f"serial: {human(serial_time)}")
    fixed, static_time = timed(mp_factorizer, nums, args.procs)
    say(f"static chunks: {human(static_time)}")

    table = Table(["variant", "processes", "time", "speed-up"])
    table.row(["serial", "1 (this one)", human(serial_time), "1.00x"])
    table.row(["static chunks, results queue", args.procs, human(static_time),
               speedup(serial_time, static_time)])
    print()
    print(table, end="")
    print("(process times include starting the processes)\n")

    checks = Checks()
    checks.check("every serial result multiplies back to its number",
                 all(factors_multiply_back(n, f) for n, f in serial.items()))
    checks.check("static chunks: same factors as serial", fixed == serial)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
