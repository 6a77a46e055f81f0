"""barrier: threading.Barrier, nobody starts phase 2 before everyone finished phase 1.

Python twin of the Rust lesson `barrier` (examples-sync): worker 0 is slow in phase 1, and the
barrier between the phases keeps the others waiting for it. Each worker logs (phase, worker); no
phase-2 entry may come before the last phase-1 entry. The Barrier has a timeout, so a bug fails a
check instead of hanging.

Run: python3 python/sync/barrier.py [--workers N]
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

PATIENCE = 5.0  # seconds: the longest any one wait may take
SLOW_PHASE_1 = 0.03  # seconds: worker 0's phase 1
QUICK_PHASE_1 = 0.001  # seconds: everyone else's


def main():
    parser = ArgumentParser(description="A Barrier: nobody starts phase 2 before everyone "
                                        "finished phase 1.")
    parser.add_argument("--workers", type=int_in(2, 16), default=4,
                        help="how many worker threads meet at the barrier (2..=16, default 4)")
    workers = parser.parse_args().workers

    header("barrier (Python twin)")
    say(f"\n-- Barrier: {workers} workers, two phases --")
    # ANCHOR: barrier
    gate = threading.Barrier(workers, timeout=PATIENCE)
    log = []  # (phase, worker) in the order they happened; list.append is atomic in CPython

    def worker(index):
        time.sleep(SLOW_PHASE_1 if index == 0 else QUICK_PHASE_1)
        log.append((1, index))
        gate.wait()  # raises BrokenBarrierError after the timeout instead of hanging
        log.append((2, index))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=PATIENCE)
    # ANCHOR_END: barrier
    say("phase:worker in order: " + " ".join(f"{p}:{w}" for p, w in log))
    phases = [p for p, _ in log]
    checks = Checks()
    checks.check("every worker logged both phases", len(log) == 2 * workers)
    checks.check("nobody started phase 2 before everyone finished phase 1",
                 phases == sorted(phases))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
