"""The tutorial's fix: every increment of the shared Value holds one Lock, so none is lost."""

from multiprocessing import Lock, Process, Value


def safe_increment(counter, lock, iterations):
    for _ in range(iterations):
        with lock:
            counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    lock = Lock()
    iterations = 10000

    processes = [
        Process(target=safe_increment, args=(counter, lock, iterations)) for _ in range(4)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join()

    expected = 4 * iterations
    print(f"Counter: {counter.value} (expected: {expected})")
    assert counter.value == expected, "Race condition detected!"
