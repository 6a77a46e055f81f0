"""producer_consumer: one producer, several consumer processes, every item accounted for.

Python twin of the Rust lesson `producer_consumer` (examples-ipc), after tutorial 002's
producer/consumer over a `multiprocessing.Queue` with a `None` sentinel that each consumer passes
on. Python's Queue is multi-consumer, so here the consumers really share one work queue (the Rust
lesson deals over one channel per consumer instead). Changes to the tutorial, each for a reason:

* the producer is the parent process, and items travel in batches (`--batch`, 1 = the tutorial);
* each consumer ends with an end marker on the results queue, and the parent reads until it has
  every consumer's marker: the tutorial's `while not results_queue.empty()` is a race (the twin
  counts how often it would have stopped early);
* every result is checked: the set of results must equal the set of items;
* `--kill-consumer-after N` kills consumer 0 with SIGKILL once N items are queued; the twin then
  stops waiting after a quiet spell, reports what is missing, ends every process and exits 1.
  (Python's documentation warns that a process killed while using a Queue may corrupt it.)

Run: python3 python/ipc/producer_consumer.py [--consumers N] [--items N] [--batch N]
"""

import multiprocessing
import os
import queue
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402

MASK64 = (1 << 64) - 1


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
    parser.add_argument("--kill-consumer-after", type=int_in(1, 10_000_000), default=None,
                        help="SIGKILL consumer 0 once this many items are queued")
    args = parser.parse_args()
    if args.kill_consumer_after is not None and args.kill_consumer_after >= args.items:
        parser.error(f"--kill-consumer-after {args.kill_consumer_after} must be below --items")

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
    killed = None
    for lo in range(0, args.items, args.batch):
        hi = min(lo + args.batch, args.items)
        work_q.put(list(range(lo, hi)))
        if killed is None and args.kill_consumer_after is not None and hi >= args.kill_consumer_after:
            os.kill(procs[0].pid, signal.SIGKILL)
            killed = 0
    work_q.put(None)  # one sentinel; each consumer passes it on

    seen = bytearray(args.items)
    per_consumer = [0] * args.consumers
    finished = [None] * args.consumers
    duplicates = wrong = looked_empty = 0
    first_empty_at = None
    while not all(f is not None or (killed == c) for c, f in enumerate(finished)):
        if results_q.empty():  # what the tutorial's loop would have stopped on
            looked_empty += 1
            if first_empty_at is None:
                first_empty_at = sum(per_consumer)
        try:
            msg = results_q.get(timeout=2 if killed is None else 0.5)
        except queue.Empty:
            if killed is not None or not any(p.is_alive() for p in procs):
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
    if first_empty_at is not None:
        print(f"the empty() pitfall: results_q.empty() was true {looked_empty} times while results "
              f"were still due; the tutorial's loop would have stopped after {first_empty_at} of "
              f"{args.items} results")
    if killed is not None:
        print(f"fault: consumer 0 (PID {procs[0].pid}) was killed; {missing} items have no result")

    checks = Checks()
    checks.check(f"results == items: {missing} missing, {duplicates} duplicated, {wrong} wrong",
                 missing == 0 and duplicates == 0 and wrong == 0)
    checks.check("every consumer sent its end marker, with the count it was sent",
                 all(f == n for f, n in zip(finished, per_consumer)))
    checks.check("every consumer exited 0", all(p.exitcode == 0 for p in procs))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
