"""async_io: one I/O-bound job run sequentially, in threads, in a thread pool and in asyncio tasks.

Python twin of the Rust lesson `async_io` (examples-async), after tutorial 002's "When to Use
What". --requests simulated requests each wait --wait-ms (time.sleep or asyncio.sleep stands in
for a slow server: no network), run:

* one after another (a sample of them, extrapolated to all, to finish in seconds);
* one threading.Thread per request;
* a ThreadPoolExecutor of --pool-threads threads;
* asyncio tasks on one thread, gathered with asyncio.gather;
* loop.run_in_executor(None, blocking_call), the tutorial's way: blocking calls handed to the
  default executor, a thread pool of min(32, cores + 4) threads (a sample, extrapolated).

For each: wall time, OS threads at the peak and peak resident memory, read from /proc/self/status
(Linux; elsewhere "not measured"). Then each request gets a CPU part after its wait, run inline
in the coroutine (the event loop stalls) or with run_in_executor on a process pool (it does not),
while a heartbeat coroutine measures how late the loop lets it run. A thread pool would not do
for the CPU part: its threads hold the GIL the event loop needs, and the GIL is not fair.

Run: python3 python/async/async_io.py [--requests N] [--wait-ms MS] [--pool-threads N]
"""

import asyncio
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, Table, cores, header, human, int_in, say  # noqa: E402

SEQUENTIAL_SAMPLE = 10  # requests the sequential row really runs
EXECUTOR_ROUNDS = 5  # the run_in_executor row runs this many rounds of the default executor
CPU_PART = 6_000  # squares per CPU part: about 0.2 ms in CPython, as long as Rust's 200,000
HEARTBEAT = 0.005  # seconds between the heartbeat's wishes to run
SAMPLE_EVERY = 0.001  # seconds between two reads of /proc/self/status
NOT_MEASURED = "not measured"


# ANCHOR: ways
def request_blocking(i, wait):
    time.sleep(wait)  # urllib.request.urlopen(url), without the network
    return 2 * i


async def request_async(i, wait):
    await asyncio.sleep(wait)
    return 2 * i


def sequential(ids, wait, _pool):
    return [request_blocking(i, wait) for i in ids]


def thread_per_request(ids, wait, _pool):
    answers = [None] * len(ids)

    def client(slot, i):
        answers[slot] = request_blocking(i, wait)

    threads = [threading.Thread(target=client, args=(slot, i)) for slot, i in enumerate(ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def thread_pool(ids, wait, pool):
    with ThreadPoolExecutor(max_workers=pool) as executor:
        return list(executor.map(lambda i: request_blocking(i, wait), ids))


def asyncio_tasks(ids, wait, _pool):
    async def gather_all():
        return await asyncio.gather(*(request_async(i, wait) for i in ids))
    return asyncio.run(gather_all())


def asyncio_run_in_executor(ids, wait, _pool):
    async def gather_all():
        loop = asyncio.get_running_loop()
        return await asyncio.gather(
            *(loop.run_in_executor(None, request_blocking, i, wait) for i in ids))
    return asyncio.run(gather_all())
# ANCHOR_END: ways


# ANCHOR: cpu_part
def cpu_part(answer):
    sum(i * i for i in range(CPU_PART))  # parsing, hashing...: the tutorial's cpu_work, smaller
    return answer


def with_cpu_part(ids, wait, inline, cpu_pool):
    """Every request waits, then does its CPU part inline or through run_in_executor on
    `cpu_pool`, while a heartbeat coroutine asks to run every few milliseconds. Returns the answers
    and how late the heartbeat ran at worst."""
    async def request(i):
        answer = await request_async(i, wait)
        if inline:
            return cpu_part(answer)
        return await asyncio.get_running_loop().run_in_executor(cpu_pool, cpu_part, answer)

    async def main():
        done, worst = asyncio.Event(), [0.0]

        async def heartbeat():
            while not done.is_set():
                asked = time.perf_counter()
                await asyncio.sleep(HEARTBEAT)
                worst[0] = max(worst[0], time.perf_counter() - asked - HEARTBEAT)
        beat = asyncio.create_task(heartbeat())
        answers = await asyncio.gather(*(request(i) for i in ids))
        done.set()
        await beat
        return answers, worst[0]
    return asyncio.run(main())
# ANCHOR_END: cpu_part


def status_field(name):
    """A number from /proc/self/status (``Threads:``, or ``VmRSS:`` in KiB), or None."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(name):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def measured(run):
    """Runs run(): (its result, seconds, (peak threads, peak RSS cell) or None). The sampler
    thread is not counted; VmHWM is reset first where the kernel allows it."""
    while (status_field("Threads:") or 1) > 1:  # the last run's threads on their way out
        time.sleep(SAMPLE_EVERY)
    start_rss = status_field("VmRSS:")
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        reset = True
    except OSError:
        reset = False
    peak = {"threads": 0, "rss": 0}
    running = threading.Event()
    running.set()

    def sample():
        while running.is_set():
            peak["threads"] = max(peak["threads"], status_field("Threads:") or 0)
            peak["rss"] = max(peak["rss"], status_field("VmRSS:") or 0)
            time.sleep(SAMPLE_EVERY)
    sampler = threading.Thread(target=sample, name="sampler")
    sampler.start()
    start = time.perf_counter()
    try:
        out = run()
    finally:
        seconds = time.perf_counter() - start
        running.clear()
        sampler.join()
    rss = status_field("VmHWM:") if reset else peak["rss"]
    if start_rss is None or not rss:
        return out, seconds, None
    added = max(rss - start_rss, 0)
    return out, seconds, (str(peak["threads"] - 1),
                          f"{rss * 1024 / 1e6:.1f} MB (+{added * 1024 / 1e6:.1f})")


def main():
    parser = ArgumentParser(description="One I/O-bound job: in sequence, in threads, in a pool, "
                                        "in asyncio tasks.")
    parser.add_argument("--requests", type=int_in(SEQUENTIAL_SAMPLE, 20_000), default=1000,
                        help="how many simulated requests (10..=20000, default 1000)")
    parser.add_argument("--wait-ms", type=int_in(1, 2000), default=100,
                        help="how long each request waits, in milliseconds (default 100)")
    parser.add_argument("--pool-threads", type=int_in(1, 1024), default=64,
                        help="threads in the ThreadPoolExecutor (default 64)")
    args = parser.parse_args()
    n, wait, pool = args.requests, args.wait_ms / 1000, args.pool_threads
    executor_threads = min(32, cores() + 4)  # what ThreadPoolExecutor() picks by default

    header("async_io (Python twin): one I/O-bound job, four ways")
    say(f"{n} requests, each waiting {human(wait)}: {human(n * wait)} of waiting in all; "
        f"a pool of {pool}; run_in_executor's default pool has {executor_threads}\n")
    ids = list(range(n))
    table = Table(["approach", "wall", "OS threads at peak", "peak RSS (added)"])
    checks = Checks()
    times = {}

    def row(name, run, count, scale=1.0):
        answers, seconds, peak = measured(run)
        right = sorted(answers) == [2 * i for i in range(count)]
        seconds *= scale
        say(f"{name}: took {human(seconds)}" if right else f"{name}: failed")
        threads, rss = peak or (NOT_MEASURED, NOT_MEASURED)
        table.row([name, human(seconds), threads, rss] if right else [name, "failed", "-", "-"])
        checks.check(f"{name}: every request answered exactly once", right)
        times[name] = seconds if right else None

    row("sequential (extrapolated)", lambda: sequential(ids[:SEQUENTIAL_SAMPLE], wait, pool),
        SEQUENTIAL_SAMPLE, n / SEQUENTIAL_SAMPLE)
    row("one thread per request", lambda: thread_per_request(ids, wait, pool), n)
    row("ThreadPoolExecutor", lambda: thread_pool(ids, wait, pool), n)
    row("asyncio tasks, one thread", lambda: asyncio_tasks(ids, wait, pool), n)
    sample = min(n, executor_threads * EXECUTOR_ROUNDS)
    row("run_in_executor(None, ...) (extrapolated)" if sample < n else "run_in_executor(None, ...)",
        lambda: asyncio_run_in_executor(ids[:sample], wait, pool), sample, n / sample)
    print()
    print(table)
    tasks = times["asyncio tasks, one thread"]
    checks.check(f"asyncio overlapped the waits: {human(tasks) if tasks else 'failed'} for "
                 f"{human(n * wait)}", tasks is not None and tasks * 10 < n * wait)

    say(f"\n-- now each request also sums {CPU_PART} squares after its wait --")
    cpu = Table(["CPU part", "wall", "heartbeat late by at most", "OS threads at peak"])
    lateness = []
    for name, inline in (("CPU part inline", True), ("CPU part in a process pool", False)):
        # Processes, one per core: threads would hold the GIL the event loop needs (see the page).
        with ProcessPoolExecutor(max_workers=cores()) as cpu_pool:
            (answers, late), seconds, peak = measured(
                lambda: with_cpu_part(ids, wait, inline, cpu_pool))
        right = sorted(answers) == [2 * i for i in range(n)]
        say(f"{name}: took {human(seconds)}; the heartbeat ran late by at most {human(late)}"
            if right else f"{name}: failed")
        checks.check(f"{name}: every request answered exactly once", right)
        threads = peak[0] if peak else NOT_MEASURED
        cpu.row([name, human(seconds), human(late), threads] if right else [name, "failed"])
        lateness.append(late if right else None)
    print(cpu)
    inline_late, executor_late = lateness
    checks.check("the process pool kept the heartbeat more punctual than inline",
                 None not in lateness and executor_late < inline_late)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
