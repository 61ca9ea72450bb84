"""Helpers for the project's self-tests: run the real grader on a folder, read its JSON."""
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOLUTIONS = os.path.join(ROOT, "solutions")
ALT_IMPL = os.path.join(ROOT, "tests", "alt_impl")


def run_grader(*args, env=None):
    """The grader as a learner runs it; returns the CompletedProcess."""
    return subprocess.run([sys.executable, os.path.join(ROOT, "grader.py"), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=600,
                          env={**os.environ, **(env or {})})


def grade(target, *stages, extra=()):
    """The grader's --json result for `target` (stages default to all)."""
    done = run_grader("--json", "--target", str(target), *stages, *extra)
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)
    result["exit_code"] = done.returncode
    return result


def grade_side_by_side(jobs):
    """grade(*args) for each args tuple of `jobs`, a few graders at a time (each mostly
    waits for its own `import torch`); results in the same order."""
    with ThreadPoolExecutor(max(2, os.cpu_count() or 2)) as pool:
        return list(pool.map(lambda args: grade(*args), jobs))


def statuses(result):
    return {s["name"]: s["status"] for s in result["stages"]}


def check(result, stage, name):
    stage = next(s for s in result["stages"] if s["name"] == stage)
    return next(c for c in stage["checks"] if c["name"] == name)


def copy_of(source, destination):
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
    return destination
