"""killed_consumer: a consumer process killed mid-stream; what is lost, and nothing hangs.

Python twin of the Rust lesson `killed_consumer` (examples-ipc): the producer/consumer queue of
`producer_consumer.py`, with consumer 0 killed by SIGKILL once `--kill-after` items are queued.
The parent reads results until every survivor's end marker has arrived or the results queue has
been quiet for a moment, then ends and reaps every process, and reports what has no result.

Python's documentation warns that a process killed while it uses a Queue may leave the queue
broken for everyone: the queue's lock can die with it. The twin therefore never waits without a
timeout, and says how many survivors managed to finish, rather than counting on them.

Run: python3 python/ipc/killed_consumer.py [--consumers N] [--items N] [--batch N] [--kill-after N]
"""

import multiprocessing
import os
import queue
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402
from producer_consumer import consumer, work  # noqa: E402

VICTIM = 0
QUIET = 0.5  # seconds without any result after which the parent stops waiting


def main():
    parser = ArgumentParser(description="A consumer process killed mid-stream.")
    parser.add_argument("--consumers", type=int_in(2, 16), default=3,
                        help="consumer processes (at least 2: someone has to survive)")
    parser.add_argument("--items", type=int_in(2, 10_000_000), default=200_000, help="items")
    parser.add_argument("--batch", type=int_in(1, 65_536), default=256, help="items per message")
    parser.add_argument("--kill-after", type=int_in(1, 10_000_000), default=50_000,
                        help="SIGKILL consumer 0 once this many items are queued")
    args = parser.parse_args()
    if args.kill_after >= args.items:
        parser.error(f"--kill-after {args.kill_after} must be below --items {args.items}")

    header("killed_consumer: a consumer process killed mid-stream (Python twin)")
    print(f"{args.items} items in batches of {args.batch} to {args.consumers} consumers; "
          f"consumer {VICTIM} gets SIGKILL after {args.kill_after} items have been queued")
    work_q, results_q = multiprocessing.Queue(), multiprocessing.Queue()
    # Items nobody will read (their reader is dead) would make this process's exit wait forever
    # for the queue's feeder thread to flush them: let it exit without flushing.
    work_q.cancel_join_thread()
    procs = [multiprocessing.Process(target=consumer, args=(work_q, results_q, i))
             for i in range(args.consumers)]
    for p in procs:
        p.start()
    start = time.perf_counter()
    # ANCHOR: kill
    killed = False
    for lo in range(0, args.items, args.batch):
        hi = min(lo + args.batch, args.items)
        work_q.put(list(range(lo, hi)))
        if not killed and hi >= args.kill_after:
            os.kill(procs[VICTIM].pid, signal.SIGKILL)
            killed = True
    work_q.put(None)

    seen = bytearray(args.items)
    per_consumer = [0] * args.consumers
    finished = [None] * args.consumers
    duplicates = wrong = 0
    while any(f is None for c, f in enumerate(finished) if c != VICTIM):
        try:
            msg = results_q.get(timeout=QUIET)  # never an unbounded wait: the queue may be broken
        except queue.Empty:
            break
        # ANCHOR_END: kill
        if msg[0] == "finished":
            finished[msg[1]] = msg[2]
            continue
        _, name, pairs = msg
        per_consumer[name] += len(pairs)
        for item, result in pairs:
            duplicates += seen[item]
            seen[item] = 1
            wrong += result != work(item)
    elapsed = time.perf_counter() - start
    stragglers = []
    for p in procs:
        p.join(timeout=2)
        if p.is_alive():
            stragglers.append(p.pid)
            p.kill()
            p.join()
    missing = args.items - sum(seen)
    print(f"got {sum(per_consumer)} results in {human(elapsed)}")
    table = Table(["consumer", "PID", "results", "end marker", "exitcode"])
    for c, p in enumerate(procs):
        table.row([c, p.pid, per_consumer[c],
                   "none" if finished[c] is None else f"handled {finished[c]}", p.exitcode])
    print("\n" + str(table))
    survivors = [c for c in range(args.consumers) if c != VICTIM]
    done = sum(finished[c] is not None for c in survivors)
    print(f"consumer {VICTIM} (PID {procs[VICTIM].pid}) was killed; {missing} items have no result; "
          f"{done} of {len(survivors)} survivors sent their end marker"
          + (f"; stuck survivors killed: {stragglers}" if stragglers else ""))

    checks = Checks()
    checks.check(f"consumer {VICTIM} was killed by SIGKILL (exitcode -9)",
                 procs[VICTIM].exitcode == -signal.SIGKILL)
    checks.check("no result arrived twice or wrong", duplicates == 0 and wrong == 0)
    checks.check("the run ended on its own, and every process was ended and reaped",
                 all(p.exitcode is not None for p in procs))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
