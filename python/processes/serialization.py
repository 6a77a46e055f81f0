"""serialization: what can cross a process boundary, and what it costs to send data across.

Python twin of the Rust lesson `serialization` (examples-processes), after tutorial 002's
pitfalls ("Pickling failures are the most common multiprocessing headache"; "consider
memory-mapped files or passing file paths instead of data").

What crosses. Everything sent to another process is pickled, and pickle stores a function as
a *name* to look up on the other side, never as code. So a module-level function crosses; a
lambda or a function defined inside another function does not, and Python finds out at run
time (Rust refuses to compile). The messages printed below are the real ones. When pickling
happens depends on how the child starts: `Pool.apply` always pickles the call, a *spawn*
child gets its target and arguments pickled at `start()`, while a *fork* child pickles nothing
at all: it inherits a copy of the parent's memory, lambdas included.

What it costs. A 32 MiB array of floats (--mib) reaches a spawn child five ways, each timed from
start() to join(), the child computing a CRC-32 of the bytes it got:

* the `array.array` itself (pickled as one block of bytes),
* the same numbers as a list of floats (pickled one object at a time),
* the path of a file holding them, which the child reads,
* the same path, which the child maps with `mmap` instead of reading,
* nothing: a *fork* child inherits the parent's array without any pickling.

(The Rust lesson's third way is a shared-memory segment; `multiprocessing.shared_memory` would
do it here, but its resource tracker warns about "leaked" segments attached by spawn children
on 3.11, so the twin maps the file instead.)

Run: python3 python/processes/serialization.py [--mib N]
"""

import enum
import mmap
import multiprocessing
import os
import pickle
import sys
import tempfile
import time
import zlib
from array import array
from dataclasses import dataclass, field

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, human, int_in, say  # noqa: E402


class Status(enum.Enum):
    OPEN = "open"
    SHIPPED = "shipped"


@dataclass
class Order:
    id: int
    customer: str
    lines: list
    prices: dict
    status: Status
    tracking: str | None = None
    notes: set = field(default_factory=set)


def echo(order, conn):
    conn.send(order)  # rebuilt in the child from bytes, pickled again on the way back


# ANCHOR: functions
def process_with_func(func, data):
    """Tutorial 002's helper: the function to call travels with the data."""
    return func(data)


def double(x):
    return x * 2


# Tutorial 002's lambda, at module level as in the tutorial (inside a function it would fail
# with the "local object" message instead).
transform = lambda x: x * 2  # noqa: E731
# ANCHOR_END: functions


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


def attempt(what, how, f):
    """Run f(); returns a table row and the error (None when it worked)."""
    try:
        result = f()
        return [what, how, f"ok: {result!r}"], None
    except Exception as err:  # noqa: BLE001 -- the point is to show whatever pickle raises
        return [what, how, f"{type(err).__name__}: {err}"], err


def main():
    parser = ArgumentParser(
        description="What pickles and what does not; large data is cheaper as a path.")
    parser.add_argument("--mib", type=int_in(1, 1024), default=32,
                        help="size of the large array, in MiB (1..=1024, default 32)")
    args = parser.parse_args()

    header("serialization: what crosses a process boundary, and at what cost (Python twin)")
    checks = Checks()
    spawn = multiprocessing.get_context("spawn")
    fork = multiprocessing.get_context("fork")

    order = Order(7, "Ada", [("tea", 2), ("scone", 3)], {"tea": 2.5, "scone": 1.75},
                  Status.SHIPPED, tracking="ZX-81", notes={"fragile"})
    echoed, _ = run_child(spawn, echo, order)
    say(f"sent {order}\ngot  {echoed}")

    # ANCHOR: attempts
    def local_double(x):
        return x * 2

    rows, errors = [], {}
    with multiprocessing.Pool(2) as pool:
        for key, what, how, f in [
            ("lambda", "a lambda", "pickle.dumps", lambda: len(pickle.dumps(transform))),
            ("lambda pool", "a lambda", "Pool.apply (tutorial 002)",
             lambda: pool.apply(process_with_func, (transform, 10))),
            ("local", "a function defined inside main()", "Pool.apply",
             lambda: pool.apply(process_with_func, (local_double, 10))),
            ("named", "a module-level function", "Pool.apply",
             lambda: pool.apply(process_with_func, (double, 10))),
        ]:
            row, errors[key] = attempt(what, how, f)
            rows.append(row)
    # ANCHOR_END: attempts

    def start_and_join(ctx):
        p = ctx.Process(target=transform, args=(10,))
        p.start()
        p.join()
        return f"exitcode {p.exitcode}"

    for key, how, ctx in (("spawn target", "spawn Process(target=...)", spawn),
                          ("fork target", "fork Process(target=...)", fork)):
        row, errors[key] = attempt("a lambda", how, lambda: start_and_join(ctx))
        rows.append(row)
    table = Table(["what was sent", "how", "outcome"])
    for row in rows:
        table.row(row)
    print()
    print(table)

    checks.check("a dataclass with a list, a dict, a set and an enum came back equal (spawn)",
                 echoed == order and echoed is not order)
    checks.check('a lambda cannot be pickled: PicklingError "Can\'t pickle <function <lambda>'
                 ' ...>: attribute lookup <lambda> on __main__ failed"',
                 isinstance(errors["lambda"], pickle.PicklingError)
                 and "<lambda>" in str(errors["lambda"]))
    checks.check("Pool.apply raises the same PicklingError in the caller",
                 isinstance(errors["lambda pool"], pickle.PicklingError))
    checks.check("a local function cannot be pickled either (\"Can't pickle local object\")",
                 errors["local"] is not None and "local object" in str(errors["local"]))
    checks.check("a module-level function crosses by name: Pool.apply returned 20",
                 errors["named"] is None and rows[3][2] == "ok: 20")
    checks.check("a spawn child's lambda target fails at start(); a fork child's runs",
                 isinstance(errors["spawn target"], pickle.PicklingError)
                 and errors["fork target"] is None and rows[5][2] == "ok: 'exitcode 0'")

    global INHERITED
    count = args.mib * 1024 * 1024 // 8
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
        say(f"\n{count} floats ({args.mib} MiB); each child starts, gets them, computes a "
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
