"""thread_counter: several workers add one to a shared counter, with and without a lock.

Python twin of the Rust lesson `thread_counter` (examples-sync). Tutorial 002's shared `Value`
without a lock "may not be 4 due to race condition"; with a `Lock` it is exact. This twin runs
both, plus the same pair with threads:

* threads doing `counter += 1` on a global int with no lock. The statement is a read, an add and
  a write, and the GIL may switch threads between them; CPython 3.11 switches rarely enough there
  that a run often loses nothing. It is still a race: the check is only that nothing is invented;
* threads with a `threading.Lock` around the `+=`: exact;
* processes doing `counter.value += 1` on a `multiprocessing.Value` (the tutorial's example): the
  Value's own lock guards the read and the write separately, not the pair, so updates are lost;
* the same with `with lock:` around it (the tutorial's fix): exact, and much slower per increment.

Rust refuses to compile the first version; its load-then-store race is the one that compiles.

Run: python3 python/sync/thread_counter.py [--workers N] [--increments N]
"""

import multiprocessing
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402

counter = 0  # the global the unlocked threads race on


# ANCHOR: core
def add_unlocked(increments):
    global counter
    for _ in range(increments):
        counter += 1  # read, add, write: a thread switch in between loses an update


def add_locked(increments, lock):
    global counter
    for _ in range(increments):
        with lock:
            counter += 1


def add_to_value(shared, increments):
    for _ in range(increments):
        shared.value += 1  # the tutorial's race: get and set are each locked, the pair is not


def add_to_value_locked(shared, lock, increments):
    for _ in range(increments):
        with lock:
            shared.value += 1
# ANCHOR_END: core


def run_threads(workers, target, *args):
    global counter
    counter = 0
    threads = [threading.Thread(target=target, args=args) for _ in range(workers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counter, time.perf_counter() - start


def run_processes(workers, target, *args):
    shared = multiprocessing.Value("i", 0)
    procs = [multiprocessing.Process(target=target, args=(shared, *args)) for _ in range(workers)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return shared.value, time.perf_counter() - start


def main():
    parser = ArgumentParser(description="A shared counter with and without a lock.")
    parser.add_argument("--workers", type=int_in(1, 16), default=4,
                        help="threads, then processes, adding to the counter (1..=16, default 4)")
    parser.add_argument("--increments", type=int_in(1, 1_000_000), default=50_000,
                        help="how many times each worker adds one (default 50000)")
    args = parser.parse_args()
    workers, increments = args.workers, args.increments
    expected = workers * increments

    header("thread_counter (Python twin)")
    print(f"{workers} workers x {increments} increments each: expected total {expected}")
    checks = Checks()
    table = Table(["strategy", "total", "lost", "time", "ns per increment"])

    def row(name, total, seconds):
        table.row([name, total, expected - total, human(seconds),
                   f"{seconds * 1e9 / expected:.0f}"])

    total, secs = run_threads(workers, add_unlocked, increments)
    row("threads, counter += 1", total, secs)
    checks.check("threads without a lock never count more than was added", total <= expected)

    total, secs = run_threads(workers, add_locked, increments, threading.Lock())
    row("threads, with Lock", total, secs)
    checks.check(f"threads with a Lock count exactly {expected}", total == expected)

    total, secs = run_processes(workers, add_to_value, increments)
    row("processes, Value += 1", total, secs)
    checks.check("processes on a Value without a lock never count more than was added",
                 total <= expected)

    total, secs = run_processes(workers, add_to_value_locked, multiprocessing.Lock(), increments)
    row("processes, Value with Lock", total, secs)
    checks.check(f"processes on a Value with a Lock count exactly {expected}", total == expected)

    print()
    print(table)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
