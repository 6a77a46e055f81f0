"""mpi_factorizer: the factorizer on MPI ranks, scatter/gather static chunks, then a coordinator.

Python twin of the Rust lesson `mpi_factorizer` (examples-distributed), with mpi4py's object
messages (pickled, like a multiprocessing Queue's). Run plainly it starts itself as 2 ranks.
Rank 0 times the serial factorizer alone, then both parallel versions; every result is checked.

Run: python3 python/distributed/mpi_factorizer.py [--count N] [--chunks-per-rank N]
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (ArgumentParser, Checks, Table, factor_inputs, factorize_naive,  # noqa: E402
                    factors_multiply_back, header, human, int_in, speedup)
from launch import start_ranks, under_mpirun  # noqa: E402

RANKS = 2
TAG_RESULTS, TAG_WORK, TAG_STOP = 1, 2, 3
IN_FLIGHT = 2  # requests a worker keeps open, so its next chunk is on the way while it works


# ANCHOR: static
def scatter_gather(comm, nums):
    """One equal chunk per rank from rank 0, factored, gathered back: a dict on rank 0."""
    size = comm.Get_size()
    chunks = [nums[r * len(nums) // size:(r + 1) * len(nums) // size] for r in range(size)] if comm.Get_rank() == 0 else None
    mine = comm.scatter(chunks, root=0)
    parts = comm.gather({n: factorize_naive(n) for n in mine}, root=0)
    return None if parts is None else {n: f for part in parts for n, f in part.items()}
# ANCHOR_END: static


# ANCHOR: coordinator
def coordinate(comm, nums, chunk):
    """Rank 0: hand out chunks to whoever asks, factor chunks itself, answer between numbers."""
    results, owed, at = {}, {r: IN_FLIGHT for r in range(1, comm.Get_size())}, [0]

    def take():
        taken = nums[at[0]:at[0] + chunk]
        at[0] += len(taken)
        return taken

    sending = []  # a send may wait for its receiver, which is busy: send without waiting

    def answer(status_source, packed):
        results.update(packed)
        work = take()
        sending.append(comm.isend(work, dest=status_source, tag=TAG_WORK if work else TAG_STOP))
        if not work:
            owed[status_source] -= 1

    status = MPI.Status()
    while at[0] < len(nums):
        for n in take():
            results[n] = factorize_naive(n)
            while comm.iprobe(source=MPI.ANY_SOURCE, tag=TAG_RESULTS, status=status):
                source = status.Get_source()
                answer(source, comm.recv(source=source, tag=TAG_RESULTS))
    while any(owed.values()):
        packed = comm.recv(source=MPI.ANY_SOURCE, tag=TAG_RESULTS, status=status)
        answer(status.Get_source(), packed)
    MPI.Request.waitall(sending)
    return results


def work(comm):
    """Every other rank: ask, factor, send results back (which asks again), until the stop tag."""
    for _ in range(IN_FLIGHT):
        comm.send({}, dest=0, tag=TAG_RESULTS)
    status, open_requests = MPI.Status(), IN_FLIGHT
    while open_requests:
        chunk = comm.recv(source=0, tag=MPI.ANY_TAG, status=status)
        open_requests -= 1
        if status.Get_tag() == TAG_WORK:
            comm.send({n: factorize_naive(n) for n in chunk}, dest=0, tag=TAG_RESULTS)
            open_requests += 1
# ANCHOR_END: coordinator


def right(nums, results):
    return results is not None and set(results) == set(nums) and all(
        factors_multiply_back(n, results[n]) for n in nums)


def timed(comm, run):
    comm.Barrier()
    start = time.perf_counter()
    results = run()
    return results, time.perf_counter() - start


def main():
    global MPI
    parser = ArgumentParser(description="The factorizer on MPI ranks: scatter/gather, then a coordinator.")
    parser.add_argument("--count", type=int_in(1, 1_000_000), default=1_000, help="numbers to factor")
    parser.add_argument("--chunks-per-rank", type=int_in(1, 10_000), default=32,
                        help="chunks per rank the coordinator cuts the work into")
    args = parser.parse_args()
    if not under_mpirun():
        return start_ranks(RANKS)
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    root = comm.Get_rank() == 0
    nums = factor_inputs(args.count) if root else []
    if root:
        header("mpi_factorizer: the factorizer on MPI ranks (Python twin)")
        print(f"{args.count} numbers, {comm.Get_size()} ranks", flush=True)
        start = time.perf_counter()
        serial = {n: factorize_naive(n) for n in nums}
        serial_time = time.perf_counter() - start
    fixed, fixed_time = timed(comm, lambda: scatter_gather(comm, nums))
    chunk = max(1, -(-args.count // (comm.Get_size() * args.chunks_per_rank)))
    dynamic, dynamic_time = timed(comm, lambda: coordinate(comm, nums, chunk) if root else work(comm))
    if not root:
        return 0
    runs = [("serial, rank 0 alone", 1, serial, serial_time),
            ("scatter/gather, static chunks", comm.Get_size(), fixed, fixed_time),
            ("coordinator, dynamic chunks", comm.Get_size(), dynamic, dynamic_time)]
    table = Table(["variant", "ranks", "time", "speed-up"])
    for name, ranks, results, took in runs:
        ok = right(nums, results)
        table.row([name, ranks, human(took) if ok else "failed",
                   speedup(serial_time, took) if ok else "-"])
    print(f"\n{table}")
    checks = Checks()
    for name, _, results, _ in runs:
        checks.check(f"{name}: every number back, factors right", right(nums, results))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
