#!/usr/bin/env python3
"""What a worker costs in memory: N threads in one process against N worker processes.

Runs the `cpu_bound_showdown` lesson and its Python twin (both run the same job sequentially,
in 4 threads, then in 4 processes), and samples their process tree from /proc every 20 ms:
how many processes, how many threads, and the memory of the whole tree, as RSS (every page a
process maps, shared pages counted once per process) and as PSS (shared pages split between
the processes that share them, so the sum is what the tree really costs). Each phase of the run
(a stretch of samples with the same numbers of processes and threads) gets one line: its wall
time, the CPU time its processes used meanwhile, and the largest memory sums; and a last line says
how busy the rest of the machine kept its cores during the run (from /proc/stat), because on a
shared machine every "cores busy" figure drops when other programs take turns on the same cores. Then the same for 4 Python workers
that only sleep, as threads and as processes started by fork and by spawn (the start method of
macOS and Windows). Linux only; standard library only.

    cargo build -p examples-threads --bin cpu_bound_showdown
    python3 book/src/beyond/memory.py
"""
import multiprocessing
import os
import resource
import subprocess
import sys
import time

SAMPLE_EVERY_S = 0.02
MIN_SAMPLES = 10  # a tree shape seen fewer times is a moment of start-up or exit
RUST_LIMIT = "5000000"  # each phase then lasts seconds, long enough to sample
PYTHON_LIMIT = "300000"
QUIET_WAIT_S = 60
IDLE_WORKERS = 4
IDLE_S = 2.0  # how long each idle worker sleeps: long enough for many samples


def field(path, name):
    """The number on one `Name:   123 kB` line of a /proc status-like file, or 0."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass  # the process ended between listing and reading: it costs nothing now
    return 0


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (which may hold spaces), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def tree(root):
    """The PIDs of root and all its descendants."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := stat_fields(entry)):
            parents[int(entry)] = int(fields[1])
    pids, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        pids += frontier
    return pids


def sample(root):
    """(processes, threads) of the tree, and its CPU seconds so far, RSS and PSS in KiB."""
    pids = tree(root)
    threads = sum(field(f"/proc/{p}/status", "Threads") for p in pids)
    ticks = sum(int(f[11]) + int(f[12]) for p in pids if (f := stat_fields(p)))  # utime + stime
    rss = sum(field(f"/proc/{p}/status", "VmRSS") for p in pids)
    pss = sum(field(f"/proc/{p}/smaps_rollup", "Pss") for p in pids)
    return (len(pids), threads), ticks / os.sysconf("SC_CLK_TCK"), rss, pss


def busy_and_total():
    """The machine's busy ticks (all but idle and iowait) and all ticks so far, from /proc/stat."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)


def children_cpu():
    """CPU seconds of every descendant reaped so far (the lesson reaps its own children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_for_quiet():
    """Waits until the rest of the machine has used under a tenth of one core for two seconds
    (as book/measure does), at most QUIET_WAIT_S; says so when it gave up."""
    deadline = time.monotonic() + QUIET_WAIT_S
    while time.monotonic() < deadline:
        busy0, total0 = busy_and_total()
        time.sleep(2)
        busy1, total1 = busy_and_total()
        if (busy1 - busy0) * 10 * os.cpu_count() < total1 - total0:
            return
    print(f"(the machine stayed busy for {QUIET_WAIT_S} s: the CPU figures below share it)")


def show(command):
    return " ".join("python3" if word == sys.executable else word for word in command)


def measure(label, command):
    """Runs command and prints one line per phase: a stretch of samples with the same numbers of
    processes and threads. CPU time is what the phase's processes used while it lasted."""
    wait_for_quiet()
    print(f"$ {show(command)}")
    machine_before, start = busy_and_total()[0], time.perf_counter()
    ours_before = children_cpu() + time.process_time()  # the lesson's tree, and this sampler
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    phases = []  # [shape, samples, first wall, last wall, first CPU, last CPU, max RSS, max PSS]
    while child.poll() is None:
        shape, cpu, rss, pss = sample(child.pid)
        now = time.perf_counter()
        if rss:
            if phases and phases[-1][0] == shape:
                phase = phases[-1]
                phase[1] += 1
                phase[3], phase[5] = now, cpu
                phase[6], phase[7] = max(phase[6], rss), max(phase[7], pss)
            else:
                phases.append([shape, 1, now, now, cpu, cpu, rss, pss])
        time.sleep(SAMPLE_EVERY_S)
    if child.returncode != 0:
        sys.exit(f"error: {label} exited with {child.returncode}")
    wall = time.perf_counter() - start
    machine = (busy_and_total()[0] - machine_before) / os.sysconf("SC_CLK_TCK")
    ours = children_cpu() + time.process_time() - ours_before
    others = max(0.0, machine - ours) / wall
    print(f"{'':2}{'processes':>9}  {'threads':>7}  {'wall':>6}  {'CPU':>6}  {'cores busy':>10}"
          f"  {'RSS (sum)':>10}  {'PSS (sum)':>10}")
    for (processes, threads), count, t0, t1, cpu0, cpu1, rss, pss in phases:
        if count >= MIN_SAMPLES:
            wall, cpu = t1 - t0, cpu1 - cpu0
            print(f"{'':2}{processes:>9}  {threads:>7}  {wall:>5.2f}s  {cpu:>5.2f}s  {cpu / wall:>10.2f}"
                  f"  {rss / 1024:>6.1f} MiB  {pss / 1024:>6.1f} MiB")
    print(f"  meanwhile, other programs kept {others:.2f} cores busy on average")
    print()


def idle(how):
    """IDLE_WORKERS workers that only sleep: threads, or processes started by fork or spawn.
    What a worker costs before it does anything."""
    if how == "threads":
        import threading
        workers = [threading.Thread(target=time.sleep, args=(IDLE_S,)) for _ in range(IDLE_WORKERS)]
    else:
        context = multiprocessing.get_context(how)
        workers = [context.Process(target=time.sleep, args=(IDLE_S,)) for _ in range(IDLE_WORKERS)]
    time.sleep(IDLE_S / 2)  # the parent alone first, for a baseline
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--idle":
        return idle(sys.argv[2])
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    os.chdir(root)
    lesson = os.path.join("target", "debug", "cpu_bound_showdown")
    if not os.path.exists(lesson):
        sys.exit("error: build the lesson first: cargo build -p examples-threads --bin cpu_bound_showdown")
    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    print(f"machine: {os.cpu_count()} cores ({model}); python {sys.version.split()[0]}; "
          f"sampling every {SAMPLE_EVERY_S * 1000:.0f} ms, shapes seen at least {MIN_SAMPLES} times")
    print()
    measure("the Rust lesson", [lesson, "--tasks", "4", "--limit", RUST_LIMIT])
    measure("the Python twin", [sys.executable, "python/threads/cpu_bound_showdown.py",
                                "--tasks", "4", "--limit", PYTHON_LIMIT])
    for how in ["threads", "fork", "spawn"]:
        measure(f"{IDLE_WORKERS} idle {how}", [sys.executable, "book/src/beyond/memory.py", "--idle", how])


if __name__ == "__main__":
    main()
