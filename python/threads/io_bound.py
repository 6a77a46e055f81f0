"""io_bound: threads overlap waiting, so they speed up I/O-bound work even under the GIL.

Python twin of the Rust lesson `io_bound` (examples-threads), after tutorial 002's "when to use
what": threads are the tool for I/O-bound work. A thread blocked in recv() or sleep() releases
the GIL, so while one request waits, the others run.

To stay off the internet this twin brings its own slow server: a TCP server on 127.0.0.1 (port
chosen by the OS), running in a background thread, that handles every connection in a thread
of its own: it reads one line holding a number, sleeps --delay-ms, and answers with the number
times two. Then the client sends --requests requests, first one after another, then one thread
per request. Serially the waits add up; in threads they overlap.

Run: python3 python/threads/io_bound.py [--requests N] [--delay-ms MS]
"""

import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in, say, speedup  # noqa: E402


class SlowDoubler:
    """A loopback server: one line in (a number), a pause, one line out (the number doubled)."""

    def __init__(self, delay):
        self.delay = delay
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.address = self.listener.getsockname()
        self.stopping = False
        self.acceptor = threading.Thread(target=self.accept_loop, name="acceptor", daemon=True)
        self.acceptor.start()

    def accept_loop(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:  # the listener was closed: time to stop
                return
            if self.stopping:
                conn.close()
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        with conn, conn.makefile("rw", encoding="ascii", newline="\n") as stream:
            number = int(stream.readline())
            time.sleep(self.delay)  # the "slow backend": the GIL is released while we wait
            stream.write(f"{number * 2}\n")
            stream.flush()

    def close(self):
        self.stopping = True
        # Wake the acceptor with one last connection, then close the listening socket.
        try:
            socket.create_connection(self.address, timeout=1).close()
        except OSError:
            pass
        self.acceptor.join(timeout=2)
        self.listener.close()


# ANCHOR: core
def fetch(address, number):
    """One request: connect, send the number, read the answer."""
    with socket.create_connection(address, timeout=30) as conn:
        with conn.makefile("rw", encoding="ascii", newline="\n") as stream:
            stream.write(f"{number}\n")
            stream.flush()
            return int(stream.readline())


def serially(address, requests):
    return [fetch(address, i) for i in range(requests)]


def in_threads(address, requests):
    replies = [None] * requests

    def client(i):
        replies[i] = fetch(address, i)

    threads = [threading.Thread(target=client, args=(i,), name=f"client-{i}")
               for i in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return replies
# ANCHOR_END: core


def main():
    parser = ArgumentParser(description="Serial vs threaded clients of a slow loopback server.")
    parser.add_argument("--requests", type=int_in(1, 256), default=8,
                        help="how many requests to send (1..=256, default 8)")
    parser.add_argument("--delay-ms", type=int_in(0, 10_000), default=100,
                        help="how long the server waits before each answer (default 100)")
    args = parser.parse_args()

    header("io_bound (Python twin of tutorial 002's 'when to use what')")
    delay = args.delay_ms / 1000
    server = SlowDoubler(delay)
    host, port = server.address
    say(f"server listening on {host}:{port}; each answer takes {args.delay_ms} ms; "
        f"{args.requests} requests")
    checks = Checks()
    table = Table(["client", "time", "speedup", "time spent waiting alone"])
    try:
        runs = []
        base = None
        for name, run, ideal in (("serial", serially, args.requests * delay),
                                 ("one thread per request", in_threads, delay)):
            start = time.perf_counter()
            replies = run(server.address, args.requests)
            seconds = time.perf_counter() - start
            base = base or seconds
            say(f"{name}: {human(seconds)}")
            table.row([name, human(seconds), speedup(base, seconds), human(ideal)])
            runs.append((name, replies, seconds))
    finally:
        server.close()

    print()
    print(table)
    wanted = [2 * i for i in range(args.requests)]
    for name, replies, _ in runs:
        checks.check(f"{name}: every reply is twice its request", replies == wanted)
    if args.requests >= 2 and args.delay_ms >= 10:
        serial_s, threaded_s = runs[0][2], runs[1][2]
        checks.check("the threads overlapped their waits (under half the serial time)",
                     threaded_s < serial_s / 2)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
