"""ranks: one program, N copies started by mpirun; size, rank, host, a barrier.

Python twin of the Rust lesson `ranks` (examples-distributed), with mpi4py. Run plainly it starts
itself as 4 ranks under mpirun; `mpirun -n 4 --oversubscribe python3 python/distributed/ranks.py`
does the same by hand. Rank 0 gathers every rank's answer and prints them in order.

Run: python3 python/distributed/ranks.py [--stagger-ms N]
"""

import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402
from launch import start_ranks, under_mpirun  # noqa: E402

RANKS = 4


# ANCHOR: report
def report(comm, stagger):
    """This rank's answer: who it is, and how long the barrier held it after its staggered arrival."""
    comm.Barrier()  # start together: mpirun starts the copies one after another
    time.sleep(stagger * comm.Get_rank())
    arrived = time.perf_counter()
    comm.Barrier()  # nobody leaves before the last rank has arrived
    return os.getpid(), time.perf_counter() - arrived, socket.gethostname()
# ANCHOR_END: report


def main():
    parser = ArgumentParser(description="Ranks: size, rank, host and a barrier, gathered on rank 0.")
    parser.add_argument("--stagger-ms", type=int_in(0, 2000), default=100,
                        help="each rank sleeps this times its rank before the barrier")
    args = parser.parse_args()
    if not under_mpirun():
        return start_ranks(RANKS)
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    stagger = args.stagger_ms / 1000
    # ANCHOR: gather
    answers = comm.gather(report(comm, stagger), root=0)  # a list on rank 0, None elsewhere
    if comm.Get_rank() != 0:
        return 0
    # ANCHOR_END: gather
    size = comm.Get_size()
    header("ranks: one program started N times by mpirun (Python twin)")
    print(f"world size {size}; rank r sleeps r × {args.stagger_ms} ms, then waits at the barrier")
    table = Table(["rank", "host", "pid", "waited at the barrier"])
    for rank, (pid, waited, host) in enumerate(answers):
        table.row([rank, host, pid, human(waited)])
    print(f"\n{table}")
    checks = Checks()
    checks.check(f"{size} ranks answered, each its own process",
                 len({pid for pid, _, _ in answers}) == size)
    last_arrival = stagger * (size - 1)
    slack = min(max(last_arrival / 5, 0.010), last_arrival)  # ranks leave a barrier a little apart
    checks.check("the barrier held rank 0 until the last rank arrived",
                 answers[0][1] + slack >= last_arrival)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
