"""bubble_sort_child: a child process bubble-sorts an array and reports the result back.

Python twin of the Rust lesson `bubble_sort_child` (examples-processes), after tutorial 001's
first example, `Process(target=bubble_sort, args=([1,9,4,5,2,6,8,4],))`, whose child only
prints "Array sorted: ...". Here the child also sends the sorted array back through a
`multiprocessing.Pipe`, and the parent checks that it is sorted and holds exactly the numbers
it sent.

The child sorts its own copy: with fork it gets a copy-on-write image of the parent's memory,
with spawn a pickled copy, and either way the parent's list is untouched after the child has
sorted "it" in place. Besides the tutorial's array it sorts `--len` seeded random numbers, the
same ones the Rust lesson draws (SplitMix64, same seed).

Run: python3 python/processes/bubble_sort_child.py [--len N] [--seed S]
"""

import multiprocessing
import os
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    DEFAULT_SEED, ArgumentParser, Checks, SplitMix64, Table, header, human, int_in, say,
)

TUTORIAL_ARRAY = [1, 9, 4, 5, 2, 6, 8, 4]


def bubble_sort(array):
    """Tutorial 001's sort, in place: sweep, swapping neighbours, until a sweep swaps nothing."""
    check = True
    while check:
        check = False
        for i in range(0, len(array) - 1):
            if array[i] > array[i + 1]:
                check = True
                array[i], array[i + 1] = array[i + 1], array[i]


# ANCHOR: core
def sort_in_child(array, conn):
    bubble_sort(array)
    if len(array) <= 20:
        say(f"  child {os.getpid()}: Array sorted: {array}")
    conn.send((os.getpid(), array))  # pickled into the pipe; the parent unpickles a new list
    conn.close()


def sort_in_a_child(array):
    """Start a child on `array`, take its answer, join it: returns (pid, exitcode, sorted)."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    p = multiprocessing.Process(target=sort_in_child, args=(array, sender))
    p.start()
    sender.close()  # the child holds the only sending end now: if it dies, recv() raises EOFError
    try:
        pid, result = receiver.recv()  # read before join: a large array fills the pipe
    except EOFError:
        pid, result = p.pid, None
    p.join()
    return pid, p.exitcode, result
# ANCHOR_END: core


def main():
    parser = ArgumentParser(description="A child process bubble-sorts an array and reports back.")
    parser.add_argument("--len", type=int_in(0, 50_000), default=5_000,
                        help="also sort this many seeded random numbers "
                             "(0: only the tutorial's array; default 5000)")
    parser.add_argument("--seed", type=int_in(0, 2**64 - 1), default=DEFAULT_SEED,
                        help=f"seed for the random array (default {DEFAULT_SEED})")
    args = parser.parse_args()

    header("bubble_sort_child: a child process sorts an array (Python twin of tutorial 001)")
    say(f"parent PID {os.getpid()}; processes start by {multiprocessing.get_start_method()}")
    rng = SplitMix64(args.seed)
    arrays = [("the tutorial's array", list(TUTORIAL_ARRAY))]
    if args.len:
        arrays.append(("seeded random numbers", [rng.below(0, 1_000_000) for _ in range(args.len)]))

    table = Table(["array", "length", "child PID", "exit", "start + sort + join"])
    outcomes = []
    for what, array in arrays:
        before = list(array)
        start = time.perf_counter()
        pid, exitcode, result = sort_in_a_child(array)
        took = time.perf_counter() - start
        table.row([what, len(array), pid, exitcode, human(took)])
        outcomes.append((what, before, array, pid, exitcode, result))
    print()
    print(table)

    checks = Checks()
    for what, before, array, pid, exitcode, result in outcomes:
        checks.check(f"{what}: a child process sorted it, sent it back and exited 0",
                     pid != os.getpid() and exitcode == 0 and result is not None)
        result = result or []
        checks.check(f"{what}: the answer is in order",
                     all(a <= b for a, b in zip(result, result[1:])))
        checks.check(f"{what}: the answer is a permutation of what was sent",
                     Counter(result) == Counter(before))
        checks.check(f"{what}: the parent's own list is unchanged (the child sorted a copy)",
                     array == before)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
