"""manager_batching: what one proxy call costs, and what a batch saves.

Python twin of the Rust lesson `manager_batching` (examples-ipc). Every worker makes `--ops`
calls on a manager's dict (set its own key, read it back, add one to a shared total), first one
proxy call at a time, then batched. Differences from the Rust lesson, each for a reason:

* an exact shared total in Python takes a `manager.Lock()` around the get and the set (two more
  messages per add), so the twin also times the plain set-then-get mix the Rust bench measures;
* a Python proxy has no batch call. The batched phase sends one `update()` of many keys per
  message and adds the whole batch to the total at once, the closest a stock proxy gets.

Run: python3 python/ipc/manager_batching.py [--workers N] [--ops N] [--batch N]
"""

import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in, say  # noqa: E402
from manager_dict import run_phase  # noqa: E402


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


# ANCHOR: batched
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
# ANCHOR_END: batched


def timed_phase(target, args_for, workers):
    start = time.perf_counter()
    codes = run_phase(target, args_for, workers)
    return codes, time.perf_counter() - start


def per_second(ops, seconds):
    rate = ops / seconds
    return f"{rate / 1e6:.2f}M ops/s" if rate >= 1e6 else f"{rate / 1e3:.0f}k ops/s"


def main():
    parser = ArgumentParser(description="A manager's dict called one call at a time, then batched.")
    parser.add_argument("--workers", type=int_in(1, 32), default=4, help="worker processes")
    parser.add_argument("--ops", type=int_in(3, 10_000_000), default=6_000,
                        help="calls each worker makes in each phase (default 6000)")
    parser.add_argument("--batch", type=int_in(1, 100_000), default=1024,
                        help="calls per message in the batched phase (default 1024)")
    args = parser.parse_args()
    header("manager_batching: one message per call vs many calls per message (Python twin)")
    workers, triples = args.workers, args.ops // 3
    phase_ops = workers * 3 * triples
    with multiprocessing.Manager() as manager:
        say(f"manager server PID={manager._process.pid}; {workers} workers, each making "
            f"{3 * triples} calls (set, get back, add to a shared total) per phase ...")
        shared_dict, lock = manager.dict(), manager.Lock()
        wrong = multiprocessing.Value("q", 0)
        codes_r, took_r = timed_phase(
            round_trips, lambda i: (shared_dict, lock, i, args.ops, wrong), workers)
        codes_b, took_b = timed_phase(
            batched, lambda i: (shared_dict, lock, i, args.ops, args.batch, wrong), workers)
        codes_s, took_s = timed_phase(set_get, lambda i: (shared_dict, i, args.ops, wrong), workers)
        final = dict(shared_dict)
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
    want = 2 * workers * triples
    say(f"manager shut down: total = {final.get('total')} (expected {want})")

    checks = Checks()
    checks.check("every worker finished", codes_r + codes_b + codes_s == [0] * (3 * workers))
    checks.check("every read saw the value its worker had just written", wrong.value == 0)
    checks.check("the shared total counted every add of both phases", final.get("total") == want)
    checks.check("every worker's key holds the last value it wrote",
                 all(final.get(f"{p}{i}") == triples - 1 for i in range(workers) for p in "wb"))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
