"""debugging: who said what, and who raised.

Python twin of the Rust lesson `debugging` (examples-processes), after tutorial 001's FAQ on
debugging a multiprocessing program: `multiprocessing.log_to_stderr()` tags each log line with
the level and the process's name; threads have names, which a thread's traceback repeats; and an
exception in a child process prints its traceback on the shared stderr while the parent sees only
the exit code (1). The last worker of each kind raises on purpose.

Run: python3 python/processes/debugging.py [--workers N]
"""

import logging
import multiprocessing
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

COUNT = 1_000
EXPECTED = COUNT * (COUNT + 1) * (2 * COUNT + 1) // 6


# ANCHOR: logger
def start_logging():
    """Python's own: `[INFO/Process-2] ...` on stderr, in the parent and in every child. The
    format adds the PID and the thread's name, as the Rust lesson's lines have them."""
    logger = multiprocessing.log_to_stderr(logging.INFO)
    logger.handlers[0].setFormatter(logging.Formatter(
        "[%(levelname)s/%(processName)s pid %(process)d %(threadName)s] %(message)s"))
    return logger
# ANCHOR_END: logger


# ANCHOR: work
def square_all(worker, fail, results=None):
    multiprocessing.get_logger().info(f"worker {worker}: squaring 1..={COUNT}")
    if fail:
        raise ValueError(f"worker {worker}: a bug (on purpose)")
    total = sum(n * n for n in range(1, COUNT + 1))
    if results is not None:
        results.put((os.getpid(), total))
    return total
# ANCHOR_END: work


def main():
    parser = ArgumentParser(description="Logs tagged with process and thread, named threads, "
                                        "exceptions in threads and children.")
    parser.add_argument("--workers", type=int_in(2, 8), default=3,
                        help="worker threads, and worker processes; the last of each raises "
                             "(default 3)")
    args = parser.parse_args()
    start_logging()
    header("debugging: who said what, and who raised (Python twin)")
    say("(log lines and tracebacks go to stderr; stdout has the narration and the checks)")
    checks = Checks()

    say(f"\n-- {args.workers} named threads; the last one raises")
    # ANCHOR: threads
    sums, errors = {}, {}

    def run(worker, fail):
        try:
            sums[threading.current_thread().name] = square_all(worker, fail)
        except ValueError as err:  # a thread's exception dies with it unless caught
            errors[threading.current_thread().name] = str(err)
            raise  # threading.excepthook prints it, naming the thread

    threads = [threading.Thread(target=run, args=(w, w == args.workers), name=f"worker-{w}")
               for w in range(1, args.workers + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # ANCHOR_END: threads
    for t in threads:
        if t.name in errors:
            say(f"{t.name} raised: {errors[t.name]!r}")
            checks.check(f"the exception caught is the one {t.name} raised",
                         t.name == f"worker-{args.workers}"
                         and errors[t.name].startswith(f"worker {args.workers}:"))
        else:
            checks.check(f"{t.name} returned the right sum", sums.get(t.name) == EXPECTED)

    say(f"\n-- {args.workers} worker processes; the last one raises")
    # ANCHOR: processes
    for worker in range(1, args.workers + 1):
        fail = worker == args.workers
        results = multiprocessing.Queue()
        p = multiprocessing.Process(target=square_all, args=(worker, fail, results))
        p.start()
        got = None if fail else results.get(timeout=30)
        p.join(timeout=30)
        if fail:
            say(f"child {p.pid} ended with exitcode {p.exitcode}; its message stayed in its stderr")
            checks.check(f"the parent sees child {p.pid} failed (exitcode 1)", p.exitcode == 1)
        else:
            say(f"child {p.pid} ended with exitcode {p.exitcode}; it reported pid {got[0]}")
            checks.check(f"child {p.pid} reported its own PID and the right sum",
                         p.exitcode == 0 and got == (p.pid, EXPECTED))
    # ANCHOR_END: processes
    say("\nTry: python3 -X dev for more warnings; faulthandler.dump_traceback_later for hangs")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
