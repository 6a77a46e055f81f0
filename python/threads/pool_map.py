"""pool_map: Pool.map over a range against a plain serial loop.

Python twin of the Rust lesson `pool_map` (examples-threads), after tutorial 001: a pool of
worker processes applies a function (a square root) to every number in `range(10, n)` and hands
the results back in input order. Pool.map cuts the range into chunks (by default about four per
worker), pickles each chunk to a worker and the results back, and the parent does its half of
that pickling under its own GIL. A square root is so cheap that the shipping costs more than the
work: the tutorial's laptop saw the pool win at n = 5,000,000 (1.64 s against 2.74 s), but with
CPython 3.11's faster serial loop on two cores the pool can lose. The twin prints what the
pickling alone costs, so the reason is on screen. The Rust version with rayon shares memory and
pickles nothing.

The pool's time includes starting and stopping the pool, as the tutorial measured it.

Run: python3 python/threads/pool_map.py [--n N] [--workers W]
"""

import math
import multiprocessing
import os
import pickle
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    ArgumentParser, Checks, Table, cores, header, human, int_in, root, say, speedup,
)


# ANCHOR: core
def serial_roots(n):
    """The tutorial's serial version: a loop that appends."""
    result = []
    for x in range(10, n):
        result.append(root(x))
    return result


def pool_roots(n, workers):
    with multiprocessing.Pool(workers) as pool:
        return pool.map(root, range(10, n))
# ANCHOR_END: core


def main():
    parser = ArgumentParser(description="Pool.map(root, range(10, n)) against a serial loop.")
    parser.add_argument("--n", type=int_in(11, 100_000_000), default=5_000_000,
                        help="take square roots of 10..n (default 5000000)")
    parser.add_argument("--workers", type=int_in(1, 64), default=cores(),
                        help=f"pool size (1..=64, default: cores = {cores()})")
    args = parser.parse_args()

    header("pool_map (Python twin of tutorial 001)")
    items = args.n - 10
    default_chunk = math.ceil(items / (args.workers * 4))
    say(f"{items} square roots; Pool({args.workers}).map sends them in chunks of "
        f"{default_chunk} (its default: len / (4 * workers), rounded up)")
    checks = Checks()

    start = time.perf_counter()
    parallel = pool_roots(args.n, args.workers)
    pooled = time.perf_counter() - start
    say(f"pool of {args.workers}: {human(pooled)} (start-up included)")

    start = time.perf_counter()
    serial = serial_roots(args.n)
    base = time.perf_counter() - start
    say(f"serial loop: {human(base)}")

    # Pool.map pickles every argument in the parent and unpickles every result there too, in
    # the parent's own threads, under the parent's GIL. Time that shipping alone, once.
    start = time.perf_counter()
    pickle.loads(pickle.dumps(list(range(10, args.n))))
    pickle.loads(pickle.dumps(serial))
    shipping = time.perf_counter() - start
    say(f"pickling the inputs and the results once, with no work at all: {human(shipping)} "
        f"({shipping / base:.0%} of the serial loop)")

    table = Table(["approach", "workers", "time", "speedup"])
    table.row(["serial loop", 1, human(base), speedup(base, base)])
    table.row(["Pool.map", args.workers, human(pooled), speedup(base, pooled)])
    print()
    print(table)

    checks.check(f"both produced {items} results", len(parallel) == len(serial) == items)
    checks.check("Pool.map kept the input order: results equal the serial list", parallel == serial)
    checks.check("first and last values are sqrt(10) and sqrt(n - 1)",
                 parallel[0] == math.sqrt(10) and parallel[-1] == math.sqrt(args.n - 1))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
