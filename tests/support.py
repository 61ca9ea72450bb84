"""Helpers for the project's self-tests: run the real grader on a folder, read its JSON."""
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from kata.session import Pool

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOLUTIONS = os.path.join(ROOT, "solutions")
ALT_IMPL = os.path.join(ROOT, "tests", "alt_impl")


# Warm graders, shared by every test (see conftest): one per core, and one more for the
# tests that run while the mutants are graded in the background on two of them.
WARM = Pool(max(2, os.cpu_count() or 2) + 1)


def run_grader(*args, env=None):
    """`python grader.py ARGS` as a learner runs it, answered by a warm grader (torch and
    the checks already imported; each grading still snapshots the files and starts fresh
    children). Returns a CompletedProcess."""
    code, out, err = WARM.run([str(a) for a in args], env, ROOT)
    return subprocess.CompletedProcess(["grader.py", *args], code, out, err)


def run_cold_grader(*args, env=None):
    """The grader in a process of its own, for what only a real process shows (signals,
    what it leaves running, its own imports)."""
    return subprocess.run([sys.executable, os.path.join(ROOT, "grader.py"), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=600,
                          env={**os.environ, **(env or {})})


def at_once(*calls):
    """Each of `calls` (functions of no argument) in a thread of its own; their results in
    order. For graders in processes of their own: each mostly waits for its imports."""
    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result() for f in [pool.submit(call) for call in calls]]


def grade(target, *stages, extra=()):
    """The grader's --json result for `target` (stages default to all)."""
    done = run_grader("--json", "--target", str(target), *stages, *extra)
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)
    result["exit_code"] = done.returncode
    return result


def grade_side_by_side(jobs, lanes=None):
    """grade(*args) for each args tuple of `jobs`, `lanes` at a time (default: one per
    core); results in the same order."""
    with ThreadPoolExecutor(lanes or max(2, os.cpu_count() or 2)) as pool:
        return list(pool.map(lambda args: grade(*args), jobs))


def statuses(result):
    return {s["name"]: s["status"] for s in result["stages"]}


def check(result, stage, name):
    stage = next(s for s in result["stages"] if s["name"] == stage)
    return next(c for c in stage["checks"] if c["name"] == name)


def copy_of(source, destination):
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
    return destination
