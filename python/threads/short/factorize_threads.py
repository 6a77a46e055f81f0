"""The tutorial's threaded factorizer (Bendersky), in its own shape: one chunk and one dict per
thread, merged after the joins. Timed with 2, 4 and 8 threads against the serial run.

The tutorial's `out_d.iteritems()` was Python 2; in Python 3 it is `out_d.items()`.
"""

import math
import threading
import time

from factorize_serial import factorize_naive, serial_factorizer


def threaded_factorizer(nums, nthreads):
    def worker(nums, outdict):
        """ The worker function, invoked in a thread. 'nums' is a
            list of numbers to factor. The results are placed in
            outdict.
        """
        for n in nums:
            outdict[n] = factorize_naive(n)

    # Each thread will get 'chunksize' nums and its own output dict
    chunksize = int(math.ceil(len(nums) / float(nthreads)))
    threads = []
    outs = [{} for i in range(nthreads)]

    for i in range(nthreads):
        # Create each thread, passing it its chunk of numbers to factor
        # and output dict.
        t = threading.Thread(
                target=worker,
                args=(nums[chunksize * i:chunksize * (i + 1)],
                      outs[i]))
        threads.append(t)
        t.start()

    # Wait for all threads to finish
    for t in threads:
        t.join()

    # Merge all partial output dicts into a single dict and return it
    return {k: v for out_d in outs for k, v in out_d.items()}


if __name__ == "__main__":
    nums = list(range(10**12, 10**12 + 400))
    start = time.perf_counter()
    serial = serial_factorizer(nums)
    print(f"serial:    {time.perf_counter() - start:.3f}s")
    for nthreads in (2, 4, 8):
        start = time.perf_counter()
        factors = threaded_factorizer(nums, nthreads)
        print(f"{nthreads} threads: {time.perf_counter() - start:.3f}s")
        assert factors == serial, f"{nthreads} threads disagree with the serial run"
    print("every threaded run matches the serial one")
