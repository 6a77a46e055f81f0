"""mpi_latency: what a small message costs, mpi4py beside multiprocessing.connection.

Python twin of the Rust lesson `mpi_latency` (examples-distributed). Run plainly it starts itself
as 2 ranks. Rank 0 and rank 1 time round trips and a one-way stream of small messages over MPI
(mpi4py's buffer calls `Send`/`Recv`, then its pickling `send`/`recv`), then over a
`multiprocessing.connection` Unix socket between the same two processes (the Python side of the
course's ipc-channel).

Run: python3 python/distributed/mpi_latency.py [--rounds N] [--messages N] [--bytes N]
"""

import os
import sys
import tempfile
import time
from multiprocessing.connection import Client, Listener

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in  # noqa: E402
from launch import start_ranks, under_mpirun  # noqa: E402

RANKS = 2
WARM_UP = 100


# ANCHOR: transports
def buffers(comm, peer):
    """mpi4py's buffer calls: raw bytes, no pickling (the Rust lesson's kind of message)."""
    return lambda m: comm.Send(m, dest=peer), lambda m: (comm.Recv(m, source=peer), m)[1]


def objects(comm, peer):
    """mpi4py's object calls: each message pickled, like a multiprocessing Queue's."""
    return lambda m: comm.send(m, dest=peer), lambda m: comm.recv(source=peer)


def connection(conn):
    """A multiprocessing.connection over a Unix socket between the same two processes."""
    return conn.send_bytes, lambda m: conn.recv_bytes()


def round_trips(send, recv, starter, rounds, size):
    message, start = bytearray(size), time.perf_counter()
    for _ in range(rounds):
        if starter:
            send(message)
            if bytes(recv(bytearray(size))) != bytes(message):
                raise RuntimeError("an echo came back changed")
        else:
            send(recv(bytearray(size)))
    return time.perf_counter() - start


def stream(send, recv, starter, count, size):
    message, start = bytearray(size), time.perf_counter()
    for _ in range(count if starter else 0):
        send(message)
    for _ in range(0 if starter else count):
        recv(bytearray(size))
    (recv(bytearray(size)) if starter else send(message))
    return time.perf_counter() - start
# ANCHOR_END: transports


def link(comm, starter):
    """Rank 0 listens on a Unix socket and sends its path over MPI; rank 1 connects."""
    if starter:
        path = os.path.join(tempfile.mkdtemp(prefix="mpi_latency-"), "socket")
        with Listener(path, family="AF_UNIX") as listener:
            comm.send(path, dest=1)
            conn = listener.accept()
        os.rmdir(os.path.dirname(path))  # the Listener removed the socket file on closing
        return conn
    return Client(comm.recv(source=0), family="AF_UNIX")


def main():
    parser = ArgumentParser(description="MPI small-message latency and throughput, beside a socket.")
    parser.add_argument("--rounds", type=int_in(1, 10_000_000), default=20_000, help="round trips")
    parser.add_argument("--messages", type=int_in(1, 100_000_000), default=100_000,
                        help="messages in the one-way stream")
    parser.add_argument("--bytes", type=int_in(1, 1 << 20), default=8, help="bytes per message")
    args = parser.parse_args()
    if not under_mpirun():
        return start_ranks(RANKS)
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    if comm.Get_size() < 2:
        sys.stderr.write("error: needs 2 ranks\n")
        return 2
    if comm.Get_rank() > 1:
        return 0
    starter = comm.Get_rank() == 0
    peer = 1 if starter else 0
    conn = link(comm, starter)
    figures = []
    for name, (send, recv) in [("MPI, mpi4py Send/Recv (buffers)", buffers(comm, peer)),
                               ("MPI, mpi4py send/recv (pickled)", objects(comm, peer)),
                               ("multiprocessing.connection", connection(conn))]:
        try:
            round_trips(send, recv, starter, WARM_UP, args.bytes)
            trips = round_trips(send, recv, starter, args.rounds, args.bytes)
        except RuntimeError as why:  # the other rank waits for us: MPI ends the whole job
            sys.stderr.write(f"error: rank {comm.Get_rank()}: {name}: {why}; aborting the job\n")
            comm.Abort(1)
        figures.append((name, trips, stream(send, recv, starter, args.messages, args.bytes)))
    conn.close()
    if not starter:
        return 0
    header("mpi_latency: what a small message costs (Python twin)")
    print(f"ranks 0 and 1 on {MPI.Get_processor_name()}; {args.rounds} round trips, "
          f"a stream of {args.messages} messages, {args.bytes} bytes each")
    table = Table(["transport", "round trip", "one way", "stream: messages/s"])
    for name, trips, streamed in figures:
        trip = trips / args.rounds
        table.row([name, human(trip), human(trip / 2), f"{args.messages / streamed:.0f}"])
    print(f"\n{table}")
    checks = Checks()
    checks.check("every echo came back unchanged, over every transport", True)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
