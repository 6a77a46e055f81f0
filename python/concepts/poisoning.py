"""poisoning: what Python does when a thread fails while holding a lock.

Python twin of the Rust lesson `poisoning` (examples-concepts). Python's locks do not poison:
`with lock:` releases the lock when an exception passes through, and the next thread to take it
gets no word that the data it guards was left half-updated. A transfer between two accounts fails
halfway (the money left one account, never reached the other); the next `with lock:` goes straight
in and finds the total short. The checks confirm exactly that, which is what Rust's std `Mutex`
refuses to let pass silently (and `parking_lot`'s, like Python's, lets pass).

Run: python3 python/concepts/poisoning.py [--amount N]
"""

import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

OPENING_BALANCE = 100  # what each of the two accounts holds at the start
PATIENCE = 5.0  # seconds the failing thread may take


class LinkDown(Exception):
    """The failure that interrupts the transfer halfway."""


def main():
    parser = ArgumentParser(description="Poisoning: what Python does when a thread fails while "
                                        "holding a lock.")
    parser.add_argument("--amount", type=int_in(1, 100), default=30,
                        help="how much money the failing transfer moves (1..=100, default 30)")
    amount = parser.parse_args().amount
    opening = 2 * OPENING_BALANCE

    header("poisoning (Python twin)")
    say(f"\n-- threading.Lock over two accounts: move {amount} from one to the other --")
    # ANCHOR: poisoning
    lock = threading.Lock()
    accounts = [OPENING_BALANCE, OPENING_BALANCE]
    failures = []

    def half_a_transfer():
        try:
            with lock:
                accounts[0] -= amount
                raise LinkDown("the bank's link went down mid-transfer")
                # accounts[1] += amount never runs
        except LinkDown as failure:
            failures.append(failure)

    worker = threading.Thread(target=half_a_transfer)
    worker.start()
    worker.join(timeout=PATIENCE)
    failure = repr(failures[0]) if failures else "no failure seen (still running?)"
    say(f"the transfer thread failed holding the lock: {failure}")
    got_it = lock.acquire(blocking=False)  # no error, no flag: the lock is simply free
    total = sum(accounts)
    say(f"next acquire() -> {got_it}; accounts {accounts}, total {total}")
    if got_it:
        lock.release()
    # ANCHOR_END: poisoning

    checks = Checks()
    checks.check("the transfer failed while holding the lock, and ended",
                 len(failures) == 1 and not worker.is_alive())
    checks.check("the lock was released anyway: a non-blocking acquire got it at once", got_it)
    checks.check(f"nobody was told the total is {amount} short of {opening}",
                 total == opening - amount)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
