"""condvar: threading.Condition, a producer and a slow consumer share a bounded queue.

Python twin of the Rust lesson `condvar` (examples-sync): one Condition guards a deque that holds
at most `--capacity` items; the producer waits while it is full, the consumer while it is empty.
Every item must arrive once, in order, and the queue must never hold more than its capacity.
Every wait has a timeout, so a bug fails a check instead of hanging.

Run: python3 python/sync/condvar.py [--items N] [--capacity N]
"""

import collections
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

PATIENCE = 5.0  # seconds: the longest any one wait may take
CONSUMER_PAUSE = 0.001  # seconds after each item: a slow consumer, so the queue fills up


def main():
    parser = ArgumentParser(description="A Condition: a producer and a slow consumer share a "
                                        "bounded queue.")
    parser.add_argument("--items", type=int_in(1, 10_000), default=20,
                        help="how many items the producer sends (1..=10000, default 20)")
    parser.add_argument("--capacity", type=int_in(1, 64), default=3,
                        help="how many items the queue holds at most (1..=64, default 3)")
    args = parser.parse_args()
    items, capacity = args.items, args.capacity

    header("condvar (Python twin)")
    say(f"\n-- Condition: a producer and a slow consumer share a queue of {capacity} --")
    # ANCHOR: condition
    queue = collections.deque()
    cond = threading.Condition()
    longest = [0]

    def producer():
        for i in range(items):
            with cond:
                if not cond.wait_for(lambda: len(queue) < capacity, timeout=PATIENCE):
                    return
                queue.append(i)
                longest[0] = max(longest[0], len(queue))
                cond.notify_all()

    received = []
    t = threading.Thread(target=producer)
    t.start()
    while len(received) < items:
        with cond:
            if not cond.wait_for(lambda: queue, timeout=PATIENCE):
                break
            received.append(queue.popleft())
            cond.notify_all()
        time.sleep(CONSUMER_PAUSE)
    t.join(timeout=PATIENCE)
    # ANCHOR_END: condition
    say(f"received {len(received)} items; the queue never held more than {longest[0]}")
    checks = Checks()
    checks.check("every item arrived once, in order", received == list(range(items)))
    checks.check(f"the queue never held more than {capacity}", longest[0] <= capacity)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
