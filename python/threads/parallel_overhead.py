"""parallel_overhead: from which N does a process pool beat a serial loop?

Python twin of the Rust lesson `parallel_overhead` (examples-threads), after tutorial 001, which
timed Pool.map over `range(10, N)` at two sizes: at N = 5,000,000 the pool won, at N = 10,000 it
lost badly (0.38 s against 0.005 s), because starting worker processes and pickling the data
costs more than taking ten thousand square roots. This twin walks N up in powers of ten
(10,000, 100,000, 1,000,000, ... up to --max-n, plus --max-n itself) and prints the crossover:
the first N from which the pool is faster at every size measured.

The pool's time includes creating and closing the pool, as in the tutorial: a script that
parallelizes one loop pays that start-up every time. With --repeat R each size is timed R times
and the best time is kept.

Run: python3 python/threads/parallel_overhead.py [--max-n N] [--repeat R]
"""

import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    ArgumentParser, Checks, Table, cores, header, human, int_in, root, say,
)

SMALLEST_N = 10_000


def sizes(max_n):
    """10,000, 100,000, ... up to max_n, and max_n itself if it is not a power of ten."""
    out = []
    n = SMALLEST_N
    while n <= max_n:
        out.append(n)
        n *= 10
    if out[-1] != max_n:
        out.append(max_n)
    return out


# ANCHOR: core
def serial_roots(n):
    result = []
    for x in range(10, n):
        result.append(root(x))
    return result


def pool_roots(n, workers):
    with multiprocessing.Pool(workers) as pool:
        return pool.map(root, range(10, n))
# ANCHOR_END: core


def best_of(repeat, f, *args):
    """The fastest of `repeat` runs, with the result of the last one."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        out = f(*args)
        best = min(best, time.perf_counter() - start)
    return out, best


def crossover(rows):
    """The first N from which the pool won at that size and every larger one, or None."""
    found = None
    for n, serial_s, pool_s in rows:
        if pool_s < serial_s:
            found = found or n
        else:
            found = None
    return found


def main():
    parser = ArgumentParser(
        description="Serial loop vs Pool.map for growing N: where the pool starts to pay.")
    parser.add_argument("--max-n", type=int_in(SMALLEST_N, 100_000_000), default=5_000_000,
                        help=f"largest N to try ({SMALLEST_N}..=100000000, default 5000000)")
    parser.add_argument("--repeat", type=int_in(1, 20), default=1,
                        help="time each size this many times and keep the best (default 1)")
    args = parser.parse_args()

    header("parallel_overhead (Python twin of tutorial 001)")
    workers = cores()
    say(f"square roots of 10..N; serial loop vs Pool({workers}).map, pool start-up included; "
        f"best of {args.repeat}")
    checks = Checks()
    table = Table(["N", "serial", "Pool.map", "pool / serial", "faster"])
    rows = []
    all_equal = True
    for n in sizes(args.max_n):
        serial, serial_s = best_of(args.repeat, serial_roots, n)
        pooled, pool_s = best_of(args.repeat, pool_roots, n, workers)
        all_equal = all_equal and pooled == serial
        ratio = pool_s / serial_s
        winner = "pool" if pool_s < serial_s else "serial"
        say(f"N = {n:>11,}: serial {human(serial_s)}, pool {human(pool_s)} -> {winner}")
        table.row([f"{n:,}", human(serial_s), human(pool_s), f"{ratio:.2f}", winner])
        rows.append((n, serial_s, pool_s))
        del serial, pooled

    print()
    print(table)
    paid_from = crossover(rows)
    if paid_from is None:
        say(f"the pool never paid for itself up to N = {args.max_n:,} on {workers} cores")
    else:
        say(f"crossover: the pool is faster from N = {paid_from:,} on {workers} cores")
    checks.check("Pool.map returned exactly the serial results at every N", all_equal)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
