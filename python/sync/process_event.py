"""process_event: multiprocessing.Event, worker processes wait until the parent sets it.

Python twin of the Rust lesson `process_event` (examples-sync): the workers are processes, the
Event a `multiprocessing.Event` (a lock and a condition in shared memory, under the hood). The
parent counts the workers that got past before setting it (none may have), sets it, and checks
that every worker woke because it was set. Every wait has a timeout, so a bug fails a check
instead of hanging.

Run: python3 python/sync/process_event.py [--workers N]
"""

import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

PATIENCE = 5.0  # seconds: the longest any one wait may take
SETTLE = 0.1  # seconds the workers get to settle into their wait before the parent counts


# ANCHOR: process_event
def wait_for_go(go, passed, woke):
    was_set = go.wait(timeout=PATIENCE)
    with passed.get_lock():
        passed.value += 1
    with woke.get_lock():
        woke.value += int(was_set)


def event_across_processes(workers):
    go = multiprocessing.Event()
    passed, woke = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    procs = [multiprocessing.Process(target=wait_for_go, args=(go, passed, woke))
             for _ in range(workers)]
    for p in procs:
        p.start()
    time.sleep(SETTLE)  # the workers are all waiting by now
    before = passed.value
    go.set()
    for p in procs:
        p.join(timeout=PATIENCE)
    # ANCHOR_END: process_event
    return procs, before, passed.value, woke.value


def main():
    parser = ArgumentParser(description="An Event between processes: worker processes wait "
                                        "for the parent's go.")
    parser.add_argument("--workers", type=int_in(1, 16), default=4,
                        help="how many worker processes wait on the event (1..=16, default 4)")
    workers = parser.parse_args().workers

    header("process_event (Python twin)")
    say(f"\n-- Event across processes: {workers} worker processes wait for the parent's go --")
    procs, before, after, woke = event_across_processes(workers)
    say(f"worker PIDs: {[p.pid for p in procs]}")
    say(f"passed before set: {before}; after: {after}")
    checks = Checks()
    checks.check("no worker process went past the Event before it was set", before == 0)
    checks.check("every worker process woke because the Event was set",
                 woke == workers and all(p.exitcode == 0 for p in procs))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
