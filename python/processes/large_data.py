"""large_data: what sending a large array to another process costs.

Python twin of the Rust lesson `large_data` (examples-processes), after the tutorial's advice
"Memory overhead is real. ... For large datasets, consider memory-mapped files or passing file
paths instead of data."

A 32 MiB array of floats (--mib) reaches a spawn child five ways, each timed from start() to
join(), the child computing a CRC-32 of the bytes it got:

* the `array.array` itself (pickled as one block of bytes),
* the same numbers as a list of floats (pickled one object at a time),
* the path of a file holding them, which the child reads,
* the same path, which the child maps with `mmap` instead of reading,
* nothing: a *fork* child inherits the parent's array without any pickling.

A spawn child that receives almost nothing (the path of /dev/null) gives the start-up cost.
(The Rust lesson's third way is a shared-memory segment; `multiprocessing.shared_memory` would do
it here, but its resource tracker warns about "leaked" segments attached by spawn children on
3.11, so the twin maps the file instead.)

Run: python3 python/processes/large_data.py [--mib N]
"""

import mmap
import multiprocessing
import os
import pickle
import sys
import tempfile
import time
import zlib
from array import array

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in, say  # noqa: E402

MIB = 1024 * 1024
FLOAT_BYTES = 8


# ANCHOR: senders
def crc(buffer):
    return zlib.crc32(memoryview(buffer).cast("B"))


def by_value(data, conn):
    conn.send(crc(data))


def by_list(numbers, conn):
    conn.send(crc(array("d", numbers)))


def by_path(path, conn):
    with open(path, "rb") as f:
        conn.send(crc(f.read()))


def by_mmap(path, conn):
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        conn.send(crc(m))


INHERITED = None  # set in the parent before a fork; a forked child sees the parent's copy


def by_inheritance(conn):
    conn.send(crc(INHERITED))
# ANCHOR_END: senders


def run_child(ctx, target, *args):
    """Start target(*args, conn) in a child, take its one answer, join it: (answer, seconds)."""
    start = time.perf_counter()
    receiver, sender = ctx.Pipe(duplex=False)
    p = ctx.Process(target=target, args=(*args, sender))
    p.start()
    sender.close()
    try:
        answer = receiver.recv()
    except EOFError:
        answer = None
    p.join()
    return answer, time.perf_counter() - start


def main():
    parser = ArgumentParser(
        description="Send a large array to a child five ways, timed: large data is cheaper as a "
                    "path.")
    parser.add_argument("--mib", type=int_in(1, 256), default=32,
                        help="size of the array, in MiB (1..=256, default 32)")
    args = parser.parse_args()

    header("large_data: sending a large array to a child, five ways (Python twin)")
    checks = Checks()
    spawn = multiprocessing.get_context("spawn")
    fork = multiprocessing.get_context("fork")

    global INHERITED
    count = args.mib * MIB // FLOAT_BYTES
    data = array("d", range(count))
    start = time.perf_counter()
    expected = crc(data)
    local = time.perf_counter() - start
    numbers = data.tolist()
    with tempfile.TemporaryDirectory(prefix="serialization-lesson-") as tmp:
        path = os.path.join(tmp, "floats.bin")
        with open(path, "wb") as f:
            data.tofile(f)
        sizes = {
            "value": len(pickle.dumps(data)),
            "list": len(pickle.dumps(numbers)),
            "path": len(pickle.dumps(path)),
            "empty": len(pickle.dumps(os.devnull)),
        }
        say(f"{count} floats ({args.mib} MiB); each child starts, gets them, computes a "
            f"CRC-32 and sends it back")
        results = {}
        results["value"] = run_child(spawn, by_value, data)
        results["list"] = run_child(spawn, by_list, numbers)
        del numbers
        results["path"] = run_child(spawn, by_path, path)
        results["mmap"] = run_child(spawn, by_mmap, path)
        INHERITED = data
        results["fork"] = run_child(fork, by_inheritance)
        INHERITED = None
        results["empty"] = run_child(spawn, by_path, os.devnull)

    table = Table(["what crossed", "pickled bytes", "time (start, send, CRC, join)"])
    table.row(["nothing: CRC in the parent", 0, human(local)])
    table.row(["/dev/null's path (spawn start-up, almost no data)", sizes["empty"],
               human(results["empty"][1])])
    table.row([f"the array.array itself ({args.mib} MiB)", sizes["value"],
               human(results["value"][1])])
    table.row(["the same numbers as a list of floats", sizes["list"], human(results["list"][1])])
    table.row(["the file's path, child reads it", sizes["path"], human(results["path"][1])])
    table.row(["the file's path, child mmaps it", sizes["path"], human(results["mmap"][1])])
    table.row(["nothing: a fork child inherits the array", 0, human(results["fork"][1])])
    print()
    print(table)

    for key, what in (("value", "the array sent by value"), ("list", "the list of floats"),
                      ("path", "the file read by path"), ("mmap", "the mapped file"),
                      ("fork", "the inherited array")):
        checks.check(f"the child's CRC of {what} matches the parent's", results[key][0] == expected)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
