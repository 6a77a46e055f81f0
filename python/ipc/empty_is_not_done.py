"""empty_is_not_done: `while not results_queue.empty()` stops early; end markers do not.

Python twin of the Rust lesson `empty_is_not_done` (examples-ipc), after the tutorial's
producer/consumer: consumers take `--work-ms` per item (the tutorial's "simulate processing"),
and the parent collects results the tutorial's way, `while not results_queue.empty()`, while the
consumers are still working. It stops with results still due. Waiting for every consumer's end
marker (put after the passed-on `None` sentinel) collects the rest.

The tutorial's version works only because it joins every consumer first; even then a consumer
that put much on a Queue cannot exit until it has been read (the join-before-drain deadlock of
`python/processes/join_deadlock.py`). Python's Queue has no "closed": after every consumer has
exited, `empty()` stays true, and only the count of end markers says that nothing more will come.

Run: python3 python/ipc/empty_is_not_done.py [--consumers N] [--items N] [--work-ms N]
"""

import multiprocessing
import os
import queue
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, human, int_in  # noqa: E402
from producer_consumer import work  # noqa: E402

WAIT = 5.0  # longest wait for any one result before the parent gives up on a silent consumer


def slow_consumer(work_q, results_q, pause):
    """The tutorial's consumer: items until the sentinel, each taking `pause`; then an end marker."""
    while (item := work_q.get()) is not None:
        time.sleep(pause)
        results_q.put((item, work(item)))
    work_q.put(None)  # pass the sentinel on
    results_q.put(None)  # this consumer's end marker


def main():
    parser = ArgumentParser(description="`while not results.empty()` stops early.")
    parser.add_argument("--consumers", type=int_in(1, 16), default=3, help="consumer processes")
    parser.add_argument("--items", type=int_in(1, 200), default=30, help="items, one per message")
    parser.add_argument("--work-ms", type=int_in(1, 1000), default=20,
                        help="milliseconds of simulated work per item")
    args = parser.parse_args()
    header("empty_is_not_done: an empty queue is not a finished one (Python twin)")
    n, items = args.consumers, args.items
    work_q, results_q = multiprocessing.Queue(), multiprocessing.Queue()
    procs = [multiprocessing.Process(target=slow_consumer,
                                     args=(work_q, results_q, args.work_ms / 1000))
             for _ in range(n)]
    for p in procs:
        p.start()
    for item in range(items):
        work_q.put(item)
    work_q.put(None)
    print(f"{items} items queued for {n} consumers, {args.work_ms} ms of work each")

    started = time.perf_counter()
    # ANCHOR: tutorial_loop
    results = []
    while not results_q.empty():  # the tutorial's loop, while the consumers still work
        results.append(results_q.get())
    # ANCHOR_END: tutorial_loop
    finished = results.count(None)
    early = len(results) - finished
    print(f"the empty() loop stopped at once with {early} of {items} results")
    # ANCHOR: end_markers
    while finished < n:
        try:
            msg = results_q.get(timeout=WAIT)
        except queue.Empty:
            break  # a consumer died or went silent: the checks say what is missing
        finished += msg is None
        results.append(msg)
    # ANCHOR_END: end_markers
    pairs = [r for r in results if r is not None]
    print(f"waiting for {n} end markers took {human(time.perf_counter() - started)} and brought "
          f"the other {len(pairs) - early}")
    for p in procs:
        p.join(timeout=WAIT)
        if p.is_alive():
            p.kill()
            p.join()
    print(f"after every consumer exited, empty() is {results_q.empty()}; "
          "only the end markers said that nothing more would come")

    seen = sorted(item for item, _ in pairs)
    wrong = sum(result != work(item) for item, result in pairs)
    checks = Checks()
    checks.check(f"the empty() loop stopped with {items - early} results still due", early < items)
    checks.check("waiting for the end markers got every result, each once and right",
                 seen == list(range(items)) and wrong == 0)
    checks.check("every consumer exited 0", all(p.exitcode == 0 for p in procs))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
