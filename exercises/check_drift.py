#!/usr/bin/env python3
"""Starter and solution cannot drift apart: each starter in exercises/src/<chapter>/ may differ
from its solution in exercises/solutions/<chapter>/ only at its `// TODO` sites.

Both files are compared line by line after their `//!` header (which says "Exercise: ..." in one
and "Solution: ..." in the other). Every place where they differ must be a TODO site: the starter's
side of the difference holds a `TODO` comment or a `todo!(`, or sits right under one. The solution
may also add plain `//` comments of its own (explaining the answer). Anything else, such as a doc
comment, a signature or a test helper changed in one file only, fails the check, naming the lines.

Run: python3 exercises/check_drift.py   (exit 0 when every pair agrees, 1 otherwise)
"""

import difflib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent
# How far above a difference a TODO comment may sit and still own it.
TODO_REACH = 3


def body(path):
    lines = [line.rstrip() for line in path.read_text().splitlines()]
    start = 0
    while start < len(lines) and lines[start].startswith("//!"):
        start += 1
    return lines[start:], start


def is_todo(line):
    return "TODO" in line or "todo!(" in line


def is_plain_comment(line):
    stripped = line.strip()
    return stripped.startswith("//") and not stripped.startswith("///") or stripped == ""


def check(starter_path, solution_path):
    starter, s_off = body(starter_path)
    solution, t_off = body(solution_path)
    problems = []
    matcher = difflib.SequenceMatcher(a=starter, b=solution, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        ours = starter[i1:i2]
        theirs = solution[j1:j2]
        if any(is_todo(line) for line in ours):
            continue
        if any(is_todo(line) for line in starter[max(0, i1 - TODO_REACH):i1]):
            continue
        if not ours and all(is_plain_comment(line) for line in theirs):
            continue
        where = f"{starter_path.relative_to(ROOT.parent)}:{i1 + s_off + 1}"
        shown = (ours or theirs)[:3]
        problems.append(f"{where}: differs from the solution away from any TODO: {shown}")
    return problems


def main():
    problems = []
    pairs = 0
    for starter_path in sorted((ROOT / "src").glob("*/*.rs")):
        rel = starter_path.relative_to(ROOT / "src")
        if rel.parts[0] == "bin":  # the course's own commands, not exercises
            continue
        solution_path = ROOT / "solutions" / rel
        if not solution_path.exists():
            problems.append(f"{rel}: no solution at {solution_path.relative_to(ROOT.parent)}")
            continue
        pairs += 1
        problems += check(starter_path, solution_path)
    for solution_path in sorted((ROOT / "solutions").glob("*/*.rs")):
        rel = solution_path.relative_to(ROOT / "solutions")
        if not (ROOT / "src" / rel).exists():
            problems.append(f"{rel}: a solution without a starter")
    for problem in problems:
        print(problem)
    if problems:
        print(f"check_drift: {len(problems)} difference(s) away from TODO sites")
        return 1
    print(f"check_drift: {pairs} starters differ from their solutions only at TODO sites")
    return 0


if __name__ == "__main__":
    sys.exit(main())
