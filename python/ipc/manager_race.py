"""manager_race: a manager's dict is synchronized per call, not per line.

Python twin of the Rust lesson `manager_race` (examples-ipc). Every worker increments two
counters in a manager's dict: `d["racy"] += 1` as a program would write it (through a proxy that
is a get and a set, two calls, with room for another worker's update in between), and
`d["exact"]` the way Python has to do it to be exact: under a `manager.Lock()`, which costs two
more messages per increment (acquire, release). The Rust proxy's `add` is one call that the
server applies under its own lock.

Run: python3 python/ipc/manager_race.py [--workers N] [--increments N]
"""

import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, human, int_in, say  # noqa: E402
from manager_dict import run_phase  # noqa: E402


# ANCHOR: increment
def increment(shared_dict, lock, times):
    """Adds 1 to both counters, `times` times: "racy" as written, "exact" under the lock."""
    for _ in range(times):
        shared_dict["racy"] += 1  # a get, then a set: another worker's set may land between
        with lock:  # without it, concurrent `+= 1`s lose updates
            shared_dict["exact"] += 1
# ANCHOR_END: increment


def main():
    parser = ArgumentParser(description="A manager's dict: += through a proxy loses updates.")
    parser.add_argument("--workers", type=int_in(1, 32), default=4, help="worker processes")
    parser.add_argument("--increments", type=int_in(1, 1_000_000), default=2_000,
                        help="increments each worker makes to each counter")
    args = parser.parse_args()
    header("manager_race: synchronized per call, not per line (Python twin)")
    workers, times = args.workers, args.increments
    with multiprocessing.Manager() as manager:
        say(f"manager server PID={manager._process.pid}; {workers} workers, each adding 1 to "
            f"both counters {times} times")
        shared_dict, lock = manager.dict(racy=0, exact=0), manager.Lock()
        start = time.perf_counter()
        codes = run_phase(increment, lambda _: (shared_dict, lock, times), workers)
        took = time.perf_counter() - start
        racy, exact = shared_dict["racy"], shared_dict["exact"]
    expected = workers * times
    say(f"both counters done in {human(took)}; expected {expected} each")
    say(f"get-then-set (d[k] += 1): {racy} arrived, {expected - racy} lost to the race")
    say(f"under manager.Lock() (acquire, get, set, release: four calls each): {exact} arrived")

    checks = Checks()
    checks.check("every worker finished without error", codes == [0] * workers)
    checks.check(f"the locked increments counted every one ({exact} of {expected})",
                 exact == expected)
    checks.check("get-then-set never counts more than was added "
                 "(how many it loses is up to the scheduler)", 1 <= racy <= expected)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
