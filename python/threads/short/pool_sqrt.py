"""The tutorial's first Pool example (Bonannella, "The Pool class"), in its own shape: a pool of
one worker process per core maps `cube` (which, despite its name, takes a square root) over
range(10, N). Only the last two lines, which check the result, are ours.
"""

from multiprocessing import Pool
import time
import math

N = 5000000


def cube(x):
    return math.sqrt(x)


if __name__ == "__main__":
    with Pool() as pool:
        result = pool.map(cube, range(10, N))
    print("Program finished!")
    assert len(result) == N - 10 and result[90] == 10.0, "wrong square roots"
    print(f"{len(result)} square roots, the first {result[0]:.4f}")
