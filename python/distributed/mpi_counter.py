"""mpi_counter: the shared counter as a reduction; each rank counts its own, allreduce sums.

Python twin of the Rust lesson `mpi_counter` (examples-distributed), with mpi4py. Run plainly it
starts itself as 4 ranks. Nothing is shared between ranks, so there is nothing to lock.

Run: python3 python/distributed/mpi_counter.py [--increments N]
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, int_in  # noqa: E402
from launch import start_ranks, under_mpirun  # noqa: E402

RANKS = 4


def main():
    parser = ArgumentParser(description="The shared counter as an MPI reduction.")
    parser.add_argument("--increments", type=int_in(1, 1_000_000_000), default=1_000_000,
                        help="increments rank 0 makes; rank r makes this many plus r")
    args = parser.parse_args()
    if not under_mpirun():
        return start_ranks(RANKS)
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    # ANCHOR: count
    counter = 0  # this rank's own: no other rank can see it, let alone change it
    for _ in range(args.increments + rank):
        counter += 1
    total = comm.allreduce(counter, op=MPI.SUM)
    # ANCHOR_END: count
    seen = comm.gather((counter, total), root=0)
    if rank != 0:
        return 0
    header("mpi_counter: counting becomes combining (Python twin)")
    print(f"{size} ranks; rank r adds 1 to its own counter {args.increments} + r times")
    table = Table(["rank", "its own counter", "total allreduce gave it"])
    for r, (mine, got) in enumerate(seen):
        table.row([r, mine, got])
    print(f"\n{table}")
    expected = sum(args.increments + r for r in range(size))
    print(f"expected total: {expected}")
    checks = Checks()
    checks.check("each rank's counter holds only its own increments",
                 all(mine == args.increments + r for r, (mine, _) in enumerate(seen)))
    checks.check("every rank got the same total, the sum of all counters",
                 all(got == expected for _, got in seen))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
