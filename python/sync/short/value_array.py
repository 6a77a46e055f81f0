"""The tutorial's Value and Array, modified by four processes with no lock of their own.

The tutorial adds one once per process, which almost never loses anything: here each process
adds one ITERATIONS times, as its Lock example does, so the lost updates show.
"""

from multiprocessing import Array, Process, Value

ITERATIONS = 10_000


def modify_shared(counter, arr):
    for _ in range(ITERATIONS):
        counter.value += 1  # a locked read, then a locked write: not one step
    for i in range(len(arr)):
        arr[i] *= 2


if __name__ == "__main__":
    counter = Value("i", 0)  # 'i' = signed integer
    arr = Array("d", [1.0, 2.0, 3.0])  # 'd' = double

    processes = [Process(target=modify_shared, args=(counter, arr)) for _ in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()

    expected = 4 * ITERATIONS
    print(f"Counter: {counter.value} (expected: {expected}, lost updates: {expected - counter.value})")
    print(f"Array: {list(arr)}")
