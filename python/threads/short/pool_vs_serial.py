"""The tutorial's timing of Pool.map against a plain loop (Bonannella, "Making Best Use of Python
Multiprocessing"), in its own shape, run for both of its N: 5,000,000 (the pool wins) and 10,000
(the pool loses). The tutorial edits N and runs again; here a loop does it. The results are
compared, which the tutorial does not do.
"""

from multiprocessing import Pool
import time
import math


def cube(x):
    return math.sqrt(x)


if __name__ == "__main__":
    for N in (5000000, 10000):
        print(f"N = {N}")
        # first way, using multiprocessing
        start_time = time.perf_counter()
        with Pool() as pool:
            result = pool.map(cube, range(10, N))
        finish_time = time.perf_counter()
        print("Program finished in {} seconds - using multiprocessing".format(finish_time-start_time))
        # second way, serial computation
        start_time = time.perf_counter()
        serial = []
        for x in range(10, N):
            serial.append(cube(x))
        finish_time = time.perf_counter()
        print("Program finished in {} seconds".format(finish_time-start_time))
        assert result == serial, "the pool and the loop disagree"
    print("the pool and the loop agree")
