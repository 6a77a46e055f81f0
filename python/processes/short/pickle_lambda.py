"""The tutorial's pickling pitfall ("Python multiprocessing: True Parallelism", "Common Pitfalls
and Best Practices"), in its own shape: a lambda will not pickle; a named function does.

The tutorial defines its "solution", `double`, under the `__main__` guard. That works only when
the pool's workers are forked from a parent that has already run those lines (the "fork" start
method, Linux's default before Python 3.14). Under "spawn" (Windows, macOS) and "forkserver"
(Linux from Python 3.14) a worker imports this file afresh, the guarded lines do not run, and the
worker cannot find `double`: it dies, the pool starts another, and `apply` waits forever. The last
block (ours) shows that, with a timeout so it ends; its traceback goes to stderr.
"""

import multiprocessing


def process_with_func(func, data):
    return func(data)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")  # the tutorial's world: Linux before Python 3.14

    # This will fail!
    transform = lambda x: x * 2

    with multiprocessing.Pool(2) as pool:
        try:
            result = pool.apply(process_with_func, (transform, 10))
        except Exception as e:
            print(f"Failed: {e}")
            # Can't pickle <function <lambda> at 0x...>

    # Solution: use a named function
    def double(x):
        return x * 2

    with multiprocessing.Pool(2) as pool:
        result = pool.apply(process_with_func, (double, 10))
        print(f"Success: {result}")

    # Ours: the same "solution" under spawn never answers.
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        try:
            pool.apply_async(process_with_func, (double, 10)).get(timeout=3)
            raise SystemExit("under spawn, double was found after all")
        except multiprocessing.TimeoutError:
            print("Under spawn: no answer in 3 s (the worker could not find double, and died)")
