"""producer_consumer_threads: producer and consumer threads over queue.Queue, and how it ends.

Python twin of the Rust lesson `producer_consumer_threads` (examples-ipc). The tutorial's
protocol (one `None` sentinel that each consumer passes on) on a shared `queue.Queue`, then a
whole run, producer -> consumers -> results, with every result checked. Python's queues have no
"last sender dropped" signal, so ending still takes sentinels here: one per consumer, where the
Rust lesson drops its senders. `bounded_channels.py` runs the same `run` over bounded queues.

Run: python3 python/ipc/producer_consumer_threads.py [--consumers N] [--items N]
"""

import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, human, int_in  # noqa: E402
from producer_consumer import work  # noqa: E402


# ANCHOR: run
def run(items, consumers, maxsize):
    work_q, results_q = queue.Queue(maxsize=maxsize), queue.Queue()

    def consume(name):
        while (item := work_q.get()) is not None:
            results_q.put((name, item, work(item)))

    threads = [threading.Thread(target=consume, args=(c,)) for c in range(consumers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    peak = 0
    for item in range(items):
        work_q.put(item)  # blocks while a bounded queue is full: back-pressure
        peak = max(peak, work_q.qsize())
    for _ in threads:
        work_q.put(None)  # one sentinel per consumer: nothing else ends a thread's get()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    seen, wrong = bytearray(items), 0
    while not results_q.empty():  # safe here: every producer of results has been joined
        _, item, result = results_q.get()
        seen[item] += 1
        wrong += result != work(item)
    return elapsed, peak, seen.count(0), sum(1 for s in seen if s > 1), wrong
# ANCHOR_END: run


def passed_on(items, consumers):
    """The tutorial's ending: one sentinel, passed on. Returns items handled and what is left."""
    work_q, handled = queue.Queue(), [0] * consumers

    def consume(name):
        while True:
            item = work_q.get()
            if item is None:
                work_q.put(None)
                return
            handled[name] += 1

    threads = [threading.Thread(target=consume, args=(c,)) for c in range(consumers)]
    for t in threads:
        t.start()
    for i in range(items):
        work_q.put(i)
    work_q.put(None)
    for t in threads:
        t.join()
    left = []
    while not work_q.empty():
        left.append(work_q.get())
    return handled, left


def main():
    parser = ArgumentParser(description="Producer and consumer threads over queue.Queue: ending.")
    parser.add_argument("--consumers", type=int_in(1, 16), default=3, help="consumer threads")
    parser.add_argument("--items", type=int_in(1, 10_000_000), default=200_000, help="items per run")
    args = parser.parse_args()
    header("producer_consumer_threads: queue.Queue between threads (Python twin)")
    checks = Checks()
    small = min(args.items, 10_000)
    handled, left = passed_on(small, args.consumers)
    print(f"the tutorial's ending: one sentinel passed on by each of {args.consumers} consumers; "
          f"handled {handled}; left in the queue: {left}")
    checks.check("passing the sentinel on stopped every consumer after all items",
                 sum(handled) == small and left == [None])
    elapsed, _, missing, dup, wrong = run(args.items, args.consumers, 0)
    print(f"ending with one sentinel per consumer: {args.items} items, 1 producer thread -> "
          f"{args.consumers} consumer threads -> this thread in {human(elapsed)}")
    checks.check(f"results == items ({missing} missing, {dup} duplicated, {wrong} wrong)",
                 missing == 0 and dup == 0 and wrong == 0)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
