"""The tutorial's GIL benchmark ("Python multiprocessing: True Parallelism", "The GIL Problem"),
in its own shape: the same prime count four times, in sequence, in four threads, in four
processes. The tutorial's n = 50000 takes under a tenth of a second a task here, too short for four
process starts to pay on two cores; n = 200000 (four times the range) is used instead.
"""

import threading
import multiprocessing
import time


def cpu_intensive_task(n):
    """Simulate CPU-bound work with prime calculation."""
    count = 0
    for i in range(2, n):
        if all(i % j != 0 for j in range(2, int(i ** 0.5) + 1)):
            count += 1
    return count


def benchmark_sequential(iterations, n):
    start = time.perf_counter()
    for _ in range(iterations):
        cpu_intensive_task(n)
    return time.perf_counter() - start


def benchmark_threading(iterations, n):
    start = time.perf_counter()
    threads = [threading.Thread(target=cpu_intensive_task, args=(n,))
               for _ in range(iterations)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def benchmark_multiprocessing(iterations, n):
    start = time.perf_counter()
    processes = [multiprocessing.Process(target=cpu_intensive_task, args=(n,))
                 for _ in range(iterations)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    assert all(p.exitcode == 0 for p in processes), "a process failed"
    return time.perf_counter() - start


if __name__ == "__main__":
    iterations, n = 4, 200000
    assert cpu_intensive_task(n) == 17984, "there are 17984 primes below 200000"

    print(f"Sequential:      {benchmark_sequential(iterations, n):.2f}s")
    print(f"Threading:       {benchmark_threading(iterations, n):.2f}s")
    print(f"Multiprocessing: {benchmark_multiprocessing(iterations, n):.2f}s")
