"""Checks every Python twin of the processes chapter (see twincheck.py for what is checked),
plus the pool-overhead script that sits beside them.

Run: python3 python/processes/check_twins.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from twincheck import Report, check_twins, run  # noqa: E402

# twin -> (small flags that must pass, one bad flag set that must be refused)
TWINS = {
    "spawn_join": (["--children", "3"], ["--children", "0"]),
    "bubble_sort_child": (["--len", "300"], ["--len", "-1"]),
    "main_guard": (["--children", "1"], ["--children", "17"]),
    "mp_factorizer": (["--count", "60"], ["--procs", "0"]),
    "join_deadlock": (["--n", "100000"], ["--n", "5"]),
    "pool_factorizer": (["--count", "60"], ["--procs", "0"]),
    "process_pool": (["--dir", HERE, "--workers", "2"], ["--workers", "0"]),
    "apply_async": (["--dir", HERE, "--workers", "2"], ["--workers", "0"]),
    "exit_codes": (["--code", "7"], ["--code", "0"]),
    "crash_resilience": (["--tasks", "8", "--task-ms", "20", "--grace-ms", "500"],
                         ["--tasks", "7"]),
    "serialization": ([], ["--mib", "2"]),
    "large_data": (["--mib", "2"], ["--mib", "0"]),
}


def main():
    report = Report()
    check_twins(HERE, TWINS, report)
    # Not a twin but the Python side of the pool bench: it checks nothing, so it only has to run
    # cleanly and print its figures.
    code, out, err, secs, left = run(os.path.join(HERE, "pool_overhead.py"),
                                     ["--tasks", "50", "--repeat", "2"])
    report.record("pool_overhead", code == 0 and "µs" in out and not left,
                  f"exit {code} in {secs:.1f} s" + (f"; left behind: {left}" if left else ""))
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
