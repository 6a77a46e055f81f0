"""shared_array: an Array of doubles in shared memory, doubled by several processes.

Python twin of the Rust lesson `shared_array` (examples-sync). The tutorial fills a
`multiprocessing.Array('d', [1.0, 2.0, 3.0])` and has four processes double every cell with no
lock; here several processes double it three ways: every worker doubling every cell of an Array without a lock (`arr[i] *= 2` reads,
then writes: doublings get lost), every worker doubling every cell under the Array's lock
(exact), and each worker doubling its own disjoint slice (exact, no lock needed). Every cell is
checked.

Run: python3 python/sync/shared_array.py [--workers N] [--len N]
"""

import math
import multiprocessing
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402
from shm_common import run_together  # noqa: E402


def initial(i):
    return float(i % 1000 + 1)


# ANCHOR: core
def double_all_unlocked(arr, lo, hi):
    for i in range(lo, hi):
        arr[i] *= 2  # read, multiply, write: another process can write in between


def double_all_locked(arr, lo, hi):
    for i in range(lo, hi):
        with arr.get_lock():
            arr[i] *= 2


VARIANTS = [
    # name, worker function, the Array has a lock, every worker takes the whole array
    ("overlapping, no lock", double_all_unlocked, False, True),
    ("overlapping, with get_lock()", double_all_locked, True, True),
    ("one disjoint slice each", double_all_unlocked, False, False),
]
# ANCHOR_END: core


def slice_of(worker, workers, n):
    per = -(-n // workers)
    return min(worker * per, n), min((worker + 1) * per, n)


def doublings(value, i):
    """How many times cell i was doubled, or None if it holds anything else."""
    ratio = value / initial(i)
    exponent = math.log2(ratio) if ratio > 0 else -1
    return int(exponent) if exponent == int(exponent) else None


def main():
    parser = ArgumentParser(description="An Array of doubles, doubled by several processes.")
    parser.add_argument("--workers", type=int_in(1, 16), default=4,
                        help="worker processes (1..=16, default 4)")
    parser.add_argument("--len", type=int_in(1, 10_000_000), default=100_000,
                        help="how many cells the array holds (default 100000)")
    args = parser.parse_args()
    workers, n = args.workers, args.len
    header("shared_array (Python twin)")
    print(f"{n} cells holding 1.0, 2.0, ..., 1000.0 over and over; {workers} worker processes")
    checks = Checks()
    table = Table(["variant", "doublings per cell", "wrong cells", "time"])
    for name, work, locked, overlapping in VARIANTS:
        arr = multiprocessing.Array("d", [initial(i) for i in range(n)], lock=locked)
        ranges = [(0, n) if overlapping else slice_of(w, workers, n) for w in range(workers)]
        seconds = run_together(work, [(arr, lo, hi) for lo, hi in ranges])
        want = workers if overlapping else 1
        times = [doublings(v, i) for i, v in enumerate(arr[:])]
        wrong = sum(1 for t in times if t != want)
        checks.check(f"{name}: every cell doubled 1 to {want} times, nothing else",
                     all(t is not None and 1 <= t <= want for t in times))
        if locked or not overlapping:
            checks.check(f"{name}: every cell doubled exactly {want} times", wrong == 0)
        table.row([name, want, f"{wrong} ({100 * wrong / n:.1f}%)", human(seconds)])
    print()
    print(table)
    print("(time: from the common start to the slowest worker's last cell)")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
