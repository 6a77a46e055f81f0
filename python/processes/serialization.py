"""serialization: what can cross a process boundary.

Python twin of the Rust lesson `serialization` (examples-processes), after the tutorial's
pitfall "Pickling failures are the most common multiprocessing headache".

Everything sent to another process is pickled, and pickle stores a function as a *name* to look
up on the other side, never as code. So a module-level function crosses; a lambda or a function
defined inside another function does not, and Python finds out at run time (Rust refuses to
compile). The messages printed below are the real ones. When pickling happens depends on how the
child starts: `Pool.apply` always pickles the call, a *spawn* child gets its target and arguments
pickled at `start()`, while a *fork* child pickles nothing at all: it inherits a copy of the
parent's memory, lambdas included. (`large_data.py` measures what sending a large value costs.)

Run: python3 python/processes/serialization.py
"""

import enum
import multiprocessing
import os
import pickle
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, say  # noqa: E402


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
    """The tutorial's helper: the function to call travels with the data."""
    return func(data)


def double(x):
    return x * 2


# The tutorial's lambda, at module level as in the tutorial (inside a function it would fail
# with the "local object" message instead).
transform = lambda x: x * 2  # noqa: E731
# ANCHOR_END: functions


def run_child(ctx, target, *args):
    """Start target(*args, conn) in a child, take its one answer, join it."""
    receiver, sender = ctx.Pipe(duplex=False)
    p = ctx.Process(target=target, args=(*args, sender))
    p.start()
    sender.close()
    try:
        answer = receiver.recv()
    except EOFError:
        answer = None
    p.join()
    return answer


def attempt(what, how, f):
    """Run f(); returns a table row and the error (None when it worked)."""
    try:
        result = f()
        return [what, how, f"ok: {result!r}"], None
    except Exception as err:  # noqa: BLE001 -- the point is to show whatever pickle raises
        return [what, how, f"{type(err).__name__}: {err}"], err


def main():
    parser = ArgumentParser(description="What pickles and what does not.")
    parser.parse_args()

    header("serialization: what crosses a process boundary (Python twin)")
    checks = Checks()
    spawn = multiprocessing.get_context("spawn")
    fork = multiprocessing.get_context("fork")

    order = Order(7, "Ada", [("tea", 2), ("scone", 3)], {"tea": 2.5, "scone": 1.75},
                  Status.SHIPPED, tracking="ZX-81", notes={"fragile"})
    echoed = run_child(spawn, echo, order)
    say(f"sent {order}\ngot  {echoed}")

    # ANCHOR: attempts
    def local_double(x):
        return x * 2

    rows, errors = [], {}
    with multiprocessing.Pool(2) as pool:
        for key, what, how, f in [
            ("lambda", "a lambda", "pickle.dumps", lambda: len(pickle.dumps(transform))),
            ("lambda pool", "a lambda", "Pool.apply (the tutorial's)",
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

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
