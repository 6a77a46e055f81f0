"""How a twin of the distributed chapter becomes an MPI job, like the Rust lessons'
``examples_distributed::launch``: run plainly, a twin starts itself under ``mpirun``; started by
``mpirun``, it is one rank. ``watch`` runs a whole job from outside (the fault twin).

mpi4py is imported only inside a rank: importing ``mpi4py.MPI`` starts MPI, which the parent that
only launches the job must not do.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid

# Variables a launcher puts in every rank's environment: Open MPI's, then PMI's (MPICH, Slurm).
LAUNCHER_VARIABLES = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK")
JOB_MARK = "DISTRIBUTED_TWIN_JOB"
LEFTOVER_GRACE = 3.0  # seconds a finished job's processes get to go


def under_mpirun():
    return any(v in os.environ for v in LAUNCHER_VARIABLES)


def mpirun(ranks, argv):
    """``mpirun -n RANKS --oversubscribe ARGV``; root needs ``--allow-run-as-root`` too."""
    root = ["--allow-run-as-root"] if os.geteuid() == 0 else []
    return ["mpirun", "-n", str(ranks), "--oversubscribe", *root, *argv]


def this_script():
    return [sys.executable, os.path.abspath(sys.argv[0]), *sys.argv[1:]]


def start_ranks(ranks):
    """Runs this twin as ``ranks`` ranks and returns the job's exit code."""
    if shutil.which("mpirun") is None:
        sys.stderr.write("error: mpirun not found: install Open MPI (see the chapter's page)\n")
        return 1
    name = os.path.basename(sys.argv[0])
    print(f"(not started by mpirun: running `mpirun -n {ranks} --oversubscribe python3 {name} ...`)",
          flush=True)
    job = subprocess.Popen(mpirun(ranks, this_script()))
    try:
        code = job.wait()
    except KeyboardInterrupt:  # Ctrl-C reached mpirun too, which ends the ranks: wait for it
        job.wait()
        return 130
    return code if code >= 0 else 128 - code


def _marked(needle):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if needle in f.read().split(b"\0"):
                        found.append(int(entry))
            except OSError:
                pass
    return found


def watch(argv, deadline):
    """Runs a job to its end (or kills it at ``deadline`` seconds): (exit code or None, seconds,
    stdout, stderr, PIDs of the job still alive afterwards, which are killed)."""
    mark = uuid.uuid4().hex
    env = dict(os.environ, **{JOB_MARK: mark})
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=deadline, env=env,
                              stdin=subprocess.DEVNULL)
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as late:
        code, out, err = None, str(late.stdout or ""), str(late.stderr or "")
    took = time.perf_counter() - start
    needle = f"{JOB_MARK}={mark}".encode()
    until = time.monotonic() + LEFTOVER_GRACE
    while (left := _marked(needle)) and time.monotonic() < until:
        time.sleep(0.1)
    for pid in left:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    return code, took, out, err, left
