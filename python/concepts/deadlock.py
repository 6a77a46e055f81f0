"""deadlock: two locks taken in opposite order, caught by a timeout, and the two fixes.

Python twin of the Rust lesson `deadlock` (examples-concepts). Thread 0 takes A then B, thread 1 B
then A; once each holds its first lock, each would wait for the other forever. The second
`acquire` has a timeout, the watchdog that turns "forever" into a report. The scene is staged:
barriers make both threads hold their first lock before either asks for the second. Then the
fixes, each moving money back and forth between two accounts many times: one lock order (always A
before B), and a non-blocking try with back-off. The checks: each thread gave up only after
waiting its whole timeout (timed), and both fixes finished in time, with no deadlock.

Run: python3 python/concepts/deadlock.py [--transfers N]
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

WATCHDOG = 0.2  # seconds a thread waits for its second lock before it reports a deadlock
OPENING_BALANCE = 1_000  # what each account holds at the start
FIRST_BACKOFF, LONGEST_BACKOFF = 1e-6, 256e-6  # seconds, after a failed try
PATIENCE = 10.0  # seconds a fix may take before it counts as stuck
CLOCK_SLACK = 0.001  # seconds a timed acquire may seem to end early: timers round to the tick


# ANCHOR: abba
def abba_side(locks, first, both_hold, both_tried, attempts):
    """Takes lock `first`, waits until the other thread holds the other, then asks for it with a
    timeout; records whether it got it, and how long it waited."""
    with locks[first]:
        both_hold.wait()  # staged: now A is held by one thread and B by the other
        second, asked = locks[1 - first], time.monotonic()
        got = second.acquire(timeout=WATCHDOG)
        attempts[first] = (got, time.monotonic() - asked)
        both_tried.wait()  # keep my lock until the other has given up too
        if got:
            second.release()
# ANCHOR_END: abba


# ANCHOR: fixes
def transfer_in_lock_order(locks, accounts, source):
    with locks[0], locks[1]:  # A before B, whichever way the money goes
        accounts[source] -= 1
        accounts[1 - source] += 1
    return 0


def transfer_with_backoff(locks, accounts, source):
    failed, backoff = 0, FIRST_BACKOFF
    while True:
        with locks[source]:
            time.sleep(0)  # some work between the two locks: the window a deadlock needs
            if locks[1 - source].acquire(blocking=False):
                accounts[source] -= 1
                accounts[1 - source] += 1
                locks[1 - source].release()
                return failed
        failed += 1  # let the other thread finish, then try again
        time.sleep(backoff)
        backoff = min(backoff * 2, LONGEST_BACKOFF)
# ANCHOR_END: fixes


def both_ways(transfers, transfer):
    """Two threads move `transfers` units each, in opposite directions. Returns (total, failed
    tries), or None if they did not finish in time."""
    locks, accounts, failed = [threading.Lock(), threading.Lock()], [OPENING_BALANCE] * 2, [0, 0]

    def side(source):
        failed[source] = sum(transfer(locks, accounts, source) for _ in range(transfers))

    threads = [threading.Thread(target=side, args=(s,), daemon=True) for s in (0, 1)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + PATIENCE
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() for t in threads):
        return None
    return sum(accounts), sum(failed)


def main():
    parser = ArgumentParser(description="Deadlock: two locks in opposite order, caught and fixed.")
    parser.add_argument("--transfers", type=int_in(1, 1_000_000), default=20_000,
                        help="how many transfers each thread makes in each fix "
                             "(1..=1000000, default 20000)")
    transfers = parser.parse_args().transfers
    header("deadlock (Python twin)")
    checks = Checks()

    say(f"\n-- A then B, and B then A; the second lock waits {WATCHDOG * 1000:.0f} ms at most --")
    locks, attempts = [threading.Lock(), threading.Lock()], [(None, 0.0), (None, 0.0)]
    hold, tried = threading.Barrier(2, timeout=PATIENCE), threading.Barrier(2, timeout=PATIENCE)
    threads = [threading.Thread(target=abba_side, args=(locks, first, hold, tried, attempts))
               for first in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=PATIENCE)
    for me, mine, theirs in ((0, "A", "B"), (1, "B", "A")):
        got, waited = attempts[me]
        verdict = "got it" if got else "gave up: deadlock"
        say(f"thread {me}: holds {mine}, waited {waited * 1000:.1f} ms for {theirs}: {verdict}")
    checks.check(f"each thread gave up after waiting its whole {WATCHDOG * 1000:.0f} ms: a deadlock",
                 all(got is False and waited >= WATCHDOG - CLOCK_SLACK for got, waited in attempts))

    opening = 2 * OPENING_BALANCE
    for name, transfer in (("one lock order, A before B", transfer_in_lock_order),
                           ("try with back-off", transfer_with_backoff)):
        say(f"\n-- fix: {name}; {transfers} transfers each way --")
        result = both_ways(transfers, transfer)
        if result is not None:
            total, failed = result
            say(f"total {total} (started at {opening}); tries that failed: {failed}")
        checks.check(f"{name}: all transfers done within {PATIENCE:.0f} s, no deadlock",
                     result is not None)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
