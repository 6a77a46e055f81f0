"""rank_lost: a rank killed mid-job; mpirun aborts the whole job, names the rank, leaves nothing.

Python twin of the Rust lesson `rank_lost` (examples-distributed), with mpi4py. Run plainly it
starts the job (3 ranks) itself and watches it from outside; inside the job rank 0 deals items
one at a time and rank 1 dies after a few (SIGKILL, or os._exit(3) without finishing MPI).

Run: python3 python/distributed/rank_lost.py [--after N] [--how kill|exit]
"""

import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, human, int_in  # noqa: E402
from launch import mpirun, this_script, under_mpirun, watch  # noqa: E402

RANKS = 3
ITEMS = 1_000_000  # more than the victim lives to answer
DEADLINE = 30.0  # seconds mpirun gets to notice the loss and end the job
VICTIM = 1


# ANCHOR: job
def job(args):
    """Inside the job: rank 0 hands out items and waits for each answer; the victim dies."""
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    rank, workers = comm.Get_rank(), comm.Get_size() - 1
    if rank == 0:
        for item in range(ITEMS):
            worker = 1 + item % max(workers, 1)
            comm.send(item, dest=worker)
            assert comm.recv(source=worker) == item + 1  # blocks for good once the victim is gone
        print("rank 0: every item answered (the victim never died?)")
        return 0
    answered = 0
    while True:
        if rank == VICTIM and answered == args.after:
            print(f"rank {rank}: dying now, after {answered} items", file=sys.stderr, flush=True)
            if args.how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(3)
        comm.send(comm.recv(source=0) + 1, dest=0)
        answered += 1
# ANCHOR_END: job


def main():
    parser = ArgumentParser(description="A rank killed mid-job: mpirun aborts the whole job.")
    parser.add_argument("--after", type=int_in(0, 1000), default=5,
                        help="items rank 1 answers before it dies")
    parser.add_argument("--how", choices=["kill", "exit"], default="kill", help="how rank 1 dies")
    args = parser.parse_args()
    if under_mpirun():
        return job(args)
    header("rank_lost: a rank dies mid-job, MPI aborts the job (Python twin)")
    print(f"starting {RANKS} ranks; rank {VICTIM} dies ({args.how}) after {args.after} items",
          flush=True)
    # ANCHOR: watch
    code, took, out, err, left = watch(mpirun(RANKS, this_script()), DEADLINE)
    print(f"the job ended after {human(took)} with exit code {code}; what mpirun said:")
    for line in err.splitlines():
        if line.strip() and not line.startswith("---"):
            print(f"  | {line}")
    by_mpirun = [line for line in err.splitlines() if not line.startswith("rank ")]
    named = any(f"rank {VICTIM} " in line or line.endswith(f",{VICTIM}]") for line in by_mpirun)
    checks = Checks()
    checks.check(f"the job ended on its own within {DEADLINE:.0f} s", code is not None)
    checks.check("with an error exit code", code not in (None, 0))
    checks.check("mpirun's own message names the lost rank", named)
    checks.check("rank 0 never claimed to have finished", "every item answered" not in out)
    checks.check("no process of the job was left behind", not left)
    # ANCHOR_END: watch
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
