#!/usr/bin/env python3
"""Batch grading's speed: a class of mutant submissions, graded by `grader.py batch` and
one after another by `grader.py --target S --json` (issue 14's targets: 200 submissions in
at most 60 s on a 2-core machine, at least 3x faster than one after another).

    python tools/batch_benchmark.py [--students 200] [--jobs N] [--sample 40 | --all]

The class (deterministic): a fifth correct (copies of solutions/), a twentieth the untouched
stubs, the rest the self-tests' mutants in turn (tests/mutants.py: bugs at every stage);
every tenth submission is a .zip; every file ends with a comment naming its student, so
that no two submissions share a file's bytes, as in a real class. One after another is measured on --sample submissions
spread evenly over the class and scaled to the whole class (--all: every one, ~15 min).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from tests.mutants import MUTANTS, apply  # noqa: E402  (the project's own: run from any folder)


def make_class(folder, students):
    """`students` submissions in `folder`: [(name, kind)], kind "correct", "stubs" or the
    mutant's name."""
    made = []
    for i in range(students):
        name = f"student{i + 1:03d}"
        mutant = None
        if i % 5 == 0:
            kind, source = "correct", "solutions"
        elif i % 20 == 1:
            kind, source = "stubs", "exercises"
        else:
            mutant = MUTANTS[i % len(MUTANTS)]
            kind, source = mutant.name, "solutions"
        target = os.path.join(folder, name)
        shutil.copytree(os.path.join(ROOT, source), target,
                        ignore=shutil.ignore_patterns("__pycache__"))
        if mutant:
            apply(mutant, target)
        for file in os.listdir(target):  # no two students hand in the same bytes
            if file.endswith(".py"):
                with open(os.path.join(target, file), "a") as f:
                    f.write(f"\n# {name}'s work\n")
        if i % 10 == 9:  # some come zipped, as an LMS hands them out
            with zipfile.ZipFile(target + ".zip", "w") as archive:
                for file in sorted(os.listdir(target)):
                    archive.write(os.path.join(target, file), file)
            shutil.rmtree(target)
        made.append((name, kind))
    return made


def timed(command):
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, check=False)
    return time.perf_counter() - start, done


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=None, help="batch's --jobs (default: its "
                        "own default, one per core)")
    parser.add_argument("--sample", type=int, default=40,
                        help="submissions graded one after another, scaled to the class")
    parser.add_argument("--all", action="store_true", help="grade every one one after another")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="kata-batch-bench-")
    try:
        submissions = os.path.join(work, "submissions")
        os.mkdir(submissions)
        made = make_class(submissions, args.students)
        print(f"{len(made)} submissions: {sum(k == 'correct' for _, k in made)} correct, "
              f"{sum(k == 'stubs' for _, k in made)} untouched stubs, "
              f"{sum(k not in ('correct', 'stubs') for _, k in made)} mutants "
              f"({len({k for _, k in made}) - 2} different bugs); "
              f"{sum(n.endswith('.zip') for n in os.listdir(submissions))} zipped; "
              f"{os.cpu_count()} cores")
        floor, _ = timed([sys.executable, "-c", "import torch, pytest"])
        print(f"floor (python -c 'import torch, pytest'): {floor:.2f} s")
        command = [sys.executable, "grader.py", "batch", submissions, "--out",
                   os.path.join(work, "out")]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        batch, done = timed(command)
        print(f"batch: {batch:.1f} s for {len(made)} ({batch / len(made):.2f} s each; exit "
              f"code {done.returncode})")
        print("  " + "\n  ".join(done.stdout.strip().splitlines()[:3]))
        entries = sorted(os.listdir(submissions))
        step = 1 if args.all else max(1, len(entries) // max(1, args.sample))
        sample = entries[::step]
        one_by_one = 0.0
        for entry in sample:
            path = os.path.join(submissions, entry)
            if entry.endswith(".zip"):  # --target takes a folder: unzipping is not timed
                path = os.path.join(work, "unzipped", entry[:-4])
                with zipfile.ZipFile(os.path.join(submissions, entry)) as archive:
                    archive.extractall(path)
            seconds, _ = timed([sys.executable, "grader.py", "--target", path, "--json"])
            one_by_one += seconds
        scaled = one_by_one * len(entries) / len(sample)
        how = "all" if len(sample) == len(entries) else \
            f"{len(sample)} of them ({one_by_one:.1f} s), scaled to {len(entries)}"
        print(f"one after another (grader.py --target S --json): {scaled:.1f} s ({how}; "
              f"{one_by_one / len(sample):.2f} s each)")
        print(f"ratio: batch is {scaled / batch:.1f}x faster; batch / floor = "
              f"{batch / floor:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
