"""cpu_bound_showdown: one CPU-bound job run sequentially, in threads and in processes.

Python twin of the Rust lesson `cpu_bound_showdown` (examples-threads), after tutorial 002's
"The GIL problem" benchmark. The job is the tutorial's `cpu_intensive_task`: count the primes
below a limit by naive trial division. It runs `--tasks` times

* one after another,
* in one thread per task,
* in one process per task.

The threads finish no sooner than the sequential loop, because only the thread holding the GIL
executes Python bytecode; the processes each have an interpreter of their own and run on
separate cores. The tutorial's threads threw their answers away; here each run keeps its counts
(threads in a list, processes through a Queue) so the three approaches can be checked against
each other.

Run: python3 python/threads/cpu_bound_showdown.py [--tasks N] [--limit N]
"""

import multiprocessing
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    ArgumentParser, Checks, Table, count_primes_below, cores, header, human, int_in, say, speedup,
)


# ANCHOR: core
def sequential(tasks, limit):
    return [count_primes_below(limit) for _ in range(tasks)]


def in_threads(tasks, limit):
    counts = [None] * tasks

    def task(i):
        counts[i] = count_primes_below(limit)

    threads = [threading.Thread(target=task, args=(i,)) for i in range(tasks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts


def process_task(i, limit, out_q):
    out_q.put((i, count_primes_below(limit)))


def in_processes(tasks, limit):
    out_q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=process_task, args=(i, limit, out_q))
             for i in range(tasks)]
    for p in procs:
        p.start()
    counts = [None] * tasks
    for _ in procs:  # read every answer before joining (see threaded_factorizer)
        i, count = out_q.get()
        counts[i] = count
    for p in procs:
        p.join()
    return counts
# ANCHOR_END: core


def main():
    parser = ArgumentParser(description="The GIL benchmark: sequential vs threads vs processes.")
    parser.add_argument("--tasks", type=int_in(1, 64), default=4,
                        help="how many times to run the job (1..=64, default 4)")
    parser.add_argument("--limit", type=int_in(2, 10_000_000), default=100_000,
                        help="count the primes below this (default 100000)")
    args = parser.parse_args()

    header("cpu_bound_showdown (Python twin of tutorial 002)")
    say(f"{args.tasks} tasks, each counting the primes below {args.limit}, on {cores()} cores")
    checks = Checks()
    table = Table(["approach", "time", "speedup"])
    runs = []
    base = None
    for name, run in (("sequential", sequential), ("threads", in_threads),
                      ("processes", in_processes)):
        start = time.perf_counter()
        counts = run(args.tasks, args.limit)
        seconds = time.perf_counter() - start
        base = base or seconds
        say(f"{name}: {human(seconds)}")
        table.row([name, human(seconds), speedup(base, seconds)])
        runs.append((name, counts))

    print()
    print(table)
    reference = runs[0][1][0]
    say(f"every task should find {reference} primes below {args.limit}")
    for name, counts in runs:
        checks.check(f"{name}: all {args.tasks} counts equal {reference}",
                     counts == [reference] * args.tasks)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
