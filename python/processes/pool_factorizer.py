"""pool_factorizer: one chunk per worker vs small chunks, in a process pool.

Python twin of the Rust lesson `pool_factorizer` (examples-processes), after the closing remark
of Bendersky's article that the work "isn't evenly divided between sub-processes". The input is
sorted, so equal slices are unequal work: the process with the last slice finishes last while the
others idle. `Pool.imap_unordered` with small chunks hands out more work to whichever worker is
free. Both runs use a pool and differ only in the chunk size: ceil(count / procs), one chunk per
worker, is `mp_factorizer`'s static split; --chunksize (default 16) is the dynamic one.

Default --count is 600, not the Rust lesson's 20000: CPython's naive factorizer needs 5 to 6 ms
per number on the machine the book was measured on.

Run: python3 python/processes/pool_factorizer.py [--count N] [--procs N] [--chunksize N] [--seed S]
"""

import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    DEFAULT_SEED, ArgumentParser, Checks, Table, factor_inputs, factorize_naive, header, human,
    int_in, say, speedup,
)


# ANCHOR: pool_factorizer
def factor_pair(n):
    return n, factorize_naive(n)


def pool_factorizer(nums, nprocs, chunksize):
    with multiprocessing.Pool(nprocs) as pool:
        return dict(pool.imap_unordered(factor_pair, nums, chunksize=chunksize))
# ANCHOR_END: pool_factorizer


def timed(f, *args):
    start = time.perf_counter()
    out = f(*args)
    return out, time.perf_counter() - start


def main():
    parser = ArgumentParser(
        description="A process pool with one chunk per worker vs small chunks, on skewed work.")
    parser.add_argument("--count", type=int_in(1, 1_000_000), default=600,
                        help="how many numbers to factor (default 600)")
    parser.add_argument("--procs", type=int_in(1, 64), default=2,
                        help="worker processes (1..=64, default 2)")
    parser.add_argument("--chunksize", type=int_in(1, 100_000), default=16,
                        help="numbers per message in the dynamic run (default 16)")
    parser.add_argument("--seed", type=int_in(0, 2**64 - 1), default=DEFAULT_SEED,
                        help=f"seed for the input numbers (default {DEFAULT_SEED})")
    args = parser.parse_args()

    header("pool_factorizer: static chunks vs small chunks in a process pool (Python twin)")
    nums = factor_inputs(args.count, args.seed)
    one_per_worker = -(-len(nums) // args.procs)
    say(f"{len(nums)} numbers (seed {args.seed}), sorted ascending; a pool of {args.procs} "
        f"processes, started by {multiprocessing.get_start_method()}")

    serial, serial_time = timed(lambda: {n: factorize_naive(n) for n in nums})
    say(f"serial: {human(serial_time)}")
    table = Table(["variant", "chunk size", "messages", "time", "speed-up"])
    table.row(["serial", "-", "-", human(serial_time), "1.00x"])
    checks = Checks()
    for variant, chunksize in (("static: one chunk per worker", one_per_worker),
                               ("dynamic: small chunks", args.chunksize)):
        factored, took = timed(pool_factorizer, nums, args.procs, chunksize)
        say(f"{variant}: {human(took)}")
        checks.check(f"{variant}: same factors as serial", factored == serial)
        table.row([variant, chunksize, -(-len(nums) // chunksize), human(took),
                   speedup(serial_time, took)])
    print()
    print(table, end="")
    print("(pool times include starting and stopping the workers)")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
