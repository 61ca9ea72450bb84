"""What a batch leaves in its --out folder, and the progress it shows while grading.

- grades.csv: `student,score,max,stage0,...,stage7,status`, one row per student;
- feedback/STUDENT.txt: what that student would see;
- report.html: the class report (kata.class_report);
- batch-state.jsonl: each graded submission's fingerprint and result, one JSON line each,
  appended as soon as it is graded: --resume reads it, so an interrupted batch resumes
  where it stopped (a line cut short by the interruption is ignored).
"""
import collections
import csv
import hashlib
import io
import json
import os
import statistics
import sys
import time

from .stages import course_stages
from .workspace import write_atomically

STATE_FILE = "batch-state.jsonl"
STATE_VERSION = 1
CSV_FILE, REPORT_FILE, FEEDBACK_FOLDER = "grades.csv", "report.html", "feedback"


# --- the state --resume reads ------------------------------------------------------------


def load_state(out):
    """{student: {"fingerprint", "result"}} of the last run into `out` (the last line of a
    student counts); {} when there is none or it is from another kind of file."""
    path = os.path.join(out, STATE_FILE)
    found = {}
    try:
        with open(path, encoding="utf-8") as lines:
            if json.loads(next(lines, "{}")).get("kata-batch-state") != STATE_VERSION:
                return {}
            for line in lines:
                try:
                    record = json.loads(line)
                    found[record["student"]] = {"fingerprint": record["fingerprint"],
                                                "result": record["result"]}
                except (ValueError, KeyError, TypeError):
                    continue  # cut short by an interruption: that one is graded again
    except (OSError, ValueError):
        return {}
    return found


def start_state(out, kept):
    """Begin this run's state with the results kept from the last one."""
    lines = [json.dumps({"kata-batch-state": STATE_VERSION})]
    lines += [json.dumps({"student": student, **record}) for student, record in kept.items()]
    write_atomically(os.path.join(out, STATE_FILE), "\n".join(lines) + "\n")


def append_state(out, student, fingerprint, result):
    with open(os.path.join(out, STATE_FILE), "a", encoding="utf-8") as state:
        state.write(json.dumps({"student": student, "fingerprint": fingerprint,
                                "result": result}) + "\n")


def feedback_name(student):
    """The student's feedback file: STUDENT.txt, or for a name too long for a file name its
    first 100 characters and a hash."""
    if len(student.encode("utf-8", "surrogateescape")) <= 200:
        return f"{student}.txt"
    digest = hashlib.sha256(student.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f"{student[:100]}-{digest}.txt"


def spreadsheet_safe(text):
    """A cell a spreadsheet will not run as a formula (=, +, -, @ first: OWASP's advice is a
    leading quote)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- the files an instructor reads ---------------------------------------------------------


def csv_text(results):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    graded = course_stages()  # a column for each stage the course grades
    writer.writerow(["student", "score", "max", *(s.name for s in graded), "status"])
    for r in results:
        writer.writerow([spreadsheet_safe(r["student"]), r["score"], r["max"],
                         *(r["points"][s.name] for s in graded), r["status"]])
    return out.getvalue()


def write_feedback(folder, results):
    """One text file per student; files of students no longer in the batch are removed."""
    os.makedirs(folder, exist_ok=True)
    wanted = {feedback_name(r["student"]): r["feedback"] for r in results}
    for name in os.listdir(folder):
        if name.endswith(".txt") and name not in wanted:
            os.remove(os.path.join(folder, name))
    for name, text in wanted.items():
        write_atomically(os.path.join(folder, name), text)
    return len(wanted)


def write_all(out, results, skipped, info):
    """grades.csv, feedback/ and report.html; the paths written, for the summary."""
    from . import class_report
    count = write_feedback(os.path.join(out, FEEDBACK_FOLDER), results)
    write_atomically(os.path.join(out, REPORT_FILE),
                     class_report.html_page(results, skipped, info))
    write_atomically(os.path.join(out, CSV_FILE), csv_text(results))  # the grades last
    return [os.path.join(out, CSV_FILE), os.path.join(out, REPORT_FILE),
            os.path.join(out, FEEDBACK_FOLDER) + f"{os.sep} ({count} files)"]


def misconception_ranking(results):
    """[(name, stages, students)]: each mistake the grader named, with the stages it was
    named in and the students who made it, the most students first."""
    students, stages = collections.defaultdict(list), collections.defaultdict(set)
    for r in results:
        for found in r["misconceptions"]:
            if r["student"] not in students[found["name"]]:
                students[found["name"]].append(r["student"])
            stages[found["name"]].add(found["stage"])
    return sorted(((name, sorted(stages[name]), who) for name, who in students.items()),
                  key=lambda item: (-len(item[2]), item[1], item[0]))


def summary_text(results, skipped, kept, seconds, jobs, files):
    scores = [r["score"] for r in results]
    statuses = collections.Counter(r["status"] for r in results)
    graded = len(results) - kept
    lines = [f"Graded {plural(graded, 'submission')} in {seconds:.1f} s "
             f"({min(jobs, max(graded, 1))} at a time)"
             + (f"; {kept} unchanged since the last run kept their grades." if kept else ".")]
    if scores:
        lines.append(f"Score: mean {statistics.mean(scores):.1f}, median "
                     f"{statistics.median(scores):g} of {results[0]['max']}. Status: "
                     + ", ".join(f"{statuses[s]} {s}" for s in ("ok", "timeout", "policy",
                                                                   "crashed")) + ".")
    needing = [r for r in results if needs_a_look(r)]
    for r in needing[:10]:
        lines.append(f"  {r['student']}: {r['status']}: {r['problem']}")
    if len(needing) > 10:
        lines.append(f"  ... and {len(needing) - 10} more (see the report)")
    ranking = misconception_ranking(results)[:3]
    if ranking:
        lines.append("Most named mistakes: " + "; ".join(
            f"{name} ({plural(len(who), 'student')})" for name, _, who in ranking) + ".")
    for name, why in skipped:
        lines.append(f"Not graded: {name}: {why}.")
    for names in twins(results):
        lines.append(f"One student, {len(names)} entries, each graded: {', '.join(names)}.")
    for warning in sorted({w for r in results for w in r.get("warnings", ())}):
        lines.append(warning)
    if statuses["crashed"]:
        lines.append("Crashed gradings have no grade yet: run the same command with --resume "
                     "to grade them again (the others are kept).")
    lines.append("Wrote " + ", ".join(files))
    return "\n".join(lines)


# --- progress --------------------------------------------------------------------------


class Meter:
    """A progress bar with an estimate of the time left, on a terminal; elsewhere (a log,
    CI) a line every tenth of the way."""
    WIDTH = 30

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.total = self.done = 0
        self.started = time.monotonic()
        self.last_tenth = 0

    def start(self, total):
        self.total, self.done, self.started = total, 0, time.monotonic()
        self.show("starting the graders")

    def step(self, student):
        self.done += 1
        self.show(student)

    def show(self, student):
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done) if self.done else None
        eta = "ETA --:--" if left is None else f"ETA {clock(left)}"
        if self.live:
            filled = self.WIDTH * self.done // max(1, self.total)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            line = f"\r[{bar}] {self.done}/{self.total}  {clock(elapsed)}  {eta}  {student}"
            self.stream.write(line[:110].ljust(110))
            self.stream.flush()
        elif self.done and (self.done * 10 // self.total > self.last_tenth
                            or self.done == self.total):
            self.last_tenth = self.done * 10 // self.total
            self.stream.write(f"graded {self.done}/{self.total} in {clock(elapsed)}, {eta}\n")
            self.stream.flush()

    def finish(self):
        if self.live and self.total:
            self.stream.write("\n")
            self.stream.flush()


def needs_a_look(result):
    """A grading the instructor should see: not `ok`, or ok with a reason (nothing in the
    upload could be graded)."""
    return result["status"] != "ok" or bool(result.get("problem"))


def twins(results):
    """Entries of one student (alice/ beside alice.zip): [[their names]]."""
    by_stem = collections.defaultdict(list)
    for r in results:
        by_stem[os.path.splitext(r.get("entry", r["student"]))[0]].append(r["student"])
    return [names for names in by_stem.values() if len(names) > 1]


def plural(count, word):
    return f"{count} {word}" + ("" if count == 1 else "s")


def clock(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
