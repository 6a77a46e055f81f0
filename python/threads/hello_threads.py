"""hello_threads: start named threads, wait for them, get their results back, and see what
happens when one of them raises.

Python twin of the Rust lesson `hello_threads` (examples-threads). Tutorial 002 starts processes
that print their PID and return a string nobody can read; this is the same first step with
threads, and it shows two differences from Rust:

* a `threading.Thread` cannot return a value: `join()` returns None, so each worker writes its
  result into a slot of a list the main thread owns (Rust's `JoinHandle::join` hands the value
  back);
* an exception in a thread does NOT reach `join()`: it goes to `threading.excepthook`, which by
  default prints a traceback to stderr, and `join()` returns as if all went well (Rust's `join`
  returns `Err` carrying the panic). Here a custom excepthook records it so we can check it.

Run: python3 python/threads/hello_threads.py [--threads N]
"""

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (  # noqa: E402
    ArgumentParser, Checks, Table, count_primes_below, header, int_in, say,
)

WORK_STEP = 2_000  # worker i counts the primes below WORK_STEP * (i + 1)


# ANCHOR: core
def worker(index, results):
    """Count some primes and leave the answer in this worker's own slot of `results`."""
    me = threading.current_thread()
    limit = WORK_STEP * (index + 1)
    say(f"  {me.name}: hello from thread {threading.get_native_id()} in process {os.getpid()}, "
        f"counting primes below {limit}")
    # Each thread writes only its own index, so no two threads touch the same slot.
    results[index] = (me.name, limit, count_primes_below(limit))


def doomed(number):
    """A worker that fails half-way: the exception ends this thread, and nothing else."""
    if number > 2:
        raise ValueError(f"cannot handle {number}")
    return number
# ANCHOR_END: core


def main():
    parser = ArgumentParser(description="Named threads, results and a failing thread.")
    parser.add_argument("--threads", type=int_in(1, 32), default=4,
                        help="how many worker threads to start (1..=32, default 4)")
    args = parser.parse_args()

    header("hello_threads (Python twin)")
    checks = Checks()

    say(f"main thread is {threading.current_thread().name!r}; starting {args.threads} workers")
    results = [None] * args.threads
    threads = [threading.Thread(target=worker, args=(i, results), name=f"worker-{i}")
               for i in range(args.threads)]
    for t in threads:
        t.start()
    # The greetings above arrive in whatever order the threads got the GIL; join() waits for each.
    returned = [t.join() for t in threads]
    say("all workers joined")

    table = Table(["thread", "primes below", "count"])
    for name, limit, count in results:
        table.row([name, limit, count])
    print()
    print(table)

    checks.check("join() hands back nothing (None), so results travel through a shared list",
                 all(r is None for r in returned))
    checks.check("every worker filled its own slot",
                 all(r is not None for r in results))
    checks.check("each slot holds the right count (recomputed in the main thread)",
                 all(r[2] == count_primes_below(WORK_STEP * (i + 1))
                     for i, r in enumerate(results)))
    checks.check("each thread kept the name it was given",
                 [r[0] for r in results] == [f"worker-{i}" for i in range(args.threads)])

    say("\nnow a thread that raises ValueError; our excepthook records what Python reports")
    seen = []
    default_hook = threading.excepthook

    def recording_hook(info):
        # info has exc_type, exc_value, exc_traceback and thread: the only place the error goes.
        seen.append((info.thread.name, info.exc_type.__name__, str(info.exc_value)))

    threading.excepthook = recording_hook
    try:
        failing = threading.Thread(target=doomed, args=(3,), name="doomed")
        failing.start()
        join_raised = False
        try:
            failing.join()
        except Exception:  # it never does: that is the lesson
            join_raised = True
    finally:
        threading.excepthook = default_hook

    for name, kind, message in seen:
        say(f"  excepthook: thread {name!r} died with {kind}: {message}")
    say(f"  join() raised: {join_raised}; thread still alive: {failing.is_alive()}")
    checks.check("join() on the failed thread returned normally", not join_raised)
    checks.check("the exception went to threading.excepthook, named after its thread",
                 seen == [("doomed", "ValueError", "cannot handle 3")])

    say("\nthe same failing call through a ThreadPoolExecutor: its Future re-raises in the caller")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pool") as pool:
        future = pool.submit(doomed, 3)
        try:
            future.result()
            caught = None
        except ValueError as err:
            caught = str(err)
    say(f"  future.result() raised ValueError: {caught}")
    checks.check("Future.result() re-raises the worker's exception, like Rust's join() -> Err",
                 caught == "cannot handle 3")

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
