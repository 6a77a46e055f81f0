"""bounded_channels: unbounded and bounded queue.Queue between threads: back-pressure.

Python twin of the Rust lesson `bounded_channels` (examples-ipc): the run of
`producer_consumer_threads.py` over an unbounded queue and bounded ones (`maxsize`), timed, with
the largest backlog the producer saw and every result checked. A `maxsize=0` queue is *unbounded*
in Python, not a rendezvous as crossbeam's `bounded(0)` is; the closest is `maxsize=1`.

Run: python3 python/ipc/bounded_channels.py [--consumers N] [--items N]
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402
from producer_consumer_threads import run  # noqa: E402

# ANCHOR: queues
QUEUES = [("unbounded", 0), ("maxsize=1", 1), ("maxsize=16", 16), ("maxsize=1024", 1024)]
# ANCHOR_END: queues


def main():
    parser = ArgumentParser(description="Unbounded and bounded queue.Queue: back-pressure.")
    parser.add_argument("--consumers", type=int_in(1, 16), default=3, help="consumer threads")
    parser.add_argument("--items", type=int_in(1, 10_000_000), default=200_000, help="items per run")
    args = parser.parse_args()
    header("bounded_channels: back-pressure between threads (Python twin)")
    print(f"{args.items} items, 1 producer thread -> {args.consumers} consumer threads -> "
          "this thread")
    checks = Checks()
    table = Table(["work queue", "time", "items/s", "largest backlog"])
    for name, maxsize in QUEUES:
        elapsed, peak, missing, dup, wrong = run(args.items, args.consumers, maxsize)
        table.row([name, human(elapsed), f"{args.items / elapsed:.0f}", peak])
        checks.check(f"{name}: results == items ({missing} missing, {dup} duplicated, "
                     f"{wrong} wrong)", missing == 0 and dup == 0 and wrong == 0)
        if maxsize:
            checks.check(f"{name}: the backlog never exceeded the bound", peak <= maxsize)
    print(table, end="")
    print("(largest backlog: items queued and not yet taken, seen after each put)")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
