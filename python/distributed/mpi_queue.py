"""mpi_queue: producer and consumers as point-to-point messages, with a stop tag as the sentinel.

Python twin of the Rust lesson `mpi_queue` (examples-distributed), with mpi4py. Run plainly it
starts itself as 3 ranks: rank 0 deals items to the consumer ranks in turn, then sends each a
message with the stop tag; every consumer answers each item and reports how many it handled.

Run: python3 python/distributed/mpi_queue.py [--items N]
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402
from launch import start_ranks, under_mpirun  # noqa: E402

RANKS = 3
TAG_ITEM, TAG_STOP, TAG_ANSWER, TAG_DONE = 1, 2, 3, 4


# ANCHOR: consumer
def consume(comm, MPI):
    """A consumer rank: answer each item with its square until the stop tag, then say how many."""
    status, handled = MPI.Status(), 0
    while True:
        item = comm.recv(source=0, tag=MPI.ANY_TAG, status=status)
        if status.Get_tag() == TAG_STOP:
            break
        handled += 1
        comm.send((item, item * item), dest=0, tag=TAG_ANSWER)
    comm.send(handled, dest=0, tag=TAG_DONE)
# ANCHOR_END: consumer


# ANCHOR: producer
def produce(comm, MPI, items):
    """Rank 0: deal items in turn, then a stop to each; read answers until every consumer is done."""
    consumers = comm.Get_size() - 1
    answers, counted, late, status = {}, {}, False, MPI.Status()

    def take(message):
        nonlocal late
        source, tag = status.Get_source(), status.Get_tag()
        if tag == TAG_ANSWER:
            late |= source in counted
            answers.setdefault(message[0], []).append((source, message[1]))
        else:
            counted[source] = message

    for item in range(items):
        comm.send(item, dest=1 + item % consumers, tag=TAG_ITEM)
        while comm.iprobe(source=MPI.ANY_SOURCE, tag=MPI.ANY_TAG, status=status):
            take(comm.recv(source=status.Get_source(), tag=status.Get_tag()))
    for consumer in range(1, consumers + 1):
        comm.send(None, dest=consumer, tag=TAG_STOP)
    while len(counted) < consumers:
        take(comm.recv(source=MPI.ANY_SOURCE, tag=MPI.ANY_TAG, status=status))
    return answers, counted, late
# ANCHOR_END: producer


def main():
    parser = ArgumentParser(description="Producer/consumer as MPI point-to-point messages.")
    parser.add_argument("--items", type=int_in(1, 10_000_000), default=10_000, help="items")
    args = parser.parse_args()
    if not under_mpirun():
        return start_ranks(RANKS)
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    if comm.Get_size() < 2:
        sys.stderr.write("error: needs at least 2 ranks (a producer and a consumer)\n")
        return 2
    if comm.Get_rank() != 0:
        consume(comm, MPI)
        return 0
    header("mpi_queue: producer and consumers as point-to-point messages (Python twin)")
    print(f"rank 0 deals {args.items} items to {comm.Get_size() - 1} consumer ranks, "
          "then a stop tag to each", flush=True)
    start = time.perf_counter()
    answers, counted, late = produce(comm, MPI, args.items)
    took = time.perf_counter() - start

    def answers_from(rank):
        return sum(1 for a in answers.values() for source, _ in a if source == rank)

    table = Table(["consumer rank", "items it counted", "answers that came back"])
    for rank, n in sorted(counted.items()):
        table.row([rank, n, answers_from(rank)])
    print(f"\n{table}(all {args.items} items there and back in {human(took)})")
    checks = Checks()
    checks.check("every item answered exactly once, and right",
                 len(answers) == args.items and all(
                     len(answers.get(i, [])) == 1 and answers[i][0][1] == i * i
                     for i in range(args.items)))
    checks.check("each consumer's own count matches the answers it sent",
                 all(answers_from(rank) == n for rank, n in counted.items()))
    checks.check("no answer arrived after its consumer's stop report", not late)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
