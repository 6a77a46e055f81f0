"""The tutorial's multiprocess factorizer (Bendersky), in its own shape: one chunk per process,
each worker's dict put on one Queue, all collected before the joins. Timed with 2, 4 and 8
processes against the serial run, on the 400 numbers of the serial translation.

The worker is a function nested in mp_factorizer, as in the tutorial: it runs only under the
"fork" start method (Linux's default before Python 3.14). "spawn" and "forkserver" must pickle the
target, and a nested function does not pickle.
"""

import math
import multiprocessing
import os
import sys
import time
from multiprocessing import Queue

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "threads", "short"))
from factorize_serial import factorize_naive, serial_factorizer  # noqa: E402


def mp_factorizer(nums, nprocs):
    def worker(nums, out_q):
        """ The worker function, invoked in a process. 'nums' is a
            list of numbers to factor. The results are placed in
            a dictionary that's pushed to a queue.
        """
        outdict = {}
        for n in nums:
            outdict[n] = factorize_naive(n)
        out_q.put(outdict)

    # Each process will get 'chunksize' nums and a queue to put his out
    # dict into
    out_q = Queue()
    chunksize = int(math.ceil(len(nums) / float(nprocs)))
    procs = []

    for i in range(nprocs):
        p = multiprocessing.Process(
                target=worker,
                args=(nums[chunksize * i:chunksize * (i + 1)],
                      out_q))
        procs.append(p)
        p.start()

    # Collect all results into a single result dict. We know how many dicts
    # with results to expect.
    resultdict = {}
    for i in range(nprocs):
        resultdict.update(out_q.get())

    # Wait for all worker processes to finish
    for p in procs:
        p.join()

    return resultdict


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")  # the nested worker needs it (see above)
    nums = list(range(10**12, 10**12 + 400))
    start = time.perf_counter()
    serial = serial_factorizer(nums)
    print(f"serial:      {time.perf_counter() - start:.3f}s")
    for nprocs in (2, 4, 8):
        start = time.perf_counter()
        factors = mp_factorizer(nums, nprocs)
        print(f"{nprocs} processes: {time.perf_counter() - start:.3f}s")
        assert factors == serial, f"{nprocs} processes disagree with the serial run"
    print("every multiprocess run matches the serial one")
