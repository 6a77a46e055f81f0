"""Checks common.py's self-test and every Python twin lessons.toml names (see twincheck.py for
what is checked), with the twin_quick and twin_bad flags the manifest gives it.

Run: python3 python/check_twins.py [CHAPTER]     (threads, processes, ipc, sync: only that one)

The distributed chapter's twins run under mpirun with mpi4py; without them they are skipped, said
in one line.
"""

import importlib.util
import os
import shutil
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from twincheck import ROOT, Report, check_twin, run  # noqa: E402


def pool_overhead(report):
    """Not a twin but the Python side of the processes chapter's pool bench: it checks nothing,
    so it only has to run cleanly and print its figures."""
    code, out, err, secs, left = run(os.path.join(HERE, "processes", "pool_overhead.py"),
                                     ["--tasks", "50", "--repeat", "2"])
    report.record("pool_overhead", code == 0 and "µs" in out and not left,
                  f"exit {code} in {secs:.1f} s" + (f"; left behind: {left}" if left else ""))


def check_short(short, report):
    """The tutorial's program in its own shape: no flags, no self-checks of ours beyond a clean
    exit, nothing left running, in seconds."""
    code, out, err, secs, left = run(os.path.join(ROOT, short["python"]), [])
    report.record(f"{short['name']} (short)", code == 0 and not left,
                  f"exit {code} in {secs:.1f} s" + (f"; left behind: {left}" if left else "")
                  + ("" if code == 0 else f"\n{out}{err}"))


def fork_and_locks(report):
    """The processes chapter's fork demonstration: forked children hang on an inherited held
    lock, spawned ones do not; it checks that itself."""
    code, out, err, secs, left = run(os.path.join(HERE, "processes", "fork_and_locks.py"),
                                     ["--children", "3"])
    report.record("fork_and_locks", code == 0 and "checks passed" in out and not left,
                  f"exit {code} in {secs:.1f} s" + (f"; left behind: {left}" if left else "")
                  + ("" if code == 0 else f"\n{out}{err}"))


# Chapters whose twins are MPI programs: they start themselves under mpirun and import mpi4py.
NEEDS_MPI = {"distributed"}


def mpi_missing():
    """Why the MPI twins cannot run here, or None if mpirun and mpi4py are both installed."""
    if shutil.which("mpirun") is None:
        return "no mpirun (Open MPI is not installed)"
    if importlib.util.find_spec("mpi4py") is None:
        return "no mpi4py (pip install mpi4py)"
    return None


# Scripts beside the twins that are checked with their chapter, though no lesson names them.
EXTRAS = {"processes": [pool_overhead, fork_and_locks]}


def main():
    with open(os.path.join(ROOT, "lessons.toml"), "rb") as f:
        manifest = tomllib.load(f)
    lessons, translations = manifest["lesson"], manifest.get("translation", [])
    chapters = list(dict.fromkeys(lesson["chapter"] for lesson in lessons))
    wanted = sys.argv[1:]
    if len(wanted) > 1 or (wanted and wanted[0] not in chapters):
        print(f"error: usage: check_twins.py [CHAPTER], a chapter of {', '.join(chapters)}",
              file=sys.stderr)
        return 2
    report = Report()
    code, out, err, secs, _ = run(os.path.join(HERE, "common.py"), [])
    report.record("common.py self-test", code == 0 and "self-test passed" in out,
                  f"exit {code} in {secs:.1f} s" + ("" if code == 0 else f"\n{out}{err}"))
    for chapter in wanted or chapters:
        if chapter in NEEDS_MPI and (why := mpi_missing()):
            print(f"skipped  the {chapter} twins: {why} (they run under mpirun; see "
                  f"book/src/{chapter}/index.md to install it)")
            continue
        for lesson in lessons:
            if lesson["chapter"] != chapter or "twin" not in lesson:
                continue
            if "twin_quick" not in lesson or "twin_bad" not in lesson:
                report.record(lesson["name"], False, "lessons.toml gives no twin_quick / twin_bad")
                continue
            check_twin(lesson["name"], os.path.join(ROOT, lesson["twin"]), lesson["twin_quick"],
                       lesson["twin_bad"], report)
        for short in translations:
            if short["chapter"] == chapter and "python" in short:
                check_short(short, report)
        for extra in EXTRAS.get(chapter, []):
            extra(report)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
