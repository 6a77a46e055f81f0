"""Checks common.py's self-test (the SplitMix64 reference values and friends) and every Python
twin of the threads chapter (see twincheck.py for what is checked).

Run: python3 python/check_twins.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from twincheck import Report, check_twins, run  # noqa: E402

# twin -> (small flags that must pass, one bad flag set that must be refused)
TWINS = {
    "hello_threads": (["--threads", "3"], ["--threads", "0"]),
    "threaded_factorizer": (["--count", "200"], ["--threads", "1,0"]),
    "cpu_bound_showdown": (["--limit", "5000"], ["--tasks", "0"]),
    "pool_map": (["--n", "20000"], ["--n", "lots"]),
    "parallel_overhead": (["--max-n", "100000"], ["--max-n", "5"]),
    "load_balancing": (["--count", "200"], ["--workers", "0"]),
    "io_bound": (["--requests", "4", "--delay-ms", "20"], ["--no-such-flag"]),
}


def main():
    report = Report()
    code, out, err, secs, _ = run(os.path.join(HERE, "common.py"), [])
    report.record("common.py self-test", code == 0 and "self-test passed" in out,
                  f"exit {code} in {secs:.1f} s" + ("" if code == 0 else f"\n{out}{err}"))
    check_twins(os.path.join(HERE, "threads"), TWINS, report)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
