"""event: threading.Event, worker threads wait until the main thread sets it.

Python twin of the Rust lesson `event` (examples-sync): the workers wait on one Event, the main
thread counts how many got past before setting it (none may have), then sets it; every worker
must have woken because it was set, after it was set. Every wait has a timeout, so a bug fails a
check instead of hanging.

Run: python3 python/sync/event.py [--workers N]
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

PATIENCE = 5.0  # seconds: the longest any one wait may take
SETTLE = 0.05  # seconds the workers get to settle into their wait before the main thread counts


def main():
    parser = ArgumentParser(description="An Event: worker threads wait until the main thread "
                                        "sets it.")
    parser.add_argument("--workers", type=int_in(2, 16), default=4,
                        help="how many worker threads wait on the Event (2..=16, default 4)")
    workers = parser.parse_args().workers

    header("event (Python twin)")
    say(f"\n-- Event: {workers} workers wait for the main thread's go --")
    # ANCHOR: event
    go = threading.Event()
    passed = []
    woke = []

    def worker():
        was_set = go.wait(timeout=PATIENCE)
        passed.append(1)
        woke.append((was_set, time.perf_counter()))

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    time.sleep(SETTLE)  # the workers are all waiting by now
    before = len(passed)
    set_at = time.perf_counter()
    go.set()
    for t in threads:
        t.join(timeout=PATIENCE)
    # ANCHOR_END: event
    say(f"passed before set: {before}; after: {len(passed)}")
    checks = Checks()
    checks.check("no worker went past the Event before it was set", before == 0)
    checks.check("every worker woke because the Event was set, after it was set",
                 len(woke) == workers and all(s and at >= set_at for s, at in woke))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
