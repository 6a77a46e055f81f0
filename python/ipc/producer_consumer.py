"""producer_consumer: one producer, several consumer processes, every item accounted for.

Python twin of the Rust lesson `producer_consumer` (examples-ipc), after the tutorial's
producer/consumer over a `multiprocessing.Queue` with a `None` sentinel that each consumer passes
on. Python's Queue is multi-consumer, so here the consumers really share one work queue (the Rust
lesson deals over one channel per consumer instead). Changes to the tutorial, each for a reason:

* the producer is the parent process, and items travel in batches (`--batch`, 1 = the tutorial);
* each consumer ends with an end marker on the results queue, and the parent reads until it has
  every consumer's marker: the tutorial's `while not results_queue.empty()` is a race (the twin
  `empty_is_not_done.py` shows it stop early);
* every result is checked: the set of results must equal the set of items.

A consumer killed mid-stream is `killed_consumer.py`.

Run: python3 python/ipc/producer_consumer.py [--consumers N] [--items N] [--batch N]
"""

import multiprocessing
import os
import queue
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402

MASK64 = (1 << 64) - 1
WAIT = 2.0  # seconds without any result before the parent asks whether anyone is left


def work(item):
    """The Rust lesson's `queue::work`: multiply, then rotate left by 17, in 64 bits."""
    x = (item * 0x9E3779B97F4A7C15) & MASK64
    return ((x << 17) | (x >> 47)) & MASK64


# ANCHOR: consumer
def consumer(work_q, results_q, name):
    """The tutorial's consumer, on batches, with an end marker after the sentinel."""
    handled = 0
    while True:
        batch = work_q.get()
        if batch is None:
            work_q.put(None)  # pass the sentinel on for the next consumer
            results_q.put(("finished", name, handled))
            break
        handled += len(batch)
        results_q.put(("results", name, [(i, work(i)) for i in batch]))
# ANCHOR_END: consumer


def main():
    parser = ArgumentParser(description="One producer, several consumer processes, exact accounting.")
    parser.add_argument("--consumers", type=int_in(1, 16), default=3, help="consumer processes")
    parser.add_argument("--items", type=int_in(1, 10_000_000), default=200_000, help="items")
    parser.add_argument("--batch", type=int_in(1, 65_536), default=256, help="items per message")
    args = parser.parse_args()

    header("producer_consumer: one producer, several consumer processes (Python twin)")
    print(f"producer PID={os.getpid()}: {args.items} items in batches of {args.batch}, "
          f"{args.consumers} consumers sharing one multiprocessing.Queue")
    # ANCHOR: main
    work_q, results_q = multiprocessing.Queue(), multiprocessing.Queue()
    procs = [multiprocessing.Process(target=consumer, args=(work_q, results_q, i))
             for i in range(args.consumers)]
    for p in procs:
        p.start()
    start = time.perf_counter()
    for lo in range(0, args.items, args.batch):
        work_q.put(list(range(lo, min(lo + args.batch, args.items))))
    work_q.put(None)  # one sentinel; each consumer passes it on

    seen = bytearray(args.items)
    per_consumer = [0] * args.consumers
    finished = [None] * args.consumers
    duplicates = wrong = 0
    while None in finished:  # every consumer's end marker, not an empty queue, ends the run
        try:
            msg = results_q.get(timeout=WAIT)
        except queue.Empty:
            if not any(p.is_alive() for p in procs):
                break  # nobody left who could answer
            continue
        if msg[0] == "finished":
            finished[msg[1]] = msg[2]
            continue
        _, name, pairs = msg
        per_consumer[name] += len(pairs)
        for item, result in pairs:
            if seen[item]:
                duplicates += 1
            seen[item] = 1
            wrong += result != work(item)
    elapsed = time.perf_counter() - start
    # ANCHOR_END: main
    for p in procs:
        p.join(timeout=2)
        if p.is_alive():
            p.kill()
            p.join()
    missing = args.items - sum(seen)
    received = sum(per_consumer)
    print(f"dealt {args.items} items, got {received} results in {human(elapsed)}: "
          f"{received / max(elapsed, 1e-9):.0f} items/s")
    table = Table(["consumer", "PID", "results", "end marker", "exitcode"])
    for c, p in enumerate(procs):
        table.row([c, p.pid, per_consumer[c],
                   "none" if finished[c] is None else f"handled {finished[c]}", p.exitcode])
    print("\n" + str(table))

    checks = Checks()
    checks.check(f"results == items: {missing} missing, {duplicates} duplicated, {wrong} wrong",
                 missing == 0 and duplicates == 0 and wrong == 0)
    checks.check("every consumer sent its end marker, with the count it was sent",
                 all(f == n for f, n in zip(finished, per_consumer)))
    checks.check("every consumer exited 0", all(p.exitcode == 0 for p in procs))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
