"""manager_dict: a dict and a list owned by a manager process, changed from worker processes.

Python twin of the Rust lesson `manager_dict` (examples-ipc), after tutorial 002's `Manager()`
example: each worker sets `worker_<id>` to `id * 10` and appends its id. Then the same timed
phases as the Rust lesson: every worker makes `--ops` calls (set its own key, read it back, add
one to a shared total), first one proxy call at a time, then batched.

What the tutorial does not show:

* `d["total"] += 1` through a proxy is a get and a set, two messages: another worker's update can
  land in between and be overwritten. The Rust proxy has an `add` that runs on the server; here
  the twin takes a `manager.Lock()` around the two calls (a third and fourth message), which is
  what a Python program has to do to get an exact total.
* the lock makes each "add" four messages more (acquire, get, set, release), so the twin also
  times the plain set-then-get mix the Rust bench measures, without a lock.
* a Python proxy has no batch call. The batched phase sends one `update()` of many keys per
  message, and adds the whole batch to the total at once, the closest a stock proxy gets.

The authkey: every process the manager starts inherits `current_process().authkey`, so the
workers connect; a process that presents another key is refused (`AuthenticationError`).

Run: python3 python/ipc/manager_dict.py [--workers N] [--ops N] [--batch N]
"""

import multiprocessing
import multiprocessing.managers
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in, say  # noqa: E402


# ANCHOR: tutorial
def worker(shared_dict, shared_list, worker_id):
    """Tutorial 002's worker, as written there."""
    shared_dict[f"worker_{worker_id}"] = worker_id * 10
    shared_list.append(worker_id)
# ANCHOR_END: tutorial


# ANCHOR: round_trips
def round_trips(shared_dict, lock, worker_id, ops, wrong):
    key = f"w{worker_id}"
    for j in range(ops // 3):
        shared_dict[key] = j
        if shared_dict[key] != j:
            wrong.value += 1
        with lock:  # without it, concurrent `+= 1`s lose updates
            shared_dict["total"] = shared_dict.get("total", 0) + 1
# ANCHOR_END: round_trips


def set_get(shared_dict, worker_id, ops, wrong):
    """The bench's mix: set a key of its own and read it back, nothing shared, no lock."""
    key = f"s{worker_id}"
    for j in range(ops // 2):
        shared_dict[key] = j
        if shared_dict[key] != j:
            wrong.value += 1


# ANCHOR: racy
def get_then_set(shared_dict, times):
    """`d["racy"] += 1` as a program would write it: a get and a set, no lock."""
    for _ in range(times):
        shared_dict["racy"] += 1
# ANCHOR_END: racy


def batched(shared_dict, lock, worker_id, ops, batch, wrong):
    key = f"b{worker_id}"
    triples, per = ops // 3, max(batch // 3, 1)
    for start in range(0, triples, per):
        end = min(start + per, triples)
        shared_dict.update({key: end - 1})
        if shared_dict[key] != end - 1:
            wrong.value += 1
        with lock:
            shared_dict["total"] = shared_dict.get("total", 0) + (end - start)


def intruder(address, result):
    """Connects to the manager's address with a key of its own."""
    try:
        forged = multiprocessing.managers.SyncManager(address=address, authkey=b"B" * 32)
        forged.connect()
        result.value = 1  # let in
    except multiprocessing.AuthenticationError:
        result.value = 2  # refused
    except Exception:  # noqa: BLE001 - any other failure is reported as such
        result.value = 3


def run_phase(target, args_for, workers):
    procs = [multiprocessing.Process(target=target, args=args_for(i)) for i in range(workers)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    took = time.perf_counter() - start
    return [p.exitcode for p in procs], took


def per_second(ops, seconds):
    rate = ops / seconds
    return f"{rate / 1e6:.2f}M ops/s" if rate >= 1e6 else f"{rate / 1e3:.0f}k ops/s"


def main():
    parser = ArgumentParser(description="A manager process owning a dict and a list.")
    parser.add_argument("--workers", type=int_in(1, 32), default=4,
                        help="worker processes (1..=32, default 4)")
    parser.add_argument("--ops", type=int_in(1, 10_000_000), default=6_000,
                        help="calls each worker makes in each timed phase (default 6000)")
    parser.add_argument("--batch", type=int_in(1, 100_000), default=1024,
                        help="calls per message in the batched phase (default 1024)")
    args = parser.parse_args()
    header("manager_dict: a dict and a list owned by a manager process (Python twin)")
    checks = Checks()
    workers = args.workers

    # ANCHOR: main
    with multiprocessing.Manager() as manager:
        say(f"parent PID={os.getpid()}; manager server PID={manager._process.pid}")
        shared_dict = manager.dict()
        shared_list = manager.list()
        codes, _ = run_phase(worker, lambda i: (shared_dict, shared_list, i), workers)
        print(f"Dict: {sorted(shared_dict.items())}")
        print(f"List: {list(shared_list)}  (in the order the workers got there)")
        # ANCHOR_END: main
        checks.check(f"{workers} tutorial workers ran without error", codes == [0] * workers)
        checks.check("the dict holds worker_<id> = id * 10 for every worker",
                     dict(shared_dict) == {f"worker_{i}": i * 10 for i in range(workers)})
        checks.check("the list holds every worker id once",
                     sorted(shared_list) == list(range(workers)))

        triples = args.ops // 3
        phase_ops = workers * 3 * triples
        print()
        say(f"{workers} workers, each making {3 * triples} calls "
            "(set, get back, add to a shared total) ...")
        lock = manager.Lock()
        wrong = multiprocessing.Value("q", 0)
        codes_r, took_r = run_phase(
            round_trips, lambda i: (shared_dict, lock, i, args.ops, wrong), workers)
        codes_b, took_b = run_phase(
            batched, lambda i: (shared_dict, lock, i, args.ops, args.batch, wrong), workers)
        codes_s, took_s = run_phase(set_get, lambda i: (shared_dict, i, args.ops, wrong), workers)
        table = Table(["calls", "operations", "wall time", "throughput"])
        table.row(["one message per call", phase_ops, human(took_r), per_second(phase_ops, took_r)])
        set_get_ops = workers * 2 * (args.ops // 2)
        table.row(["set + get only, no lock", set_get_ops, human(took_s),
                   per_second(set_get_ops, took_s)])
        per = max(args.batch // 3, 1) * 3
        table.row([f"{per} calls per message (update)", phase_ops, human(took_b),
                   per_second(phase_ops, took_b)])
        print(table, end="")
        say("(wall time includes starting the worker processes; yours will differ)")
        checks.check("every worker finished", codes_r + codes_b + codes_s == [0] * (3 * workers))
        checks.check("every read saw the value its worker had just written", wrong.value == 0)

        times = max(args.ops // 10, 1)
        shared_dict["racy"] = 0
        codes_x, _ = run_phase(get_then_set, lambda i: (shared_dict, times), workers)
        racy, racy_expected = shared_dict["racy"], workers * times
        say(f"get-then-set increments (d[k] += 1): {racy} of {racy_expected} arrived, "
            f"{racy_expected - racy} lost to the race (the locked total is checked exact below)")
        checks.check("get-then-set never counts more than was added "
                     "(how many it loses is up to the scheduler)",
                     codes_x == [0] * workers and racy <= racy_expected)

        print()
        result = multiprocessing.Value("i", 0)
        p = multiprocessing.Process(target=intruder, args=(manager.address, result))
        p.start()
        p.join(timeout=30)
        say("a process with a forged key tried to connect: "
            + {1: "it was let in", 2: "refused (AuthenticationError)"}.get(result.value, "error"))
        checks.check("the process with a wrong authkey was refused", result.value == 2)

        final = dict(shared_dict)
        want = {f"worker_{i}": i * 10 for i in range(workers)}
        want["racy"] = racy
        if triples:
            want.update({f"w{i}": triples - 1 for i in range(workers)})
            want.update({f"b{i}": triples - 1 for i in range(workers)})
        if args.ops >= 2:
            want.update({f"s{i}": args.ops // 2 - 1 for i in range(workers)})
            want["total"] = 2 * workers * triples
        say(f"final: {len(final)} keys, total = {final.get('total')} "
            f"(expected {2 * workers * triples}), list of {len(shared_list)}")
        checks.check("the final contents are exactly what the workers wrote", final == want)
        server = manager._process
    checks.check(f"the manager server (PID {server.pid}) has exited", not server.is_alive())
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
