"""Helpers shared by the Python twins of the Rust lessons.

Everything here mirrors a piece of the Rust workspace exactly, so the two sides work on the
same numbers and print in the same shape:

* ``SplitMix64`` and ``factor_inputs`` match ``workloads::inputs`` bit for bit;
* ``factorize_naive``, ``factors_multiply_back``, ``is_prime_naive`` and ``count_primes_below``
  match ``workloads::factor`` and ``workloads::primes`` (and the tutorials they come from);
* ``header``, ``human``, ``Table`` and ``Checks`` print what the ``lesson`` crate prints;
* ``ArgumentParser`` fails on a bad flag with one line and exit code 2, like ``lesson::parse_args``.

Standard library only. The twins import it with ``sys.path`` pointing at this directory, so they
run as plain scripts: ``python3 python/threads/NAME.py``.
"""

import argparse
import math
import os
import platform
import sys

MASK64 = (1 << 64) - 1

# The smallest and largest numbers the factorizer lessons draw, and the seed they use.
FACTOR_RANGE = (1_000_000_000, 1_000_000_000_000)
DEFAULT_SEED = 2026


class SplitMix64:
    """The SplitMix64 generator, with Python's unbounded ints cut back to 64 bits by hand."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, low, high):
        """A value in ``low..high`` (high excluded); the modulo bias is irrelevant here."""
        return low + self.next_u64() % (high - low)


def factor_inputs(count, seed=DEFAULT_SEED):
    """``count`` numbers from FACTOR_RANGE, sorted ascending: the same list the Rust lessons use.

    Sorted, the last numbers are the largest, so equal-length chunks are not equal work.
    """
    rng = SplitMix64(seed)
    return sorted(rng.below(*FACTOR_RANGE) for _ in range(count))


def factorize_naive(n):
    """Prime factors of ``n``, smallest first, by trial division (tutorial 000's function).

    Try 2, then every odd candidate; stop once the candidate squared reaches what is left.
    Integer division (``//=``) keeps the numbers exact, where the tutorial's Python 2 ``/`` did.
    """
    if n < 2:
        return []
    factors = []
    p = 2
    while True:
        if n == 1:
            return factors
        if n % p == 0:
            factors.append(p)
            n //= p
        elif p * p >= n:
            factors.append(n)
            return factors
        elif p > 2:
            p += 2
        else:
            p += 1


def factors_multiply_back(n, factors):
    """Ascending, none below 2, and their product is ``n`` (for ``n < 2``: no factors at all)."""
    if n < 2:
        return len(factors) == 0
    if any(f < 2 for f in factors):
        return False
    if any(a > b for a, b in zip(factors, factors[1:])):
        return False
    return math.prod(factors) == n


def is_prime_naive(i):
    """Tutorial 002's test: no divisor in ``2..=int(i ** 0.5)``."""
    if i < 2:
        return False
    return all(i % j != 0 for j in range(2, int(i ** 0.5) + 1))


def count_primes_below(n):
    """How many primes lie in ``2..n``: tutorial 002's ``cpu_intensive_task(n)``."""
    count = 0
    for i in range(2, n):
        if is_prime_naive(i):
            count += 1
    return count


def root(x):
    """Tutorial 001's per-item job (it called it ``cube``; it takes a square root)."""
    return math.sqrt(x)


def cores():
    """CPUs this process may run on (what Rust's ``available_parallelism`` reports on Linux)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def machine():
    """``2 cores (Intel(R) Xeon(R) Processor)``, or ``1 of 2 cores (...)`` when pinned: the words
    the Rust lessons print, except that Rust also counts a container's CPU quota and this does
    not."""
    model = platform.machine() or "unknown cpu"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    usable, online = cores(), os.cpu_count() or 1
    if online > usable:  # pinned (an MPI rank, taskset): say so, as the Rust lessons do
        return f"{usable} of {online} cores ({model})"
    return f"{usable} core ({model})" if usable == 1 else f"{usable} cores ({model})"


def header(title):
    """The banner every twin starts with: what it does, on which machine, with which Python."""
    print(f"== {title} ==")
    print(f"machine: {machine()}; python {platform.python_version()}", flush=True)


def human(seconds):
    """A duration in the unit a person would use: ``1.50 s``, ``45.6 ms``, ``789 µs``."""
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def speedup(baseline, seconds):
    """``2.03x``: how many times faster than the baseline (below 1 means slower)."""
    return f"{baseline / seconds:.2f}x" if seconds > 0 else "-"


def say(*args):
    """Narration that reaches the terminal at once, even when stdout is a pipe.

    The line goes out in one write, so lines printed by several threads never interleave
    (``print`` writes the text and the newline separately).
    """
    sys.stdout.write(" ".join(str(a) for a in args) + "\n")
    sys.stdout.flush()


class Table:
    """A plain-text table with left-aligned columns and a dashed rule under the header."""

    def __init__(self, headers):
        self.rows = [[str(h) for h in headers]]

    def row(self, cells):
        self.rows.append([str(c) for c in cells])
        return self

    def __str__(self):
        columns = max(len(r) for r in self.rows)
        widths = [max((len(r[c]) for r in self.rows if c < len(r)), default=0)
                  for c in range(columns)]
        lines = []
        for i, row in enumerate(self.rows):
            cells = [cell.ljust(w) for cell, w in zip(row, widths)]
            lines.append("  ".join(cells).rstrip())
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines) + "\n"


class Checks:
    """Self-checks, each printed as ``check: ... ok`` or ``... FAILED``.

    ``finish`` prints the tally and returns the exit code: 0 if all passed, 1 otherwise.
    """

    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, what, ok):
        ok = bool(ok)
        print(f"check: {what} ... {'ok' if ok else 'FAILED'}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)
        return ok

    def finish(self):
        if not self.failed:
            print(f"all {self.passed} checks passed", flush=True)
            return 0
        total = len(self.failed) + self.passed
        print(f"{len(self.failed)} of {total} checks FAILED", flush=True)
        return 1


USAGE_ERROR = 2


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad flag costs one line on stderr and exit code 2 (no usage dump)."""

    def error(self, message):
        sys.stderr.write(f"error: {message} (see --help)\n")
        sys.exit(USAGE_ERROR)


def int_in(low, high):
    """An argparse type: an integer in ``low..=high``."""

    def parse(text):
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not in {low}..={high}")
        return value

    parse.__name__ = f"integer in {low}..={high}"
    return parse


def int_list_in(low, high):
    """An argparse type: comma-separated integers, each in ``low..=high`` (e.g. ``1,2,4,8``)."""
    one = int_in(low, high)

    def parse(text):
        parts = [p.strip() for p in text.split(",")]
        if not parts or any(p == "" for p in parts):
            raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list")
        return [one(p) for p in parts]

    parse.__name__ = f"list of integers in {low}..={high}"
    return parse


def _self_test():
    rng = SplitMix64(0)
    assert rng.next_u64() == 0xE220A8397B1DCDAF
    assert rng.next_u64() == 0x6E789E6AA1B965F4
    assert factorize_naive(12) == [2, 2, 3]
    assert factorize_naive(999_983 * 1_000_003) == [999_983, 1_000_003]
    assert all(factors_multiply_back(n, factorize_naive(n)) for n in range(5000))
    assert not factors_multiply_back(12, [3, 2, 2])
    assert not factors_multiply_back(1, [1])
    assert count_primes_below(50_000) == 5133
    assert human(1.5) == "1.50 s" and human(0.0456) == "45.6 ms" and human(0.000789) == "789 µs"
    t = Table(["variant", "time"]).row(["serial", "1.00 s"]).row(["2 threads", "0.51 s"])
    assert str(t).splitlines()[:2] == ["variant    time", "---------  ------"]
    nums = factor_inputs(500, 7)
    assert nums == sorted(nums) and nums != factor_inputs(500, 8)
    assert all(FACTOR_RANGE[0] <= n < FACTOR_RANGE[1] for n in nums)
    print("common.py self-test passed")


if __name__ == "__main__":
    _self_test()
