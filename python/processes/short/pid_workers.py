"""The tutorial's process fundamentals ("Python multiprocessing: True Parallelism",
"Multiprocessing Fundamentals"), in its own shape: two workers print their PID and their parent's,
the parent prints their exit codes. The worker's `return` goes nowhere: a Process keeps no result.
"""

import multiprocessing
import os


def worker(name):
    print(f"Worker {name}: PID={os.getpid()}, Parent PID={os.getppid()}")
    return f"Result from {name}"


if __name__ == "__main__":
    print(f"Main process: PID={os.getpid()}")

    # Create processes
    p1 = multiprocessing.Process(target=worker, args=("A",))
    p2 = multiprocessing.Process(target=worker, args=("B",))

    # Start processes (non-blocking)
    p1.start()
    p2.start()

    # Wait for completion
    p1.join()
    p2.join()

    print(f"Process A exit code: {p1.exitcode}")
    print(f"Process B exit code: {p2.exitcode}")
    assert p1.exitcode == 0 and p2.exitcode == 0, "a worker failed"
