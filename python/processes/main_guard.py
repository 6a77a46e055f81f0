"""main_guard: what `if __name__ == "__main__":` protects against under the spawn start method.

Python twin of the Rust lesson `main_guard` (examples-processes), after the tutorial's pitfall
"Always use the if __name__ == "__main__" guard". Under *spawn* (the default on Windows and
macOS; chosen here with `multiprocessing.get_context("spawn")`) a child is a fresh interpreter
that re-imports the main module under the name `__mp_main__` and then runs its target. So:

* module-level code runs again in every spawned child: the line "module body executed by PID
  ..." below is printed once by the parent and once more by each spawned child, and each run
  is tallied in a file so the count can be checked;
* code under the guard does not: `__name__` is `"__mp_main__"` in the child, so `main()` is not
  called again;
* under *fork* (Linux's default) nothing is re-imported: the child is a copy of the parent, and
  the module body ran only once, in the parent.

The tutorial warns that without the guard "you get infinite process spawning". Modern CPython
stops that itself: a process that tries to start another while it is still importing the main
module gets a RuntimeError ("... before the current process has finished its bootstrapping
phase ..."). The last part shows it safely: it writes a small unguarded script to a temporary
directory, runs it with a timeout, and gives it a fuse of its own (an environment variable
counts the generations and stops at two) so it cannot run away even if Python did not step in.
The Rust toolkit's `init` plays the guard's part and refuses to spawn before it has run.

Run: python3 python/processes/main_guard.py [--children N]
"""

import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, header, int_in, say  # noqa: E402

# ANCHOR: module_body
# ---- module level: this runs in the parent, and again in every spawned child ----
TALLY_VAR = "MAIN_GUARD_TALLY"
BODY_RAN_IN = os.getpid()
say(f"module body executed by PID {BODY_RAN_IN} as __name__ == {__name__!r}")
if os.environ.get(TALLY_VAR):
    with open(os.environ[TALLY_VAR], "a", encoding="utf-8") as _tally:
        _tally.write(f"{BODY_RAN_IN}\n")
# ---- end of the module body ----
# ANCHOR_END: module_body


def who_am_i(out_q):
    """Runs in a child: report which process this is and whether the module body ran here."""
    parent = multiprocessing.parent_process()
    out_q.put({
        "pid": os.getpid(),
        "body_ran_in": BODY_RAN_IN,
        "name": __name__,
        "parent": parent.pid if parent else None,
    })


# ANCHOR: unguarded
UNGUARDED = '''
import multiprocessing, os

# A fuse of our own: count generations in the environment and never go past two.
depth = int(os.environ.get("UNGUARDED_DEPTH", "0"))
os.environ["UNGUARDED_DEPTH"] = str(depth + 1)
print(f"unguarded module body: PID {os.getpid()}, __name__ == {__name__!r}, generation {depth}",
      flush=True)


def hello():
    print(f"hello from PID {os.getpid()}", flush=True)


# No `if __name__ == "__main__":` here: this runs in every process that imports the module.
if depth < 2:
    p = multiprocessing.get_context("spawn").Process(target=hello)
    p.start()
    p.join()
    print(f"PID {os.getpid()}: its child exited with exitcode {p.exitcode}", flush=True)
'''
# ANCHOR_END: unguarded


def run_unguarded(timeout=30):
    """Run the unguarded script in its own session; on a timeout kill the whole group."""
    with tempfile.TemporaryDirectory(prefix="main-guard-") as tmp:
        script = os.path.join(tmp, "unguarded.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write(UNGUARDED)
        env = {k: v for k, v in os.environ.items() if k not in (TALLY_VAR, "UNGUARDED_DEPTH")}
        proc = subprocess.Popen([sys.executable, script], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            return None, out, err
        return proc.returncode, out, err


def main():
    parser = ArgumentParser(
        description="Show which code runs again in spawned children, and what the guard stops.")
    parser.add_argument("--children", type=int_in(1, 16), default=2,
                        help="how many spawned children to start (1..=16, default 2)")
    args = parser.parse_args()

    header('main_guard: what `if __name__ == "__main__":` protects (Python twin)')
    me = os.getpid()
    checks = Checks()

    spawn = multiprocessing.get_context("spawn")
    fork = multiprocessing.get_context("fork")
    reports = []
    with tempfile.NamedTemporaryFile("r", prefix="main-guard-tally-", encoding="utf-8") as tally:
        os.environ[TALLY_VAR] = tally.name  # spawned children inherit it
        try:
            for method, ctx, n in (("spawn", spawn, args.children), ("fork", fork, 1)):
                say(f"starting {n} child(ren) by {method}:")
                out_q = ctx.Queue()
                procs = [ctx.Process(target=who_am_i, args=(out_q,)) for _ in range(n)]
                for p in procs:
                    p.start()
                got = {}
                for _ in procs:
                    r = out_q.get(timeout=30)
                    got[r["pid"]] = r
                for p in procs:
                    p.join()
                    reports.append((method, p.exitcode, got.get(p.pid)))
        finally:
            del os.environ[TALLY_VAR]
        tallied = [line.strip() for line in tally if line.strip()]

    table = Table(["process", "start method", "PID", "__name__", "ran the module body",
                   "parent PID"])
    table.row(["parent", "-", me, __name__, "yes", os.getppid()])
    for i, (method, exitcode, r) in enumerate(reports):
        if r is None:
            table.row([f"child {i}", method, "?", "?", f"exitcode {exitcode}", "?"])
            continue
        ran = "yes" if r["body_ran_in"] == r["pid"] else f"no (inherited {r['body_ran_in']})"
        table.row([f"child {i}", method, r["pid"], r["name"], ran, r["parent"]])
    print()
    print(table)
    say(f"module body runs counted in the tally file: {len(tallied)} "
        f"(plus 1 in the parent, before the tally began)")

    spawned = [r for m, _, r in reports if m == "spawn"]
    forked = [r for m, _, r in reports if m == "fork"]
    checks.check("every child reported back and exited 0",
                 all(r is not None and code == 0 for _, code, r in reports))
    spawned = [r for r in spawned if r]
    forked = [r for r in forked if r]
    checks.check(f"the module body ran again in each of the {args.children} spawned children "
                 "(tallied once per child)",
                 sorted(tallied) == sorted(str(r["pid"]) for r in spawned)
                 and len(spawned) == args.children
                 and all(r["body_ran_in"] == r["pid"] for r in spawned))
    checks.check('spawned children import the main module as "__mp_main__", so main() did '
                 "not run again", all(r["name"] == "__mp_main__" for r in spawned))
    checks.check("every child's parent is this process",
                 all(r["parent"] == me for r in spawned + forked))
    checks.check("the forked child did not run the module body (it inherited the parent's value)",
                 len(forked) == 1 and forked[0]["body_ran_in"] == me
                 and forked[0]["name"] == "__main__")

    say("\nnow a script with NO guard that starts a spawn child at module level "
        "(fused at two generations, 30 s timeout):")
    code, out, err = run_unguarded()
    for line in out.splitlines():
        say(f"  | {line}")
    refusal = [line.strip() for line in err.splitlines() if line.strip()]
    bootstrap = next((i for i, line in enumerate(refusal) if line.startswith("RuntimeError")), None)
    if bootstrap is not None:
        say("  the child's stderr says:")
        for line in refusal[bootstrap:bootstrap + 3]:
            say(f"  ! {line}")
    bodies = [line for line in out.splitlines() if line.startswith("unguarded module body")]
    checks.check("the unguarded script finished on its own (no runaway spawning)", code == 0)
    checks.check("its module body ran exactly twice: the parent, and the child re-importing it",
                 len(bodies) == 2 and "'__mp_main__'" in bodies[-1])
    checks.check("the child's attempt to start a process while importing raised RuntimeError "
                 "(bootstrapping phase) and it exited 1",
                 "finished its bootstrapping phase" in " ".join(refusal)
                 and "its child exited with exitcode 1" in out
                 and "hello from" not in out)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
