"""shared_value_lock: the shared Value with a lock, timed per increment beside the race.

Python twin of the Rust lesson `shared_value_lock` (examples-sync). The tutorial's fix for the
race is a lock around `counter.value += 1`; `Value` carries its own, reached with `get_lock()`.
The twin times, per increment, the unlocked race, `with counter.get_lock():` and the tutorial's
separate `Lock` around a `RawValue` (Python has no atomic add for a shared Value). With
`--kill-holder`, a process is killed while it holds the Value's lock: Python's lock (a POSIX
semaphore) is not released when its holder dies, so the twin shows that an `acquire` with a
timeout gives up, where a plain `with` would wait forever.

Run: python3 python/sync/shared_value_lock.py [--workers N] [--increments N] [--kill-holder]
"""

import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402
from shm_common import run_together  # noqa: E402


# ANCHOR: core
def add_unlocked(counter, increments):
    for _ in range(increments):
        counter.value += 1


def add_with_get_lock(counter, increments):
    for _ in range(increments):
        with counter.get_lock():  # the Value's own lock, around the whole read-add-write
            counter.value += 1


def add_with_lock(counter, lock, increments):
    for _ in range(increments):
        with lock:  # the tutorial's version: a separate Lock, a RawValue without one
            counter.value += 1
# ANCHOR_END: core


def hold(counter, holding):
    with counter.get_lock():
        _seen = counter.value
        holding.set()
        time.sleep(60)  # killed here, holding the lock


def kill_holder():
    """A process dies holding the Value's lock: does anyone get it back?"""
    counter = multiprocessing.Value("q", 0)
    holding = multiprocessing.Event()
    # daemon: should the twin fail before the kill, its exit still ends the sleeping victim
    victim = multiprocessing.Process(target=hold, args=(counter, holding), daemon=True)
    victim.start()
    if not holding.wait(10):
        victim.kill()
        victim.join()
        raise RuntimeError("the victim never took the lock")
    victim.kill()
    victim.join()
    print(f"victim {victim.pid} took the lock and was killed (exit code {victim.exitcode})")
    start = time.perf_counter()
    got_it = counter.get_lock().acquire(timeout=1)
    waited = time.perf_counter() - start
    if got_it:
        counter.get_lock().release()
    print(f"acquire(timeout=1) after the holder died: {got_it} after {human(waited)}")
    return got_it


def main():
    parser = ArgumentParser(description="A shared Value with a lock, and the race, per increment.")
    parser.add_argument("--workers", type=int_in(1, 16), default=4,
                        help="worker processes (1..=16, default 4)")
    parser.add_argument("--increments", type=int_in(1, 10_000_000), default=50_000,
                        help="how many times each worker adds one (default 50000)")
    parser.add_argument("--kill-holder", action="store_true",
                        help="also kill a process while it holds the lock")
    args = parser.parse_args()
    workers, increments = args.workers, args.increments
    expected = workers * increments
    header("shared_value_lock (Python twin)")
    print(f"{workers} processes x {increments} increments each: expected total {expected}")
    checks = Checks()
    table = Table(["increment", "total", "lost", "time", "ns per increment"])

    def row(name, total, seconds):
        table.row([name, total, expected - min(total, expected), human(seconds),
                   f"{seconds * 1e9 / expected:.0f}"])

    counter = multiprocessing.Value("q", 0)
    seconds = run_together(add_unlocked, [(counter, increments)] * workers)
    row("Value += 1 (no lock)", counter.value, seconds)
    checks.check("the race never counts more than was added", counter.value <= expected)

    counter = multiprocessing.Value("q", 0)
    seconds = run_together(add_with_get_lock, [(counter, increments)] * workers)
    row("with value.get_lock()", counter.value, seconds)
    checks.check(f"with value.get_lock() counts exactly {expected}", counter.value == expected)

    counter, lock = multiprocessing.RawValue("q", 0), multiprocessing.Lock()
    seconds = run_together(add_with_lock, [(counter, lock, increments)] * workers)
    row("RawValue + Lock", counter.value, seconds)
    checks.check(f"RawValue + Lock counts exactly {expected}", counter.value == expected)

    print()
    print(table)
    print("(time: from the common start to the slowest worker's last increment)")

    if args.kill_holder:
        print("\n-- a process killed while it holds the lock --")
        got_it = kill_holder()
        checks.check("a dead holder's lock is never released: acquire with a timeout gives up",
                     not got_it)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
