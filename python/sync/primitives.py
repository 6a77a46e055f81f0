"""primitives: threading's synchronization primitives, one small scene each, each checked.

Python twin of the Rust lesson `primitives` (examples-sync):

* Event: workers wait until the main thread sets it;
* Event across processes: the same with `multiprocessing.Event` and worker processes;
* Condition: a producer and a slow consumer share a bounded queue;
* Barrier: nobody starts phase 2 before everyone finished phase 1;
* Semaphore: at most N workers inside at once;
* RwLock: Python's standard library has none (no reader-writer lock in `threading`), so this
  scene is left to the Rust lesson, where `std::sync::RwLock` lets readers in together.

Every wait has a timeout, so a bug fails a check instead of hanging.

Run: python3 python/sync/primitives.py [--workers N] [--permits N]
"""

import collections
import multiprocessing
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

PATIENCE = 5.0  # seconds: the longest any one wait may take


def event(workers, checks):
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
    time.sleep(0.05)  # the workers are all waiting by now
    before = len(passed)
    set_at = time.perf_counter()
    go.set()
    for t in threads:
        t.join(timeout=PATIENCE)
    # ANCHOR_END: event
    say(f"passed before set: {before}; after: {len(passed)}")
    checks.check("no worker went past the Event before it was set", before == 0)
    checks.check("every worker woke because the Event was set, after it was set",
                 len(woke) == workers and all(s and at >= set_at for s, at in woke))


# ANCHOR: process_event
def wait_for_go(go, passed, woke):
    was_set = go.wait(timeout=PATIENCE)
    with passed.get_lock():
        passed.value += 1
    with woke.get_lock():
        woke.value += int(was_set)


def event_across_processes(workers, checks):
    say(f"\n-- Event across processes: {workers} worker processes wait for the parent's go --")
    go = multiprocessing.Event()
    passed, woke = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    procs = [multiprocessing.Process(target=wait_for_go, args=(go, passed, woke))
             for _ in range(workers)]
    for p in procs:
        p.start()
    time.sleep(0.1)  # the workers are all waiting by now
    before = passed.value
    go.set()
    for p in procs:
        p.join(timeout=PATIENCE)
    # ANCHOR_END: process_event
    say(f"worker PIDs: {[p.pid for p in procs]}")
    say(f"passed before set: {before}; after: {passed.value}")
    checks.check("no worker process went past the Event before it was set", before == 0)
    checks.check("every worker process woke because the Event was set",
                 woke.value == workers and all(p.exitcode == 0 for p in procs))


def condition_queue(checks, items=20, capacity=3):
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
        time.sleep(0.001)  # a slow consumer: the queue fills up
    t.join(timeout=PATIENCE)
    # ANCHOR_END: condition
    say(f"received {len(received)} items; the queue never held more than {longest[0]}")
    checks.check("every item arrived once, in order", received == list(range(items)))
    checks.check(f"the queue never held more than {capacity}", longest[0] <= capacity)


def barrier(workers, checks):
    say(f"\n-- Barrier: {workers} workers, two phases --")
    # ANCHOR: barrier
    gate = threading.Barrier(workers, timeout=PATIENCE)
    log = []  # (phase, worker) in the order they happened; list.append is atomic in CPython

    def worker(index):
        time.sleep(0.03 if index == 0 else 0.001)  # worker 0 is slow in phase 1
        log.append((1, index))
        gate.wait()  # raises BrokenBarrierError after the timeout instead of hanging
        log.append((2, index))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=PATIENCE)
    # ANCHOR_END: barrier
    say("phase:worker in order: " + " ".join(f"{p}:{w}" for p, w in log))
    phases = [p for p, _ in log]
    checks.check("every worker logged both phases", len(log) == 2 * workers)
    checks.check("nobody started phase 2 before everyone finished phase 1",
                 phases == sorted(phases))


def semaphore(workers, permits, checks):
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
            time.sleep(0.02)  # a slow resource
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
    checks.check("every worker got a permit in the end", len(got_in) == workers)
    checks.check(f"never more than {permits} inside at once", inside[1] <= permits)


def main():
    parser = ArgumentParser(description="Event, Condition, Barrier and Semaphore: one scene each.")
    parser.add_argument("--workers", type=int_in(2, 16), default=4,
                        help="how many worker threads each scene starts (2..=16, default 4)")
    parser.add_argument("--permits", type=int_in(1, 8), default=2,
                        help="how many threads the semaphore lets in at once (1..=8, default 2)")
    args = parser.parse_args()

    header("primitives (Python twin)")
    checks = Checks()
    event(args.workers, checks)
    event_across_processes(args.workers, checks)
    condition_queue(checks)
    barrier(args.workers, checks)
    semaphore(args.workers, args.permits, checks)
    say("\n-- RwLock: the standard library has none --")
    say("threading has Lock, RLock, Condition, Semaphore, Event and Barrier, but no "
        "reader-writer lock; see the Rust lesson's std::sync::RwLock scene")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
