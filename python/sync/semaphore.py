"""semaphore: threading.Semaphore, at most N workers inside at once.

Python twin of the Rust lesson `semaphore` (examples-sync): every worker takes a permit, holds it
while it uses a slow resource, and gives it back. The twin counts how many are inside at any
moment: never more than the permits, and every worker must get in in the end. Every wait has a
timeout, so a bug fails a check instead of hanging.

Run: python3 python/sync/semaphore.py [--workers N] [--permits N]
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

PATIENCE = 5.0  # seconds: the longest any one wait may take
SLOW_RESOURCE = 0.02  # seconds each worker holds its permit, so the others really queue up


def main():
    parser = ArgumentParser(description="A Semaphore: at most N workers inside at once.")
    parser.add_argument("--workers", type=int_in(2, 16), default=4,
                        help="how many worker threads want in (2..=16, default 4)")
    parser.add_argument("--permits", type=int_in(1, 8), default=2,
                        help="how many threads the semaphore lets in at once (1..=8, default 2)")
    args = parser.parse_args()
    workers, permits = args.workers, args.permits

    header("semaphore (Python twin)")
    say(f"\n-- Semaphore: {workers} workers, {permits} permits --")
    # ANCHOR: semaphore
    sem = threading.Semaphore(permits)
    count_lock = threading.Lock()
    inside = [0, 0]  # now, most at once
    got_in = []

    def worker():
        if not sem.acquire(timeout=PATIENCE):
            return
        try:
            with count_lock:
                inside[0] += 1
                inside[1] = max(inside[1], inside[0])
            got_in.append(1)
            time.sleep(SLOW_RESOURCE)
            with count_lock:
                inside[0] -= 1
        finally:
            sem.release()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=PATIENCE)
    # ANCHOR_END: semaphore
    say(f"{len(got_in)} of {workers} workers got in; at most {inside[1]} inside at once")
    checks = Checks()
    checks.check("every worker got a permit in the end", len(got_in) == workers)
    checks.check(f"never more than {permits} inside at once", inside[1] <= permits)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
