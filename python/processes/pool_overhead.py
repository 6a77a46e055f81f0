"""pool_overhead: what one Pool task costs beyond its own work, for comparison with the Rust pool bench.

Not a twin of a lesson: the Python side of examples-processes/benches/pool.rs. A no-op task goes
through multiprocessing.Pool two ways:

* pipelined: submit --tasks no-ops with apply_async, then get() them all, so the workers and the
  result handler are busy at once; the total divided by the count is the per-task overhead;
* round trip: apply_async(...).get() one at a time, so every task pays the full trip to a worker
  and back before the next is sent.

Each figure is the median of --repeat runs.

Run: python3 python/processes/pool_overhead.py [--tasks N] [--workers N] [--repeat N]
"""

import multiprocessing
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, header, int_in, say  # noqa: E402


def noop(x):
    return x


def main():
    parser = ArgumentParser(description="Time no-op tasks through multiprocessing.Pool.")
    parser.add_argument("--tasks", type=int_in(1, 1_000_000), default=1000,
                        help="no-op tasks per pipelined run (default 1000)")
    parser.add_argument("--workers", type=int_in(1, 64), default=2,
                        help="pool size (default 2, as in the Rust bench)")
    parser.add_argument("--repeat", type=int_in(1, 1000), default=15,
                        help="runs per figure; the median counts (default 15)")
    args = parser.parse_args()
    header("pool_overhead: the cost of one Pool task (Python side of the Rust pool bench)")

    with multiprocessing.Pool(args.workers) as pool:
        pool.map(noop, range(args.workers * 4))  # warm up: workers started, imports done
        pipelined, round_trip, mapped = [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            pending = [pool.apply_async(noop, (i,)) for i in range(args.tasks)]
            assert [r.get() for r in pending] == list(range(args.tasks))
            pipelined.append((time.perf_counter() - start) / args.tasks)

            start = time.perf_counter()
            assert pool.map(noop, range(args.tasks)) == list(range(args.tasks))
            mapped.append((time.perf_counter() - start) / args.tasks)

            start = time.perf_counter()
            for i in range(100):
                assert pool.apply_async(noop, (i,)).get() == i
            round_trip.append((time.perf_counter() - start) / 100)

    us = lambda xs: statistics.median(xs) * 1e6  # noqa: E731
    say(f"{args.workers} workers, median of {args.repeat} runs")
    say(f"apply_async, {args.tasks} no-ops pipelined    {us(pipelined):8.1f} µs per task")
    say(f"map, {args.tasks} no-ops (default chunksize) {us(mapped):8.1f} µs per task")
    say(f"apply_async(...).get(), one at a time   {us(round_trip):8.1f} µs per task")


if __name__ == "__main__":
    main()
