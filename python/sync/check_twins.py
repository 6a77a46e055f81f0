"""Checks every Python twin of the shared-state chapter (see twincheck.py for what is checked).

Run: python3 python/sync/check_twins.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from twincheck import Report, check_twins, run  # noqa: E402

# twin -> (small flags that must pass, one bad flag set that must be refused)
TWINS = {
    "thread_counter": (["--workers", "3", "--increments", "5000"], ["--workers", "0"]),
    "event": (["--workers", "3"], ["--workers", "1"]),
    "condvar": (["--items", "10", "--capacity", "2"], ["--capacity", "0"]),
    "barrier": (["--workers", "3"], ["--workers", "17"]),
    "semaphore": (["--workers", "3", "--permits", "2"], ["--permits", "9"]),
    "shared_value_race": (["--workers", "3", "--increments", "5000"], ["--workers", "17"]),
    "shared_value_lock": (["--workers", "3", "--increments", "5000", "--kill-holder"],
                          ["--increments", "0"]),
    "shared_array": (["--workers", "3", "--len", "3000"], ["--len", "x"]),
    "process_event": (["--workers", "3"], ["--workers", "0"]),
}


def main():
    report = Report()
    check_twins(HERE, TWINS, report)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
