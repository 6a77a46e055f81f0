"""exit_codes: six ways a child process can end, and the `exitcode` the parent reads for each.

Python twin of the Rust lesson `exit_codes` (examples-processes), after tutorial 001's FAQ on
exceptions: a child's exception does not reach the parent, but `Process.exitcode` tells how the
child ended. The children here

* return normally (exitcode 0),
* call `sys.exit(--code)` (exitcode = that code),
* raise an exception nobody catches (exitcode 1, the traceback goes to the child's stderr),
* call `os.abort()` (killed by SIGABRT: exitcode -6, minus the signal number),
* sleep until the parent calls `terminate()` (SIGTERM: -15) or `kill()` (SIGKILL: -9).

The last column is what the Rust twin's `Exit::exitcode()` prints for the same ending: the
same figures, except that an uncaught Rust panic exits with 101 where an uncaught Python
exception exits with 1. Like the Rust lesson's `returned` column, the child's return value is
sent back through a queue; `Process` itself throws it away.

Run: python3 python/processes/exit_codes.py [--code N]
"""

import multiprocessing
import os
import resource
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, int_in, say  # noqa: E402


# ANCHOR: endings
def end_like(ending, code, out_q):
    if ending == "return":
        out_q.put("finished normally")
        return "finished normally"  # Process discards this; the queue carries it
    if ending == "exit":
        sys.exit(code)
    if ending == "raise":
        raise ValueError("this child raises on purpose")
    if ending == "abort":
        # No cleanup, no exception: the process raises SIGABRT against itself. A core-size
        # limit of 0 keeps it from leaving a core file behind.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.abort()
    if ending == "sleep":
        out_q.put("asleep")  # tells the parent it is running; then waits to be signalled
        time.sleep(60)
        return "woke up"
    raise AssertionError(ending)
# ANCHOR_END: endings


def describe(exitcode):
    """What an exitcode means: `exit code 3` or `killed by SIGKILL`."""
    if exitcode is None:
        return "still running"
    if exitcode < 0:
        return f"killed by {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


def main():
    parser = ArgumentParser(
        description="Children that return, exit, raise, abort or are killed: what the parent sees.")
    parser.add_argument("--code", type=int_in(1, 255), default=3,
                        help='the code the "calls sys.exit(code)" child exits with (default 3)')
    args = parser.parse_args()

    header("exit_codes: how a child ended, as the parent sees it (Python twin)")
    say("(the traceback below comes from the raising child's stderr)")
    scenarios = [
        # what, ending, what the parent does, expected exitcode, the Rust twin's figure
        ("returns", "return", None, 0, "0"),
        (f"calls sys.exit({args.code})", "exit", None, args.code, str(args.code)),
        ("raises an exception", "raise", None, 1, "101 (a panic)"),
        ("calls os.abort()", "abort", None, -signal.SIGABRT, str(-signal.SIGABRT)),
        ("is stopped by terminate()", "sleep", "terminate", -signal.SIGTERM, str(-signal.SIGTERM)),
        ("is stopped by kill()", "sleep", "kill", -signal.SIGKILL, str(-signal.SIGKILL)),
    ]
    table = Table(["the child", "exitcode", "meaning", "returned", "Rust twin's exitcode()"])
    outcomes = []
    # ANCHOR: observe
    for what, ending, action, expected, rust in scenarios:
        out_q = multiprocessing.Queue()
        p = multiprocessing.Process(target=end_like, args=(ending, args.code, out_q))
        p.start()
        returned = "nothing"
        if action:
            out_q.get(timeout=30)  # wait until it is asleep, so the signal meets a running child
            getattr(p, action)()  # terminate() sends SIGTERM, kill() sends SIGKILL
        elif ending == "return":
            returned = out_q.get(timeout=30)
        p.join(timeout=30)
        if p.is_alive():  # never expected; do not leave it behind
            p.kill()
            p.join()
        say(f"child {p.pid} {what}: {describe(p.exitcode)}")
        table.row([what, p.exitcode, describe(p.exitcode), returned, rust])
        outcomes.append((what, expected, p.exitcode))
    # ANCHOR_END: observe
    print()
    print(table)

    checks = Checks()
    for what, expected, got in outcomes:
        checks.check(f"a child that {what} has exitcode {expected}", got == expected)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
