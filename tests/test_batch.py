"""Batch grading (issue 14): a class of a dozen submissions of every kind, graded with one
command to the CSV a person works out by hand; --resume; a worker that dies; the report's
numbers against the CSV; the command's usage errors."""
import csv
import html.parser
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

import notebooks
from support import ROOT, SOLUTIONS, copy_of

from kata import batch, gradebook
from kata.session import Pool
from kata.stages import STAGES

EXERCISES = os.path.join(ROOT, "exercises")
FULL = [5, 15, 15, 15, 10, 10, 10, 20]
HEADER = ["student", "score", "max"] + [s.name for s in STAGES] + ["status"]
LIMITS = ["--timeout", "2", "--budget", "8"]  # the hanging student costs seconds, not 20


def edit(folder, file, old, new):
    path = os.path.join(folder, file)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert text.count(old) == 1, (file, old)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new))


def zipped(folder, path):
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                archive.write(os.path.join(folder, name), name)
    shutil.rmtree(folder)


def make_class(root):
    """The class, and the row each student must get: (points of each stage, status)."""
    subs = os.path.join(root, "submissions")
    os.makedirs(subs)
    expected = {}

    def solutions(name):
        return copy_of(SOLUTIONS, os.path.join(subs, name))

    solutions("alice")
    expected["alice"] = (FULL, "ok")
    copy_of(EXERCISES, os.path.join(subs, "bob"))  # has not started
    expected["bob"] = ([0] * 8, "ok")
    # overwrites self.grad in every _backward: stage 2 and what runs through it (3, 7) fail;
    # stages 4-6 never reuse a node, so they pass on this Value
    carol = solutions("carol")
    with open(os.path.join(carol, "value.py"), encoding="utf-8") as f:
        text = f.read()
    with open(os.path.join(carol, "value.py"), "w", encoding="utf-8") as f:
        f.write(text.replace("self.grad += ", "self.grad = "))
    expected["carol"] = ([5, 15, 0, 0, 10, 10, 10, 0], "ok")
    dan = solutions("dan")  # value.py does not parse: only stage 0 can pass
    edit(dan, "value.py", "def __add__(self, other):", "def __add__(self, other)")
    expected["dan"] = ([5] + [0] * 7, "ok")
    erin = solutions("erin")  # hangs in +: out of time, and the budget ends the rest
    edit(erin, "value.py", "def __add__(self, other):\n",
         "def __add__(self, other):\n        while True:\n            pass\n")
    expected["erin"] = ([5] + [0] * 7, "timeout")
    zipped(solutions("frank"), os.path.join(subs, "frank.zip"))
    expected["frank"] = (FULL, "ok")
    notebooks.write(subs, "gina.ipynb", notebooks.kata_cells())
    expected["gina"] = (FULL, "ok")
    hal = solutions("hal")  # the course policy refuses os: every stage that loads value.py
    edit(hal, "value.py", "import math\n", "import math\nimport os\n")
    expected["hal"] = ([5] + [0] * 7, "policy")
    ivan = solutions("ivan")  # neuron.py raises as it is imported
    edit(ivan, "neuron.py", "import random\n",
         "import random\nraise RuntimeError('not finished')\n")
    expected["ivan"] = ([5, 15, 15, 15, 0, 0, 0, 0], "ok")
    judy = solutions("judy")  # a training loop that never zeroes the gradients
    edit(judy, "train.py", "        zero_grad(params)\n        loss.backward()",
         "        loss.backward()")
    expected["judy"] = (FULL[:7] + [0], "ok")
    os.mkdir(os.path.join(subs, "ken"))  # an empty folder
    expected["ken"] = ([0] * 8, "ok")
    with open(os.path.join(subs, "notes.txt"), "w") as f:
        f.write("not a submission\n")
    return subs, expected


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER
    return {row[0]: row for row in rows[1:]}


def expected_row(student, points, status):
    return [student, str(sum(points)), "100", *map(str, points), status]


def run_batch(subs, out, *extra):
    return subprocess.run([sys.executable, os.path.join(ROOT, "grader.py"), "batch", subs,
                           "--out", out, *LIMITS, *extra], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("class"))
    subs, expected = make_class(root)
    out = os.path.join(root, "out")
    done = run_batch(subs, out)
    return subs, out, expected, done


def test_a_class_is_graded_to_the_expected_csv(graded):
    subs, out, expected, done = graded
    assert done.returncode == 0, done.stderr + done.stdout
    rows = read_csv(os.path.join(out, "grades.csv"))
    assert sorted(rows) == sorted(expected), done.stdout
    for student, (points, status) in expected.items():
        assert rows[student] == expected_row(student, points, status), \
            (student, open(os.path.join(out, "feedback", student + ".txt")).read())
    assert "Not graded: notes.txt: not a folder, .zip, .ipynb or .py." in done.stdout
    assert "Graded 11 submissions" in done.stdout


def test_each_student_gets_the_feedback_they_would_see(graded):
    _, out, expected, _ = graded
    assert sorted(os.listdir(os.path.join(out, "feedback"))) == \
        sorted(s + ".txt" for s in expected)

    def feedback(student):
        with open(os.path.join(out, "feedback", student + ".txt"), encoding="utf-8") as f:
            return f.read()
    assert feedback("alice").startswith("Feedback for alice: 100 / 100 points")
    assert "All selected stages pass." in feedback("alice")
    carol = feedback("carol")
    assert "Likely cause: gradient overwritten instead of accumulated." in carol
    assert "exercises/value.py:" in carol  # named as the student's own folder
    assert "kata-" not in carol  # never a temporary folder of the grader's
    assert "`import os`" in feedback("hal") or "import os" in feedback("hal")
    assert "time budget" in feedback("erin")
    assert "gina.ipynb" in feedback("gina")
    assert "could not be unpacked" not in feedback("frank")


def test_the_report_says_what_the_csv_says(graded):
    _, out, _, _ = graded
    rows = read_csv(os.path.join(out, "grades.csv"))
    with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
        page = f.read()
    found = DataAttributes()
    found.feed(page)
    scores = [int(row[1]) for row in rows.values()]
    bins = found.all("data-count", tag="g")
    assert sum(int(b["data-count"]) for b in bins) == len(rows)
    for b in bins:
        low, high = int(b["data-low"]), int(b["data-high"])
        assert int(b["data-count"]) == sum(low <= s <= high for s in scores), b
    for stage_row in found.all("data-passed"):
        column = HEADER.index(stage_row["data-stage"])
        worth = FULL[column - 3]
        assert int(stage_row["data-passed"]) == \
            sum(int(row[column]) == worth for row in rows.values()), stage_row
    students = {a["data-student"]: int(a["data-score"]) for a in found.all("data-student")}
    assert students == {name: int(row[1]) for name, row in rows.items()}
    attention = {a["data-attention"] for a in found.all("data-attention")}
    # and ken, whose upload held nothing to grade
    assert attention == {name for name, row in rows.items() if row[-1] != "ok"} | {"ken"}
    mistakes = {a["data-mistake"]: int(a["data-count"]) for a in found.all("data-mistake")}
    assert mistakes.get("gradient overwritten instead of accumulated") == 1  # carol
    assert "<script" not in page and "http" not in page.replace(
        "http-equiv", "")  # self-contained: nothing to fetch, nothing to run


def test_resume_grades_only_what_changed(graded, tmp_path):
    subs, out, expected, _ = graded
    copy = str(tmp_path / "out")
    shutil.copytree(out, copy)
    shutil.copyfile(os.path.join(SOLUTIONS, "value.py"),  # carol fixes her bug
                    os.path.join(subs, "carol", "value.py"))
    done = run_batch(subs, copy, "--resume")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "Graded 1 submission in" in done.stdout, done.stdout
    assert "10 unchanged since the last run kept their grades" in done.stdout
    rows = read_csv(os.path.join(copy, "grades.csv"))
    assert rows["carol"] == expected_row("carol", FULL, "ok")
    assert rows["alice"] == expected_row("alice", *expected["alice"])
    # other time limits: nothing is kept
    again = run_batch(subs, copy, "--resume", "--timeout", "3")
    assert "Graded 11 submissions" in again.stdout, again.stdout


class DyingPool(Pool):
    """A pool whose grader dies whenever it is handed the student `victim`."""

    def request(self, payload, timeout=600):
        if payload["submission"]["student"] == "victim":
            server = self.take()
            server.process.kill()
            server.process.wait()
            with self.lock:  # back among the idle: the next request takes the dead one
                self.busy.discard(server)
                self.idle.append(server)
        return super().request(payload, timeout)


def test_a_grader_that_dies_is_reported_and_the_batch_goes_on(tmp_path):
    subs = tmp_path / "submissions"
    subs.mkdir()
    for name in ("alpha", "victim", "omega"):
        copy_of(SOLUTIONS, str(subs / name))
    out = str(tmp_path / "out")
    os.makedirs(out)
    pool = DyingPool(2)
    try:
        run = batch.Batch(str(subs), out, jobs=2, timeout=5.0, budget=20.0, seed=20240917,
                          pool=pool)
        run.grade(gradebook.Meter(io.StringIO()))
    finally:
        pool.close()
    results = {r["student"]: r for r in run.ordered_results()}
    assert results["victim"]["status"] == "crashed"
    assert "ended twice" in results["victim"]["problem"]
    assert results["alpha"]["score"] == results["omega"]["score"] == 100
    gradebook.write_all(out, run.ordered_results(), [], {
        "submissions": str(subs), "seconds": 1.0, "jobs": 2, "kept": 0, **run.settings})
    rows = read_csv(os.path.join(out, "grades.csv"))
    assert rows["victim"] == expected_row("victim", [0] * 8, "crashed")
    # a crash is not written down as a grade: --resume grades it again
    assert "victim" not in gradebook.load_state(out)
    assert set(gradebook.load_state(out)) == {"alpha", "omega"}


def test_usage_errors_are_one_clear_line(tmp_path):
    def grader(*args):
        return subprocess.run([sys.executable, os.path.join(ROOT, "grader.py"), *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
    empty = tmp_path / "empty"
    empty.mkdir()
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    cases = [(("batch", str(tmp_path / "missing"), "--out", str(tmp_path / "o")),
              "no folder"),
             (("batch", str(empty), "--out", str(tmp_path / "o")), "has no submissions"),
             (("batch", str(empty), "--out", str(a_file)), "is a file"),
             (("batch", str(empty)), "usage: python grader.py batch"),
             (("batch", str(empty), "--out", "o", "--seed", "3"), "same seed"),
             (("batch", str(empty), "--out", "o", "--jobs", "0"), "at least 1"),
             (("batch", str(empty), "--out", "o", "--json"), "--json is for grading"),
             (("stage1", "--resume"), "--jobs and --resume are for the batch command"),
             (("batch", str(empty), "--out", "o", "--timeout", "0"), "above 0"),
             (("batch", str(empty), "--out", "o", "--budget", "-5"), "above 0"),
             (("batch", str(empty), "--out", str(empty)), "is the SUBMISSIONS folder")]
    for args, said in cases:
        done = grader(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert said in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_entries_are_named_by_student(tmp_path):
    for name in ("alice.zip", "alice", "bob.ipynb", "carol.PY", ".DS_Store", "__MACOSX",
                 "readme.md"):
        path = tmp_path / name
        if "." in name and name != "__MACOSX":
            path.write_text("")
        else:
            path.mkdir()
    (tmp_path / "grades").mkdir()  # an earlier batch's --out, inside SUBMISSIONS
    (tmp_path / "grades" / gradebook.STATE_FILE).write_text("")
    entries, skipped = batch.find_entries(str(tmp_path), str(tmp_path / "out"))
    assert [(e.student, e.kind) for e in entries] == [
        ("alice", "folder"), ("alice.zip", "zip"), ("bob", "notebook"), ("carol", "script")]
    assert skipped == [("grades", "the output of an earlier batch"),
                       ("readme.md", "not a folder, .zip, .ipynb or .py")]


def test_names_are_safe_in_a_spreadsheet_and_as_files():
    result = {"score": 0, "max": 100, "points": dict.fromkeys(HEADER[3:-1], 0),
              "status": "ok"}
    text = gradebook.csv_text([dict(result, student='=HYPERLINK("x")'),
                               dict(result, student="-1"), dict(result, student="ann")])
    assert [row[0] for row in csv.reader(io.StringIO(text))][1:] == \
        ["'=HYPERLINK(\"x\")", "'-1", "ann"]
    long = "x" * 300
    assert len(gradebook.feedback_name(long).encode()) < 255
    assert gradebook.feedback_name("ann") == "ann.txt"


class DataAttributes(html.parser.HTMLParser):
    """Every element's data- attributes, to read the report's numbers back."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        found = {k: v for k, v in attrs if k.startswith("data-")}
        if found:
            self.elements.append((tag, found))

    def all(self, attribute, tag=None):
        return [a for t, a in self.elements if attribute in a and tag in (None, t)]


def test_the_state_file_survives_a_cut(tmp_path):
    out = str(tmp_path)
    gradebook.start_state(out, {})
    gradebook.append_state(out, "a", "f1", {"status": "ok", "score": 5})
    with open(os.path.join(out, gradebook.STATE_FILE), "a") as f:
        f.write('{"student": "b", "finger')  # the batch was killed mid-line
    assert gradebook.load_state(out) == {"a": {"fingerprint": "f1",
                                               "result": {"status": "ok", "score": 5}}}
    json.dumps(gradebook.load_state(out))
