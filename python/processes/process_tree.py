"""process_tree: a child that starts a child of its own, is_alive(), and a killed parent.

Python twin of the Rust lesson `process_tree` (examples-processes), after the FAQ in Bonannella's
SitePoint guide, which suggests `is_alive()` to see whether a child is still running. A
(non-daemonic) Process starts a grandchild; the parent kills the middle process with SIGKILL and watches the grandchild.
Nothing in multiprocessing ties a process's life to its parent's: the grandchild is orphaned,
re-parented, and keeps running. The twin checks that this is what happened, then kills the orphan
itself so that nothing is left behind.

Run: python3 python/processes/process_tree.py [--grace-ms N]
"""

import multiprocessing
import os
import queue
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

NAP = 60  # seconds: long enough to be killed first


def running(pid):
    """Exists and is not a zombie (an orphan's zombie waits for PID 1 to reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return False


# ANCHOR: tree
def grandchild(report):
    report.put((os.getpid(), os.getppid()))
    time.sleep(NAP)


def middle(report):
    multiprocessing.Process(target=grandchild, args=(report,)).start()
    report.put((os.getpid(), os.getppid()))
    time.sleep(NAP)
# ANCHOR_END: tree


def main():
    parser = ArgumentParser(description="A child starts a grandchild; kill the child: "
                                        "does the grandchild live on?")
    parser.add_argument("--grace-ms", type=int_in(100, 60_000), default=2000,
                        help="how long the grandchild may outlive its killed parent (default 2000)")
    args = parser.parse_args()
    header("process_tree: a child's child, is_alive, and a killed parent (Python twin)")
    me = os.getpid()
    checks = Checks()
    # ANCHOR: main
    report = multiprocessing.Queue()
    child = multiprocessing.Process(target=middle, args=(report,))
    child.start()
    try:
        family = [report.get(timeout=10) for _ in range(2)]
    except queue.Empty:  # never expected; end the tree rather than leave it sleeping
        child.kill()
        child.join()
        print("error: the tree did not report in 10 s", file=sys.stderr)
        return 1
    grandchild_pid, its_parent = next(m for m in family if m[0] != child.pid)
    say(f"me {me} -> child {child.pid} -> grandchild {grandchild_pid} (its parent: {its_parent})")
    checks.check("the grandchild is the child's child", its_parent == child.pid)
    say(f"is_alive: child {child.is_alive()}, grandchild {running(grandchild_pid)}")

    say(f"\nkill -9 {child.pid} (the child), as a crash or the OOM killer would")
    killed = time.perf_counter()
    child.kill()
    child.join()
    say(f"the child ended with exitcode {child.exitcode}; is_alive: {child.is_alive()}")
    while running(grandchild_pid) and time.perf_counter() - killed < args.grace_ms / 1000:
        time.sleep(0.001)
    orphan = running(grandchild_pid)
    # ANCHOR_END: main
    if orphan:
        say(f"the grandchild outlived its parent by {args.grace_ms} ms: an orphan, "
            "still running (the twin kills it now)")
        os.kill(grandchild_pid, signal.SIGKILL)
    checks.check("the child was killed by SIGKILL", child.exitcode == -signal.SIGKILL)
    checks.check("the grandchild was left running: Python ties no child to its parent", orphan)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
