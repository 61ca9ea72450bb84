#!/usr/bin/env python3
"""Wall time of the grader against its floor, `python -c "import torch, pytest"`.

    python tools/benchmark.py [--repeat N]

Prints the median of N runs (default 5) of each command and its ratio to the floor,
all measured in this same run. Targets: one stage <= 1.5x the floor, all stages <= 2x.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = {
    "floor: import torch, pytest": [sys.executable, "-c", "import torch, pytest"],
    "grader.py stage3 --target solutions":
        [sys.executable, "grader.py", "stage3", "--target", "solutions"],
    "grader.py --target solutions (all stages)":
        [sys.executable, "grader.py", "--target", "solutions"],
    # Course mode: the same grading, plus the policy, a sandboxed child and a results file.
    "grader.py --target solutions --gradescope (all)":
        [sys.executable, "grader.py", "--target", "solutions", "--gradescope",
         os.path.join(tempfile.gettempdir(), "kata-benchmark-results.json")],
}


def wall_time(command):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    wall_time(COMMANDS["floor: import torch, pytest"])  # warm the file cache first
    medians = {}
    for name, command in COMMANDS.items():
        medians[name] = statistics.median(wall_time(command) for _ in range(repeat))
    floor = medians["floor: import torch, pytest"]
    for name, seconds in medians.items():
        print(f"{name:<50} {seconds:6.2f} s   {seconds / floor:4.2f}x floor")


if __name__ == "__main__":
    main()
