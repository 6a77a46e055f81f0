"""pipe: a two-way request/response pipe between the parent and one child.

Python twin of the Rust lesson `pipe` (examples-ipc): `multiprocessing.Pipe()` gives two
`Connection` ends; the child gets one, answers requests until "bye", and every answer is checked.
The parent receives with `poll(timeout)` first, so a child that stalls cannot hang it. What a
closed end does is `pipe_closed.py`, which uses this file's child.

Each side must close its copy of the other's end: with fork, both processes hold both ends, and
`recv` would wait forever for a crashed child (or a child for a departed parent) instead of
raising `EOFError`. Rust's ends are close-on-exec and move into the child, so nothing is copied.

Run: python3 python/ipc/pipe.py [--requests N]
"""

import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, human, int_in  # noqa: E402

WAIT = 5.0


# ANCHOR: serve
def serve(conn, parents_end):
    parents_end.close()  # fork copied it here; while we hold it, the parent's close is not EOF
    served = 0
    while True:
        try:
            kind, value = conn.recv()
        except EOFError:
            return  # the parent hung up
        if kind == "square":
            conn.send(("square", value * value))
        elif kind == "upper":
            conn.send(("upper", value.upper()))
        elif kind == "crash":
            os.abort()
        elif kind == "bye":
            conn.send(("bye", served))
            return
        served += 1
# ANCHOR_END: serve


def start():
    parent, child_end = multiprocessing.Pipe()
    child = multiprocessing.Process(target=serve, args=(child_end, parent))
    child.start()
    child_end.close()  # only the child holds it now: its death closes the pipe
    return parent, child


def recv_within(conn, timeout):
    """recv, but an error instead of a hang: 'closed' (EOFError) or 'timeout'."""
    if not conn.poll(timeout):
        return "timeout"
    try:
        return conn.recv()
    except EOFError:
        return "closed"


def main():
    parser = ArgumentParser(description="A two-way request/response pipe between parent and child.")
    parser.add_argument("--requests", type=int_in(1, 1_000_000), default=10_000,
                        help="requests to send")
    args = parser.parse_args()
    header("pipe: a two-way request/response pipe between parent and child (Python twin)")
    n, checks = args.requests, Checks()

    # ANCHOR: conversation
    parent, child = start()
    print(f"parent PID={os.getpid()} started child PID={child.pid}")
    t0, right = time.perf_counter(), 0
    for i in range(n):
        request, expected = (("square", i), ("square", i * i)) if i % 2 == 0 else \
            (("upper", f"word{i}"), ("upper", f"WORD{i}"))
        parent.send(request)
        right += recv_within(parent, WAIT) == expected
    took = time.perf_counter() - t0
    # ANCHOR_END: conversation
    print(f"{n} requests answered one at a time in {human(took)}: {n / took:.0f} round trips/s")
    checks.check(f"all {n} answers were right", right == n)
    parent.send(("bye", None))
    bye = recv_within(parent, WAIT)
    child.join(WAIT)
    if child.is_alive():  # it never said goodbye: do not leave it behind
        child.kill()
        child.join()
    print(f"goodbye: child answered {bye} and ended with exitcode {child.exitcode}")
    checks.check("the child counted every request and exited 0",
                 bye == ("bye", n) and child.exitcode == 0)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
