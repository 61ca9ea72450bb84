#!/usr/bin/env python3
"""Wall time of the grader against its floor, `python -c "import torch, pytest"`.

    python tools/benchmark.py [--repeat N] [--saves N] [--no-watch] [--no-deep]

Cold runs: the median of N runs (default 5) of each command, and its ratio to the floor,
all measured in this same run. Targets: one stage <= 1.5x the floor, all stages <= 2x.

Watch (issue 12): the median time from a save to the result on the screen, over --saves
saves (default 20), for a stage that passes and for a stage 2 failure, each as a fraction
of a cold `python grader.py` of the same stage. Targets: at most 1/5 and 1/3.

Deep graphs (issue 15, challenge 1): the reference's build and backward() on a chain of
10,000, 100,000 and 1,000,000 ops and on a sum_values of as many squares, each size in a
process of its own, with Python's cycle collector off as the grader's probe runs them.
"""
import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from kata import processes  # noqa: E402  (the project's own: run from any folder)
SOLUTIONS = os.path.join(ROOT, "solutions")
TANH_RIGHT = "(1 - t ** 2) * out.grad"
TANH_WRONG = "(1 - t) * out.grad"  # the bug learners spend their time on: stage 2 fails
RELU = ("return act.tanh()", "return act.relu()")


def copy(folder, name, edits=()):
    """A copy of solutions/ in `folder` (private: mkdtemp's 0700) with (file, old, new)."""
    target = os.path.join(folder, name)
    shutil.copytree(SOLUTIONS, target, ignore=shutil.ignore_patterns("__pycache__"))
    for file, old, new in edits:
        path = os.path.join(target, file)
        with open(path) as f:
            text = f.read()
        assert old in text, (file, old)
        with open(path, "w") as f:
            f.write(text.replace(old, new, 1))
    return target


def commands(work):
    tanh_bug = copy(work, "tanh-bug", [("value.py", TANH_RIGHT, TANH_WRONG)])
    results = os.path.join(work, "results.json")
    grader = [sys.executable, "grader.py"]
    return {
        "floor: import torch, pytest": [sys.executable, "-c", "import torch, pytest"],
        "stage3 on solutions": grader + ["stage3", "--target", "solutions"],
        "all stages on solutions": grader + ["--target", "solutions"],
        "all stages on the stubs": grader + ["--target", "exercises"],
        "all stages, a tanh bug in stage 2": grader + ["--target", tanh_bug],
        # course mode: the same grading, plus the policy, a sandboxed child, a results file
        "all stages on solutions, --gradescope": grader + ["--target", "solutions",
                                                           "--gradescope", results],
        "stage4 on solutions": grader + ["stage4", "--target", "solutions"],
        "stage2, a tanh bug": grader + ["stage2", "--target", tanh_bug],
        "challenge1 (deep graphs) on solutions": grader + ["challenge1", "--target",
                                                           "solutions"],
        "stages and challenges on solutions, --all": grader + ["--all", "--target",
                                                               "solutions"],
    }


DEEP = """
import gc, sys, time
sys.path.insert(0, {root!r})
from solutions.value import Value, sum_values
n, kind = {n}, {kind!r}
gc.disable()
start = time.perf_counter()
if kind == "chain":
    x = v = Value(0.3)
    for k in range(n):
        v = v * 1.00001 if k % 2 == 0 else v + 0.5
else:
    leaves = [Value(0.5 + k % 7) for k in range(n)]
    v = sum_values([x * x for x in leaves])
built = time.perf_counter()
v.backward()
print(built - start, time.perf_counter() - built)
"""


def deep_times():
    """[(kind, n, build seconds, backward seconds)] of the reference."""
    rows = []
    for kind in ("chain", "sum_values"):
        for n in (10_000, 100_000, 1_000_000):
            done = subprocess.run([sys.executable, "-c", DEEP.format(root=ROOT, n=n, kind=kind)],
                                  capture_output=True, text=True, check=True)
            build, backward = map(float, done.stdout.split())
            rows.append((kind, n, build, backward))
    return rows


def wall_time(command):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


class Watch:
    """`grader.py watch` in a subprocess; `result()` waits for the end of a grading."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [sys.executable, "grader.py", "watch", *args], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines = queue.Queue()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put("")

    def result(self, timeout=120):
        while True:
            line = self.lines.get(timeout=timeout)
            if not line or line.startswith("watch: save ") or " passes. " in line:
                return time.perf_counter(), line

    def stop(self):
        processes.interrupt(self.process)


def save(path, text):
    with open(path, "w") as f:
        f.write(text)
    return time.perf_counter()


def watch_times(work, saves):
    """(passing stage, stage 2 failure): the seconds from each save to its result."""
    failing = copy(work, "watch-stage2", [("value.py", TANH_RIGHT, TANH_WRONG)])
    path = os.path.join(failing, "value.py")
    with open(path) as f:
        text = f.read()
    watch = Watch("stage2", "--target", failing)
    try:
        watch.result()
        fails = []
        for n in range(saves):  # the same bug, saved again with a new comment each time
            saved = save(path, text + f"\n# save {n}\n")
            done, line = watch.result()
            assert line.startswith("watch: save"), line
            fails.append(done - saved)
    finally:
        watch.stop()
    passes = []
    neuron = copy(work, "watch-stage4", [("neuron.py", *RELU)])
    path = os.path.join(neuron, "neuron.py")
    with open(path) as f:
        broken = f.read()
    right = broken.replace(RELU[1], RELU[0])
    for _ in range(saves):  # watch moves on once a stage passes: a new watch each time
        save(path, broken)
        watch = Watch("stage4", "--target", neuron)
        try:
            watch.result()  # warm now: torch and the checks are loaded
            saved = save(path, right)
            done, line = watch.result()
            assert "stage4 passes" in line, line
            passes.append(done - saved)
        finally:
            watch.stop()
    return passes, fails


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--no-watch", action="store_true")
    parser.add_argument("--no-deep", action="store_true")
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="kata-benchmark-")  # 0700: no world-readable copies
    try:
        runs = commands(work)
        wall_time(runs["floor: import torch, pytest"])  # warm the file cache first
        medians = {name: statistics.median(wall_time(c) for _ in range(options.repeat))
                   for name, c in runs.items()}
        floor = medians["floor: import torch, pytest"]
        for name, seconds in medians.items():
            print(f"{name:<45} {seconds:6.2f} s   {seconds / floor:4.2f}x floor   "
                  f"{seconds - floor:+5.2f} s beyond it")
        if not options.no_deep:
            for kind, n, build, backward in deep_times():
                what = f"a chain of {n:,} ops" if kind == "chain" else \
                    f"sum_values of {n:,} squares"
                print(f"reference, {what:<33} build {build:6.2f} s   backward() "
                      f"{backward:6.2f} s")
        if options.no_watch:
            return
        passes, fails = watch_times(work, options.saves)
        for name, times, cold, target in (
                ("watch: save -> stage4 passes", passes, "stage4 on solutions", 1 / 5),
                ("watch: save -> stage 2 failure", fails, "stage2, a tanh bug", 1 / 3)):
            median = statistics.median(times)
            print(f"{name:<45} {median:6.2f} s   {median / medians[cold]:4.2f} of a cold "
                  f"'{cold}' (target {target:.2f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
