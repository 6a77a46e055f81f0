"""The tutorial's serial factorizer (Bendersky), in its own shape: factorize_naive and
serial_factorizer, timed once on 400 numbers in a row from 10**12.

The tutorial's `n = n / p` was Python 2's integer division; in Python 3 it is `n // p`.
"""

import math
import time


def factorize_naive(n):
    """ A naive factorization method. Take integer 'n', return list of
        factors.
    """
    if n < 2:
        return []
    factors = []
    p = 2

    while True:
        if n == 1:
            return factors

        r = n % p
        if r == 0:
            factors.append(p)
            n = n // p
        elif p * p >= n:
            factors.append(n)
            return factors
        elif p > 2:
            # Advance in steps of 2 over odd numbers
            p += 2
        else:
            # If p == 2, get to 3
            p += 1
    assert False, "unreachable"


def serial_factorizer(nums):
    return {n: factorize_naive(n) for n in nums}


if __name__ == "__main__":
    nums = list(range(10**12, 10**12 + 400))
    start = time.perf_counter()
    factors = serial_factorizer(nums)
    print(f"serial: {len(factors)} numbers in {time.perf_counter() - start:.3f}s")
    assert all(math.prod(f) == n for n, f in factors.items()), "a factorization is wrong"
    print(f"1000000000000 = {factors[10**12]}")
    print(f"all {len(factors)} factorizations multiply back")
