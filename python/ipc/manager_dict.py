"""manager_dict: a dict and a list owned by a manager process, changed from worker processes.

Python twin of the Rust lesson `manager_dict` (examples-ipc), after the tutorial's `Manager()`
example: each worker sets `worker_<id>` to `id * 10` and appends its id, and the parent prints
both. Nothing is shared: the manager's server process owns the dict and the list, and every
proxy call is a message to it and a reply. At the end of the `with` block the server shuts down.

The other manager twins: `manager_race.py` (a `+=` through a proxy loses updates),
`manager_batching.py` (what a call costs), `manager_authkey.py` (who may connect).

Run: python3 python/ipc/manager_dict.py [--workers N]
"""

import multiprocessing
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

JOIN_WAIT = 120  # seconds: far beyond any healthy worker, short of a hang


# ANCHOR: tutorial
def worker(shared_dict, shared_list, worker_id):
    """The tutorial's worker, as written there."""
    shared_dict[f"worker_{worker_id}"] = worker_id * 10
    shared_list.append(worker_id)
# ANCHOR_END: tutorial


def run_phase(target, args_for, workers):
    """Starts one process per worker, joins them all (killing any still running after JOIN_WAIT),
    and returns their exit codes."""
    procs = [multiprocessing.Process(target=target, args=args_for(i)) for i in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=JOIN_WAIT)
        if p.is_alive():
            p.kill()
            p.join()
    return [p.exitcode for p in procs]


def main():
    parser = ArgumentParser(description="A manager process owning a dict and a list.")
    parser.add_argument("--workers", type=int_in(1, 32), default=4,
                        help="worker processes (1..=32, default 4)")
    args = parser.parse_args()
    header("manager_dict: a dict and a list owned by a manager process (Python twin)")
    checks = Checks()
    workers = args.workers

    # ANCHOR: main
    with multiprocessing.Manager() as manager:
        say(f"parent PID={os.getpid()}; manager server PID={manager._process.pid}")
        shared_dict = manager.dict()
        shared_list = manager.list()
        codes = run_phase(worker, lambda i: (shared_dict, shared_list, i), workers)
        print(f"Dict: {sorted(shared_dict.items())}")
        print(f"List: {list(shared_list)}  (in the order the workers got there)")
        # ANCHOR_END: main
        final_dict, final_list = dict(shared_dict), list(shared_list)
        server = manager._process
    say(f"manager shut down; last read: {len(final_dict)} keys and a list of {len(final_list)}")

    checks.check(f"{workers} tutorial workers ran without error", codes == [0] * workers)
    checks.check("the dict holds worker_<id> = id * 10 for every worker",
                 final_dict == {f"worker_{i}": i * 10 for i in range(workers)})
    checks.check("the list holds every worker id once", sorted(final_list) == list(range(workers)))
    checks.check(f"the manager server (PID {server.pid}) has exited", not server.is_alive())
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
