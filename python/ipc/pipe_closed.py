"""pipe_closed: what the other side of a pipe sees when one end closes.

Python twin of the Rust lesson `pipe_closed` (examples-ipc), with the child of `pipe.py`: after a
child says goodbye and returns, `recv` raises `EOFError` at once; a child that crashes
mid-request (`os.abort`) does the same, within a deadline (`poll(timeout)` first, so a child that
merely stalls cannot hang the parent); and a child whose parent closes its end sees `EOFError`
and returns.

Each side must close its copy of the other's end: with fork, both processes hold both ends, and
`recv` would wait forever for a crashed child (or a child for a departed parent) instead of
raising `EOFError`. Rust's ends are close-on-exec and move into the child, so nothing is copied.

Run: python3 python/ipc/pipe_closed.py
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, human  # noqa: E402
from pipe import WAIT, recv_within, start  # noqa: E402


def reap(child):
    child.join(WAIT)
    if child.is_alive():  # stalled without dying: do not leave it behind
        child.kill()
        child.join()


def main():
    ArgumentParser(description="A pipe's closed ends: returned, crashed, hung up.").parse_args()
    header("pipe_closed: what a closed or crashed end does (Python twin)")
    checks = Checks()

    # ANCHOR: returned
    parent, child = start()
    parent.send(("bye", None))
    bye = recv_within(parent, WAIT)
    reap(child)
    t0 = time.perf_counter()
    after = recv_within(parent, WAIT)
    print(f"child PID={child.pid} said {bye} and ended with exitcode {child.exitcode}; "
          f"recv after that: {after} after {human(time.perf_counter() - t0)}")
    checks.check("a returned child's end reads as closed at once",
                 bye == ("bye", 0) and after == "closed")
    # ANCHOR_END: returned

    # ANCHOR: crash
    parent, child = start()
    parent.send(("crash", None))
    t0 = time.perf_counter()
    got = recv_within(parent, WAIT)
    waited = time.perf_counter() - t0
    reap(child)
    print(f"child PID={child.pid} crashed mid-request: recv gave {got} after {human(waited)}; "
          f"exitcode {child.exitcode}")
    checks.check("a crashed child's end reads as closed within the deadline",
                 got == "closed" and child.exitcode == -6)
    # ANCHOR_END: crash

    # ANCHOR: hang_up
    parent, child = start()
    parent.close()
    reap(child)
    print(f"parent hung up first: child PID={child.pid} ended with exitcode {child.exitcode}")
    checks.check("a child whose parent hangs up returns on its own", child.exitcode == 0)
    # ANCHOR_END: hang_up
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
