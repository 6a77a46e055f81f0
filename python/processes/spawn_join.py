"""spawn_join: start child processes that run a named function, then wait for them.

Python twin of the Rust lesson `spawn_join` (examples-processes), after the tutorial's
"Multiprocessing Fundamentals" (`Process(target=worker, args=("A",))`, `start`, `join`,
`exitcode`) and tutorial 001's `Process` example. Each child prints its PID and its parent's PID;
the parent joins each one and reads its exit code.

Two things the tutorial's code hides:

* the worker's `return f"Result from {name}"` goes nowhere: `Process` throws the target's return
  value away, so here the worker also puts it on a `multiprocessing.Queue` (the Rust toolkit
  hands the value back with `take_result`);
* the parent reads the queue BEFORE joining: a child does not exit until what it put on a queue
  has been flushed into the pipe (see mp_factorizer.py for what happens otherwise).

Processes start by the platform's default method (fork on Linux); the Rust toolkit always
re-executes its binary, which is closer to Python's spawn (see main_guard.py).

Run: python3 python/processes/spawn_join.py [--children N]
"""

import multiprocessing
import os
import string
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    ArgumentParser, Checks, Table, header, human, int_in, say,
)


# ANCHOR: worker
def worker(name, out_q):
    """The tutorial's worker, plus a queue so its result reaches the parent."""
    pid, parent_pid = os.getpid(), os.getppid()
    say(f"  worker {name}: PID={pid}, parent PID={parent_pid}")
    result = f"Result from {name}"
    out_q.put((name, result, pid, parent_pid))
    return result  # what the tutorial returns: Process discards it
# ANCHOR_END: worker


def main():
    parser = ArgumentParser(
        description="Start child processes, print their PIDs, join them and read their exit codes.")
    parser.add_argument("--children", type=int_in(1, 26), default=2,
                        help="how many child processes to start (1..=26, default 2)")
    args = parser.parse_args()

    header("spawn_join: child processes, their PIDs, join and exit codes (Python twin)")
    me = os.getpid()
    say(f"main process: PID={me}; processes start by {multiprocessing.get_start_method()}")
    checks = Checks()

    # ANCHOR: spawn_join
    names = list(string.ascii_uppercase[:args.children])
    out_q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=worker, args=(name, out_q), name=f"worker-{name}")
             for name in names]
    start = time.perf_counter()
    for p in procs:
        p.start()  # returns at once: the child runs on its own from here
    took = time.perf_counter() - start
    say(f"started {len(procs)} children in {human(took)} (start() does not wait for the child)")

    # Drain first (one message per child, in whatever order they finish), then join.
    reports = {}
    for _ in procs:
        name, result, pid, parent_pid = out_q.get(timeout=30)
        reports[name] = (result, pid, parent_pid)
    for p in procs:
        p.join()  # blocks until this child has exited
    # ANCHOR_END: spawn_join

    table = Table(["child", "PID", "parent PID", "exit code", "returned (via the queue)"])
    for name, p in zip(names, procs):
        result, _, parent_pid = reports.get(name, ("nothing", None, None))
        table.row([name, p.pid, parent_pid, p.exitcode, result])
    print()
    print(table)
    for name, p in zip(names, procs):
        result, pid, parent_pid = reports.get(name, ("nothing", None, None))
        checks.check(f"child {name} ran in its own process, under us, and exited 0",
                     p.exitcode == 0 and pid == p.pid and parent_pid == me
                     and result == f"Result from {name}")

    pids = {p.pid for p in procs}
    checks.check("every child had a PID of its own, none ours",
                 len(pids) == len(procs) and me not in pids)
    checks.check("no child is still alive after join()",
                 not any(p.is_alive() for p in procs) and not multiprocessing.active_children())
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
