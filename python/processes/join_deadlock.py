"""join_deadlock: joining a child before reading what it sent.

Python twin of the Rust lesson `join_deadlock` (examples-processes), after the note in
Bendersky's `mp_factorizer` that processes are joined only after their queue has been drained
(the multiprocessing documentation's "Joining processes that use queues").

A child that has put a large object on a `multiprocessing.Queue` cannot exit until the object
has gone through the pipe behind the queue (the queue's feeder thread is joined at exit), and the
pipe holds only 64 KiB. So a parent that joins the child before it reads waits for a child that
waits for it. Shown safely, twice: the child factors 2..N, puts every result in one dict, tells
the parent (an Event) that its work is done, and the parent calls `join(timeout=1)`.

* N = 100: the dict fits in the pipe, the child exits, join-first works (which is why the bug
  hides in small tests);
* N = --n (default 200000): the child is still alive after the timeout, blocked on the full pipe.
  Then the parent drains the queue and the join succeeds at once.

Run: python3 python/processes/join_deadlock.py [--n N]
"""

import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, factorize_naive, header, human, int_in, say  # noqa: E402

SMALL_N = 100  # its whole result fits in the pipe
WATCHDOG = 1.0  # seconds the join-first attempt waits before calling the child stuck
COMPUTE_DEADLINE = 120.0  # seconds the child may take to compute before the parent gives up


def factor_below(below, out_q, computed):
    """Factor 2..below, say the work is done, then put everything on the queue in one dict."""
    outdict = {n: factorize_naive(n) for n in range(2, below)}
    computed.set()
    out_q.put(outdict)


# ANCHOR: deadlock
def join_before_draining(below):
    """Join first (with a timeout), see whether the child could exit, then drain and join."""
    out_q = multiprocessing.Queue()
    computed = multiprocessing.Event()
    p = multiprocessing.Process(target=factor_below, args=(below, out_q, computed))
    p.start()
    computed.wait(timeout=COMPUTE_DEADLINE)
    p.join(timeout=WATCHDOG)  # the mistake: join first
    exited = not p.is_alive()
    if exited:
        say(f"  join(timeout={WATCHDOG:g}) before reading: child {p.pid} had exited "
            f"(exitcode {p.exitcode})")
    else:
        say(f"  join(timeout={WATCHDOG:g}) before reading: child {p.pid} is still alive, "
            f"blocked writing its result into the pipe")
    start = time.perf_counter()
    outdict = out_q.get(timeout=COMPUTE_DEADLINE)  # the fix: drain first...
    p.join(timeout=30)  # ...then join
    say(f"  after draining {len(outdict)} results: child exited with exitcode {p.exitcode} "
        f"({human(time.perf_counter() - start)} to read and join)")
    if p.is_alive():  # never expected; do not leave it behind
        p.kill()
        p.join()
    return exited, len(outdict), p.exitcode
# ANCHOR_END: deadlock


def main():
    parser = ArgumentParser(
        description="Join a child before reading its large result: it cannot exit "
                    "(shown with a timeout).")
    parser.add_argument("--n", type=int_in(100_000, 5_000_000), default=200_000,
                        help="the large case's child factors 2..N and puts every result on the "
                             "queue in one dict (100000..=5000000, default 200000)")
    args = parser.parse_args()

    header("join_deadlock: joining a child before reading what it sent (Python twin)")
    say(f"a child factors 2..N and puts every result on a queue in one dict; the parent joins "
        f"first (started by {multiprocessing.get_start_method()})")
    checks = Checks()
    for below in (SMALL_N, args.n):
        say(f"N = {below}:")
        exited, received, code = join_before_draining(below)
        if below == SMALL_N:
            checks.check(f"N = {below}: the small result fit the pipe, so join-first returned",
                         exited)
        else:
            checks.check(f"N = {below}: joining first, the child could not exit while its "
                         f"output was unread", not exited)
        checks.check(f"N = {below}: after draining, every result arrived and the child exited 0",
                     received == below - 2 and code == 0)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
