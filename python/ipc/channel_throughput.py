"""channel_throughput: messages per second through Python's queues, one at a time and batched.

Python twin of the Rust lesson `channel_throughput` (examples-ipc). Where Rust measures std's
`mpsc` and crossbeam-channel between threads and ipc-channel between processes, Python has
`queue.SimpleQueue` and `queue.Queue` between threads and `multiprocessing.Queue` between
processes (a pipe plus a feeder thread that pickles each item). Every run sends the numbers
`0..messages` from one sender to one receiver, one per message and then in lists of `--batch`,
and checks that exactly those numbers arrived (count and sum).

The receiver reads while the sender sends, and the sender ends with a sentinel (`None`): a
`multiprocessing.Queue` has no "all senders gone" signal the way a Rust channel does.

Run: python3 python/ipc/channel_throughput.py [--messages N] [--batch N]
"""

import multiprocessing
import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in, say  # noqa: E402


def chunks(items, batch):
    return (list(range(b, min(b + batch, items))) for b in range(0, items, batch))


# ANCHOR: sender
def send_numbers(q, items, batch):
    if batch == 1:
        for n in range(items):
            q.put(n)
    else:
        for chunk in chunks(items, batch):
            q.put(chunk)
    q.put(None)  # the sentinel: nothing more is coming
# ANCHOR_END: sender


def receive(q, batch):
    messages = received = total = 0
    while True:
        item = q.get(timeout=30)
        if item is None:
            return messages, received, total
        messages += 1
        if batch == 1:
            received += 1
            total += item
        else:
            received += len(item)
            total += sum(item)


def between_threads(make, items, batch):
    q = make()
    sender = threading.Thread(target=send_numbers, args=(q, items, batch))
    sender.start()
    counted = receive(q, batch)
    sender.join()
    return counted


def between_processes(items, batch):
    q = multiprocessing.Queue()
    sender = multiprocessing.Process(target=send_numbers, args=(q, items, batch))
    sender.start()
    counted = receive(q, batch)  # read before join: the child waits until its queue is flushed
    sender.join(timeout=30)
    return counted


CHANNELS = [
    ("queue.SimpleQueue", "threads",
     lambda items, batch: between_threads(queue.SimpleQueue, items, batch)),
    ("queue.Queue", "threads",
     lambda items, batch: between_threads(queue.Queue, items, batch)),
    ("multiprocessing.Queue", "processes", between_processes),
]


def rate(per_sec):
    return f"{per_sec / 1e6:.1f}M/s" if per_sec >= 1e6 else f"{per_sec / 1e3:.0f}k/s"


def main():
    parser = ArgumentParser(description="Messages per second through thread and process queues.")
    parser.add_argument("--messages", type=int_in(1, 100_000_000), default=300_000,
                        help="numbers to send through each queue, in each mode (default 300000)")
    parser.add_argument("--batch", type=int_in(2, 1_000_000), default=1024,
                        help="numbers per message in the batched runs (default 1024)")
    args = parser.parse_args()
    header("channel_throughput: messages per second, one at a time and batched (Python twin)")
    items = args.messages
    expected = items * (items - 1) // 2
    say(f"each run sends the numbers 0..{items} (sum {expected}) from one sender to one receiver")
    checks = Checks()
    table = Table(["queue", "between", "per message", "messages", "time", "numbers/s"])
    for name, between, run in CHANNELS:
        for batch in (1, args.batch):
            start = time.perf_counter()
            messages, received, total = run(items, batch)
            took = time.perf_counter() - start
            table.row([name, between, "1 int" if batch == 1 else f"list of {batch}", messages,
                       human(took), rate(received / took)])
            checks.check(f"{name} with {batch} per message: {received} numbers arrived, "
                         "sum correct", received == items and total == expected)
    print()
    print(table, end="")
    say("(multiprocessing.Queue times include starting the child process; yours will differ)")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
