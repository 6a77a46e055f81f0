"""shared_value_race: a Value in shared memory incremented by several processes, no lock.

Python twin of the Rust lesson `shared_value_race` (examples-sync), and the tutorial's own example:
`counter.value += 1` on a `multiprocessing.Value` "may not be 4 due to race condition". The
Value's built-in lock guards the read and the write separately, not the pair, so a process that
writes between them has its update overwritten. The twin counts the lost updates, runs one worker
alone as a control (nothing lost), and checks that nothing is ever invented.

Run: python3 python/sync/shared_value_race.py [--workers N] [--increments N]
"""

import multiprocessing
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ArgumentParser, Checks, header, human, int_in  # noqa: E402
from shm_common import run_together  # noqa: E402


# ANCHOR: race
def add(counter, increments):
    for _ in range(increments):
        counter.value += 1  # get (locked), add, set (locked): another process can write between


def count(workers, increments):
    counter = multiprocessing.Value("q", 0)  # a C long long in shared memory, with a lock
    seconds = run_together(add, [(counter, increments)] * workers)
    return counter.value, seconds
# ANCHOR_END: race


def main():
    parser = ArgumentParser(description="A shared Value incremented by processes without a lock.")
    parser.add_argument("--workers", type=int_in(1, 16), default=4,
                        help="worker processes (1..=16, default 4)")
    parser.add_argument("--increments", type=int_in(1, 10_000_000), default=50_000,
                        help="how many times each worker adds one (default 50000)")
    args = parser.parse_args()
    workers, increments = args.workers, args.increments
    expected = workers * increments
    header("shared_value_race (Python twin)")
    print(f"{workers} processes x {increments} increments each: expected total {expected}")
    checks = Checks()

    print(f"\n-- {workers} workers, counter.value += 1 --")
    total, seconds = count(workers, increments)
    lost = expected - min(total, expected)
    print(f"total {total} of {expected}: {lost} updates lost ({100 * lost / expected:.1f}%) "
          f"in {human(seconds)}")
    checks.check("the race never counts more than was added", total <= expected)

    print("\n-- control: one worker alone --")
    alone, _ = count(1, increments)
    print(f"total {alone} of {increments}")
    checks.check("with one worker, nothing is lost", alone == increments)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
