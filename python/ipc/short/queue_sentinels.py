"""The tutorial's producer and consumers: one work queue, None as the end, passed on."""

import multiprocessing
import random
import time


def producer(queue, num_items):
    for i in range(num_items):
        item = {"id": i, "data": random.randint(1, 100)}
        queue.put(item)
        print(f"Produced: {item}")
        time.sleep(0.1)
    queue.put(None)  # the end of the work


def consumer(queue, results_queue, name):
    while True:
        item = queue.get()
        if item is None:
            queue.put(None)  # pass the end on: the next consumer must see it too
            break
        result = item["data"] ** 2
        results_queue.put({"id": item["id"], "result": result})
        print(f"Consumer {name} processed item {item['id']}: {result}")


if __name__ == "__main__":
    work_queue = multiprocessing.Queue()
    results_queue = multiprocessing.Queue()

    producer_proc = multiprocessing.Process(target=producer, args=(work_queue, 10))
    consumers = [
        multiprocessing.Process(target=consumer, args=(work_queue, results_queue, i))
        for i in range(3)
    ]
    producer_proc.start()
    for c in consumers:
        c.start()
    producer_proc.join()
    for c in consumers:
        c.join()

    results = []
    while not results_queue.empty():
        results.append(results_queue.get())
    print(f"\nCollected {len(results)} results")
