"""Batch grading: a whole class's submissions, each in course mode, side by side.

    python grader.py batch SUBMISSIONS --out DIR [--jobs N] [--resume]

- SUBMISSIONS holds one entry per student: a folder, a .zip, a notebook or a .py, named
  after the student (the name without its extension is the `student` column).
- Each is graded as --gradescope grades one (kata.course: the safe reading, the policy, the
  sandbox, the fixed seed, the time budget), by a pool of warm graders (kata.session.Pool:
  torch and the checks imported once per worker, fresh children per submission). This
  process never runs learner code: it hashes files, hands out paths and writes down what
  comes back.
- DIR gets grades.csv, feedback/STUDENT.txt and report.html (kata.gradebook,
  kata.class_report), and batch-state.jsonl, which --resume reads (kata.gradebook).
"""
import collections
import concurrent.futures
import hashlib
import io
import os
import sys
import time
import traceback
from dataclasses import dataclass

from . import gradebook
from .paths import CHECKS, KATA, ROOT
from .stages import TOTAL_POINTS, course_stages

KINDS = {".zip": "zip", ".ipynb": "notebook", ".py": "script"}
# The stages a course grades: the core ones, and a challenge only when the points table
# (kata/stages.py) gives it points; grades.csv has a column for each.
POINTS = {s.name: s.points for s in course_stages()}
STAGE_NAMES = list(POINTS)
STATUSES = ("ok", "timeout", "crashed", "policy")


@dataclass
class Entry:
    name: str     # as it is in SUBMISSIONS: alice.zip
    student: str  # the name without its extension: alice
    path: str
    kind: str     # folder, zip, notebook or script


# --- what to grade ----------------------------------------------------------------------


def find_entries(folder, out):
    """(entries, skipped) of the SUBMISSIONS folder; skipped: [(name, why)]. Hidden files
    and the output folder (should it be inside) are passed over silently."""
    entries, skipped = [], []
    out = os.path.realpath(out)
    for name in sorted(os.listdir(folder), key=str.lower):
        path = os.path.join(folder, name)
        if name.startswith(".") or name == "__MACOSX" or os.path.realpath(path) == out:
            continue
        if os.path.isfile(os.path.join(path, gradebook.STATE_FILE)):
            skipped.append((name, "the output of an earlier batch"))
            continue
        stem, extension = os.path.splitext(name)
        if os.path.islink(path):
            skipped.append((name, "a symbolic link (copy the submission itself there)"))
        elif os.path.isdir(path):
            entries.append(Entry(name, name, path, "folder"))
        elif os.path.isfile(path) and extension.lower() in KINDS and stem:
            entries.append(Entry(name, stem, path, KINDS[extension.lower()]))
        else:
            skipped.append((name, "not a folder, .zip, .ipynb or .py"))
    # Two entries of one student (alice.zip beside alice/): each keeps its whole name.
    counts = collections.Counter(e.student for e in entries)
    for entry in entries:
        if counts[entry.student] > 1:
            entry.student = entry.name
    return entries, skipped


def content_hash(path):
    """sha256 of a submission as it is: every file's path and bytes (links as links)."""
    digest = hashlib.sha256()

    def add_file(full, shown):
        digest.update(shown.encode("utf-8", "surrogateescape") + b"\0")
        if os.path.islink(full):
            digest.update(b"link\0" + os.readlink(full).encode("utf-8", "surrogateescape"))
            return
        try:
            with open(full, "rb") as data:
                for block in iter(lambda: data.read(1 << 20), b""):
                    digest.update(block)
        except OSError as problem:  # graded as unreadable, hashed as such
            digest.update(f"unreadable: {problem.strerror}".encode())
        digest.update(b"\0")

    if os.path.isdir(path):
        for folder, folders, files in os.walk(path):  # links to folders are not followed
            folders.sort()
            for name in sorted(files) + sorted(f for f in folders
                                               if os.path.islink(os.path.join(folder, f))):
                full = os.path.join(folder, name)
                add_file(full, os.path.relpath(full, path))
    else:
        add_file(path, os.path.basename(path))
    return digest.hexdigest()


def grader_version():
    """sha256 of everything that decides a grade: the grader's code, the checks, torch's
    and Python's versions. A change of any of them regrades everyone on --resume."""
    from importlib import metadata
    digest = hashlib.sha256()
    files = [os.path.join(ROOT, "grader.py")]
    for top in (KATA, CHECKS):
        for folder, folders, names in os.walk(top):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            files += [os.path.join(folder, n) for n in sorted(names)
                      if n.endswith((".py", ".ini", ".json"))]
    for path in files:
        if os.path.isfile(path):
            digest.update(os.path.relpath(path, ROOT).encode() + b"\0")
            with open(path, "rb") as data:
                digest.update(data.read() + b"\0")
    try:
        torch = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch = "none"
    digest.update(f"torch {torch}; python {sys.version.split()[0]}".encode())
    return digest.hexdigest()


# --- in a warm grader: one submission -----------------------------------------------------


def grade_submission(path, student, timeout, budget, seed):
    """Grade one submission in course mode; a plain dict (kata.gradebook writes it down).
    Runs in a warm grader (kata.session), one grading at a time in that process."""
    from . import client, course
    client.TROUBLE.clear()
    started = time.monotonic()
    try:
        summary, isolation, notes, _ = course.grade(path, STAGE_NAMES, timeout, seed,
                                                    budget=budget)
    except Exception as error:  # a bug of the grader's: the batch goes on, the row says so
        return failed_result(student, "crashed", "the grader failed on this submission: "
                             f"{type(error).__name__}: {error}", traceback.format_exc(),
                             time.monotonic() - started)
    statuses = {s["name"]: s["status"] for s in summary["stages"]}
    points = {n: POINTS[n] if statuses[n] == "passed" else 0 for n in STAGE_NAMES}
    named = sorted({(s["name"], c["diagnosis"]["name"]) for s in summary["stages"]
                    for c in s["checks"] if c.get("diagnosis")})
    if summary.get("policy"):
        status = "policy"
        problem = "; ".join(text.splitlines()[0] for text in summary["policy"].values())
    elif client.TROUBLE["timeout"]:
        status = "timeout"
        problem = first_timeout(summary)
    else:  # graded normally; but an upload that held nothing to grade is worth a look
        status, problem = "ok", nothing_graded(notes)
    score = sum(points.values())
    return {"student": student, "score": score, "max": TOTAL_POINTS, "points": points,
            "stages": statuses, "status": status, "problem": problem,
            "misconceptions": [{"stage": stage, "name": name} for stage, name in named],
            "feedback": feedback_text(student, summary, notes, points),
            "isolation": isolation["layers"], "warnings": isolation["warnings"],
            "seconds": round(time.monotonic() - started, 2)}


def nothing_graded(notes):
    """Why nothing of an upload could be graded (a broken zip, no .py file), or None."""
    if not any("othing was graded" in n or n.startswith("No .py file") for n in notes):
        return None
    return next((n for n in notes if "could not" in n or "too large" in n), None) or \
        next(n for n in notes if "othing was graded" in n or n.startswith("No .py file"))


def first_timeout(summary):
    """The first message of a check that ran out of time, its first line, for instructors."""
    for stage in summary["stages"]:
        for check in stage["checks"]:
            message = check.get("message") or ""
            if check["status"] != "passed" and ("within" in message or "time budget" in
                                                 message):
                # the student's advice (the same command with --timeout 20) is not the
                # instructor's: the batch's limits are --timeout and --budget
                said = message.splitlines()[0].split(" If it is only slow")[0]
                return f"{stage['name']} {check['name']}: {said}"
    return "some of the code ran out of time"


def feedback_text(student, summary, notes, points):
    """What the student would see: the score, then what `python grader.py --course` prints
    (every unfinished stage's checks), naming the folder as the student's own exercises/."""
    from .places import from_notebook
    from .report import DEFAULT_TARGET, TextReport
    target = summary["target"] if from_notebook(summary["target"]) else DEFAULT_TARGET
    out = io.StringIO()  # not a terminal: no colour
    passed = sum(s["status"] == "passed" for s in summary["stages"])
    print(f"Feedback for {student}: {sum(points.values())} / {TOTAL_POINTS} points "
          f"({passed} of {len(STAGE_NAMES)} stages passed)", file=out)
    print("Points: " + ", ".join(f"{n} {points[n]}/{POINTS[n]}" for n in STAGE_NAMES) + "\n",
          file=out)
    text = TextReport(out)
    text.header(target, notes)
    for stage in summary["stages"]:
        text.row(stage["name"], stage["checks"])
    text.details(dict(summary, target=target), focus_all=True)
    return out.getvalue()


def failed_result(student, status, problem, detail, seconds):
    """A submission that got no grade from the checks: 0 points, and why."""
    feedback = (f"Feedback for {student}: not graded.\n\nThe autograder could not grade this "
                f"submission ({problem}). This is not a verdict on your code: your "
                "instructor has been told and will grade it again.\n")
    return {"student": student, "score": 0, "max": TOTAL_POINTS,
            "points": dict.fromkeys(STAGE_NAMES, 0), "stages": dict.fromkeys(STAGE_NAMES, None),
            "status": status, "problem": problem, "detail": detail, "misconceptions": [],
            "feedback": feedback, "isolation": [], "warnings": [],
            "seconds": round(seconds, 2)}


# --- the whole class ----------------------------------------------------------------------


class Batch:
    """One batch run: its entries, settings and results, graded by a pool of warm graders."""

    def __init__(self, submissions, out, jobs, timeout, budget, seed, resume=False,
                 pool=None):
        self.submissions, self.out = submissions, out
        self.jobs = max(1, jobs)
        self.settings = {"grader": grader_version(), "seed": seed, "points": POINTS,
                         "timeout": timeout, "budget": budget}
        self.entries, self.skipped = find_entries(submissions, out)
        self.resume = resume
        self.pool = pool
        self.results = {}
        self.kept = 0
        self.stopping = False

    def fingerprint(self, entry):
        return hashlib.sha256(repr((content_hash(entry.path),
                                    sorted(self.settings.items()))).encode()).hexdigest()

    def plan(self):
        """The entries to grade now, with their fingerprints; on --resume the others'
        results are taken from the last run."""
        earlier = gradebook.load_state(self.out) if self.resume else {}
        todo = []
        for entry in self.entries:
            stamp = self.fingerprint(entry)
            old = earlier.get(entry.student)
            if old and old["fingerprint"] == stamp and \
                    old["result"]["status"] != "crashed":  # a crash is always tried again
                self.results[entry.student] = old["result"]
            else:
                todo.append((entry, stamp))
        self.kept = len(self.results)
        gradebook.start_state(self.out, {s: earlier[s] for s in self.results})
        return todo

    def request_limit(self):
        """Seconds one grading may take in all before its worker is stopped: the learner
        code's budget, and the grader's own work around it, with room to spare."""
        budget = self.settings["budget"] or 600
        return 2 * budget + 120

    def grade_one(self, entry):
        """One submission's result; never raises (but on Ctrl-C)."""
        from .session import WorkerEnded, WorkerTimedOut
        request = {"submission": {"path": os.path.abspath(entry.path),
                                  "student": entry.student,
                                  "timeout": self.settings["timeout"],
                                  "budget": self.settings["budget"],
                                  "seed": self.settings["seed"]}}
        started = time.monotonic()
        for attempt in (1, 2):  # a worker that died is replaced, and the grading tried again
            if self.stopping:  # interrupted: no grading starts again
                raise KeyboardInterrupt
            try:
                return self.pool.request(request, self.request_limit())["result"]
            except WorkerTimedOut as stopped:
                return failed_result(entry.student, "timeout", f"the whole grading took over "
                                     f"{self.request_limit():g} s and was stopped",
                                     str(stopped), time.monotonic() - started)
            except WorkerEnded as ended:
                if attempt == 2:
                    return failed_result(entry.student, "crashed", "the grading process "
                                         "ended twice while grading it", str(ended),
                                         time.monotonic() - started)
            except Exception as error:  # a garbled reply, a pipe error: not this student's
                return failed_result(entry.student, "crashed", "the grader failed: "
                                     f"{type(error).__name__}: {error}",
                                     traceback.format_exc(), time.monotonic() - started)

    def grade(self, meter):
        """Grade what `plan` left, `jobs` at a time; each result is saved as it comes."""
        own_pool = self.pool is None
        if own_pool and not self.resume:  # all to grade: the graders import torch meanwhile
            self.pool = start_pool(min(self.jobs, len(self.entries)))
        try:
            todo = self.plan()
            if own_pool and self.pool is None and todo:
                self.pool = start_pool(min(self.jobs, len(todo)))
            if todo:
                self.grade_all(todo, meter)
        finally:
            self.stopping = True
            if own_pool and self.pool is not None:
                self.pool.close()

    def grade_all(self, todo, meter):
        meter.start(len(todo))
        workers = concurrent.futures.ThreadPoolExecutor(min(self.jobs, len(todo)))
        try:
            graded = {workers.submit(self.grade_one, entry): (entry, stamp)
                      for entry, stamp in todo}
            for done in concurrent.futures.as_completed(graded):
                entry, stamp = graded[done]
                result = dict(done.result(), entry=entry.name, kind=entry.kind)
                self.results[entry.student] = result
                if result["status"] != "crashed":
                    gradebook.append_state(self.out, entry.student, stamp, result)
                meter.step(entry.student)
        finally:
            workers.shutdown(wait=False, cancel_futures=True)
            meter.finish()

    def ordered_results(self):
        return [self.results[e.student] for e in self.entries if e.student in self.results]


def start_pool(size):
    from .session import Pool
    pool = Pool(size)
    pool.start_all()
    return pool


def run(args, out=None, progress=None):
    """`grader.py batch`: grade, write the gradebook, say where it is. An exit code: 0 when
    every submission got a grade, 1 when one crashed (--resume tries it again), 2 usage."""
    out = out or sys.stdout
    progress = progress or sys.stderr
    if not os.path.isdir(args.submissions):
        print(f"grader.py: no folder '{args.submissions}' of submissions to grade",
              file=sys.stderr)
        return 2
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        print(f"grader.py: --out '{args.out}' is a file: give a folder (it is created when "
              "missing)", file=sys.stderr)
        return 2
    if os.path.realpath(args.out) == os.path.realpath(args.submissions):
        print("grader.py: --out is the SUBMISSIONS folder: give another folder for the "
              "grades", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    batch = Batch(args.submissions, args.out, args.jobs, args.timeout, args.budget,
                  args.seed, resume=args.resume)
    if not batch.entries:
        print(f"grader.py: '{args.submissions}' has no submissions: one folder, .zip, "
              ".ipynb or .py per student", file=sys.stderr)
        return 2
    started = time.monotonic()
    meter = gradebook.Meter(progress)
    try:
        batch.grade(meter)
    except KeyboardInterrupt:
        graded = len(batch.results) - batch.kept
        print(f"grader.py: interrupted after grading {gradebook.plural(graded, 'submission')}"
              "; the same command with --resume goes on from there", file=sys.stderr)
        raise
    seconds = time.monotonic() - started
    results = batch.ordered_results()
    files = gradebook.write_all(args.out, results, batch.skipped,
                                {"submissions": os.path.abspath(args.submissions),
                                 "seconds": seconds, "jobs": batch.jobs,
                                 "kept": batch.kept, **batch.settings})
    print(gradebook.summary_text(results, batch.skipped, batch.kept, seconds, batch.jobs,
                                 files), file=out)
    return 1 if any(r["status"] == "crashed" for r in results) else 0
