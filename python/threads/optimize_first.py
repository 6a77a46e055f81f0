"""optimize_first: a better algorithm before more cores.

Python twin of the Rust lesson `optimize_first` (examples-threads), after tutorial 001's question
before parallelizing: could other optimizations speed the computation up? The naive factorizer on
one core, then on every core (a process Pool, since threads would share the GIL), then a better
algorithm (Miller-Rabin and Pollard's rho) on one core and on every core. Every run must find
exactly the naive serial answer.

Default --count is 600, not the Rust lesson's 12000: the naive factorizer takes about 4.5 ms per
number in Python, so the Rust default would take about a minute per naive pass.

Run: python3 python/threads/optimize_first.py [--count N]
"""

import math
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import (ArgumentParser, Checks, Table, cores, factor_inputs,  # noqa: E402
                    factorize_naive, factors_multiply_back, header, human, int_in, say, speedup)

BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)  # exact for every n < 2**64


# ANCHOR: fast
def is_prime(n):
    if n < 2:
        return False
    for p in BASES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def rho(n):
    if n % 2 == 0:
        return 2
    c = 1
    while True:
        slow = fast = 2
        d = 1
        while d == 1:
            slow = (slow * slow + c) % n
            fast = (fast * fast + c) % n
            fast = (fast * fast + c) % n
            d = math.gcd(abs(slow - fast), n)
        if d != n:
            return d
        c += 1


def factorize_fast(n):
    if n < 2:
        return []
    if is_prime(n):
        return [n]
    d = rho(n)
    return sorted(factorize_fast(d) + factorize_fast(n // d))
# ANCHOR_END: fast


def timed(f, nums):
    start = time.perf_counter()
    out = f(nums)
    return out, time.perf_counter() - start


def naive_serial(nums):
    return {n: factorize_naive(n) for n in nums}


def fast_serial(nums):
    return {n: factorize_fast(n) for n in nums}


def in_pool(function):
    def run(nums):
        with multiprocessing.Pool(cores()) as pool:
            return dict(zip(nums, pool.map(function, nums, chunksize=max(1, len(nums) // 64))))
    return run


def main():
    parser = ArgumentParser(description="A better algorithm on one core against the naive one "
                                        "on every core.")
    parser.add_argument("--count", type=int_in(1, 1_000_000), default=600,
                        help="how many numbers to factorize (default 600)")
    args = parser.parse_args()
    header("optimize_first: a better algorithm before more cores (Python twin)")
    nums = factor_inputs(args.count)
    say(f"factorizing {len(nums)} numbers up to {nums[-1]}")
    checks = Checks()
    expected, base = timed(naive_serial, nums)
    right = all(factors_multiply_back(n, f) for n, f in expected.items())
    say(f"naive, 1 core: took {human(base)}")
    table = Table(["algorithm", "cores", "time", "vs naive on 1 core"])
    table.row(["naive trial division", 1, human(base), "1.0x"])
    for algorithm, used, function in [
        ("naive trial division", cores(), in_pool(factorize_naive)),
        ("Miller-Rabin + Pollard's rho", 1, fast_serial),
        ("Miller-Rabin + Pollard's rho", cores(), in_pool(factorize_fast)),
    ]:
        result, seconds = timed(function, nums)
        ok = result == expected
        name = f"{algorithm}, {used} {'core' if used == 1 else 'cores'}"
        say(f"{name}: {'took ' + human(seconds) if ok else 'failed'}")
        checks.check(f"{name} finds the same factors", ok)
        table.row([algorithm, used, human(seconds) if ok else "failed",
                   speedup(base, seconds) if ok and right else "-"])
    checks.check("every factor list multiplies back to its number", right)
    print()
    print(table)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
