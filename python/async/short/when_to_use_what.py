"""Tutorial 002's closing comparison in its own shape: four slow downloads with asyncio (through
run_in_executor) and with threads, then four CPU-bound sums in a process pool. There is no network
here: fake_urlopen sleeps one second, as httpbin.org/delay/1 would before answering.

Run: python3 python/async/short/when_to_use_what.py
"""

import asyncio
import multiprocessing
import threading
import time

URLS = ["https://httpbin.org/delay/1"] * 4


def fake_urlopen(url):
    time.sleep(1)  # the server's one-second delay
    return b"{}"


# I/O-bound: asyncio, handing each blocking call to the default thread pool
async def fetch_async(url):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, fake_urlopen, url)


async def asyncio_approach():
    tasks = [fetch_async(url) for url in URLS]
    return await asyncio.gather(*tasks)


# I/O-bound: threading works too
def fetch_sync(url):
    return fake_urlopen(url)


def threading_approach():
    threads = [threading.Thread(target=fetch_sync, args=(url,)) for url in URLS]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# CPU-bound: only processes run Python code in parallel (the GIL)
def cpu_work(n):
    return sum(i * i for i in range(n))


def multiprocessing_approach():
    with multiprocessing.Pool(4) as pool:
        return pool.map(cpu_work, [10_000_000] * 4)


if __name__ == "__main__":
    start = time.perf_counter()
    asyncio.run(asyncio_approach())
    print(f"Asyncio (I/O):         {time.perf_counter() - start:.2f}s")

    start = time.perf_counter()
    threading_approach()
    print(f"Threading (I/O):       {time.perf_counter() - start:.2f}s")

    start = time.perf_counter()
    multiprocessing_approach()
    print(f"Multiprocessing (CPU): {time.perf_counter() - start:.2f}s")
