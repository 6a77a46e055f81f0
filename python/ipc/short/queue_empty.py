"""The tutorial's `while not results_queue.empty()`, run while the consumers still work."""

import multiprocessing
import time


def consumer(items, results_queue, name):
    for i in items:
        time.sleep(0.1)  # the work an item takes
        results_queue.put({"id": i, "result": i * i})
        print(f"Consumer {name} processed item {i}")


if __name__ == "__main__":
    results_queue = multiprocessing.Queue()
    consumers = [
        multiprocessing.Process(target=consumer, args=(range(i, 10, 3), results_queue, i))
        for i in range(3)
    ]
    for c in consumers:
        c.start()

    early = []
    while not results_queue.empty():  # "nothing right now", read as "done"
        early.append(results_queue.get())
    print(f"while not empty(), right away: {len(early)} of 10 results")

    for c in consumers:
        c.join()
    late = []
    while not results_queue.empty():
        late.append(results_queue.get())
    print(f"the same loop after joining: {len(late)} more, {len(early) + len(late)} of 10 in all")
