"""Checks every Python twin of the IPC chapter (see twincheck.py for what is checked).

Run: python3 python/ipc/check_twins.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from twincheck import Report, check_twins, run  # noqa: E402

# twin -> (small flags that must pass, one bad flag set that must be refused)
TWINS = {
    "producer_consumer": (["--items", "20000", "--consumers", "2"], ["--consumers", "0"]),
    "empty_is_not_done": (["--items", "12", "--work-ms", "10"], ["--work-ms", "0"]),
    "killed_consumer": (["--items", "20000", "--kill-after", "5000"], ["--consumers", "1"]),
    "producer_consumer_threads": (["--items", "5000"], ["--items", "ten"]),
    "bounded_channels": (["--items", "5000"], ["--consumers", "0"]),
    "pipe": (["--requests", "200"], ["--requests", "0"]),
    "pipe_closed": ([], ["--requests", "5"]),
    "manager_dict": (["--workers", "3"], ["--workers", "0"]),
    "manager_race": (["--workers", "3", "--increments", "200"], ["--increments", "0"]),
    "manager_batching": (["--workers", "3", "--ops", "300"], ["--workers", "0"]),
    "manager_authkey": ([], ["--workers", "2"]),
    "channel_throughput": (["--messages", "2000", "--batch", "64"], ["--batch", "1"]),
}


def main():
    report = Report()
    check_twins(HERE, TWINS, report)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
