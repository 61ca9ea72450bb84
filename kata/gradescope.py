"""Course mode: the grade as Gradescope's results.json.

What Gradescope's autograder specification says (gradescope-autograders.readthedocs.io
/en/latest/specs/, the "Output format" section; its source is docs/specs.md of
github.com/gradescope/autograder_samples, checked at its 2023 revision):

- The file is /autograder/results/results.json, one JSON object. Top level, all optional:
  `score` (required unless every test has one; it overrides the sum of the tests),
  `execution_time` (seconds), `output` (text about the whole submission), `output_format`,
  `test_output_format`, `test_name_format`, `visibility`, `stdout_visibility`,
  `extra_data` (an object, "extra data to be stored"), `tests` (a list), `leaderboard`.
- Each test, all optional: `score`, `max_score`, `status` ("passed" or "failed": overrides
  the pass/fail look that otherwise follows score == max_score), `name`, `name_format`,
  `number`, `output` (shown in a <pre>, collapsed), `output_format`, `tags` (list of
  strings), `visibility`, `extra_data`.
- Formats: "text" (no HTML, Markdown or ANSI rendered; the default for test outputs and
  names), "html" (sanitised), "simple_format" (the default for the top-level output: html
  plus newlines turned into <br />), "md", "ansi". Newlines are Unix "\\n".
- Visibility ("hidden": never shown to students; "after_due_date"; "after_published";
  "visible", the default) applies to TESTS: set at the top level it is their default,
  and a test may override it. Instructors always see every test. "If test cases are
  hidden, students will not be able to see their total score" (a sentence saying hidden
  tests were exempt was deleted from the spec in 2020: "All points contribute to the total
  score").
- The top-level `output` has no visibility of its own: students always see it.
- Whatever run_autograder prints is kept in /autograder/results/stdout and "by default ...
  only shown to instructors"; `stdout_visibility` (same four values) can show it to
  students.

What this module writes, and why:
- One test per graded stage, named "stageN: Title", with `score` (the stage's points when
  it passed, else 0: stages are all or nothing), `max_score`, an explicit `status` (so a
  0-point stage still shows as passed or failed), `output` = the very feedback the learner
  gets from `python grader.py stageN` in self-study, `output_format` "text" (the feedback
  holds `<module>`, `*` and `_` that html or md would mangle) and `visibility` "visible"
  (feedback is the point of the kata).
- Top level: `score` (the sum, written out so nothing depends on Gradescope adding up),
  `execution_time` (whole seconds, as in the spec's example), `output` (the notes about
  the submission itself: which folder was graded, what was skipped, the total) with
  `output_format` "text", `test_output_format` and `test_name_format` "text", `visibility`
  "visible".
- Staff-only information (e.g. which isolation the grader used) must not reach students.
  A test with visibility "hidden" would hide it, but by the spec's current wording it would
  also hide the student's total score, and the top-level `output` cannot be hidden at all.
  So it goes (1) to run_autograder's stdout, which the caller prints: the channel the spec
  itself reserves for instructors, with `stdout_visibility` set to "hidden" explicitly so
  that no course default can show it; and (2) into top-level `extra_data["staff_output"]`,
  which the spec only describes as stored (it is not on the student's results page; it is
  kept with the submission, e.g. in the instructor's export), together with the seed and
  each stage's status for scripts.
"""
import io
import json
import math
import os

from .places import from_notebook
from .report import TextReport, DEFAULT_TARGET
from .stages import BY_NAME
from .workspace import write_atomically

FORMATS = ("text", "html", "simple_format", "md", "ansi")
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
STATUSES = ("passed", "failed")
TOP_FIELDS = {"score", "execution_time", "output", "output_format", "test_output_format",
              "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
              "leaderboard"}
TEST_FIELDS = {"score", "max_score", "status", "name", "name_format", "number", "output",
               "output_format", "tags", "visibility", "extra_data"}
MAX_OUTPUT = 30000  # characters of one stage's feedback: a page a person can still read
SEED_MARK = "\n\n  Random graphs and weights came from seed"


def stage_output(stage_summary, seed=None, target=DEFAULT_TARGET):
    """One stage's feedback as plain text, as `python grader.py stageN` prints it.

    `target` is the folder named in "Open value.py in exercises and ..." and in the command
    that repeats the run: the learner's own exercises/ by default, where they will look.
    Without a seed the "to repeat them" paragraph is left out rather than say `--seed None`.
    """
    stream = io.StringIO()  # not a terminal: the report paints no colour
    TextReport(stream).stage_details(stage_summary, {"target": target, "seed": seed})
    text = stream.getvalue().strip("\n")
    if seed is None and SEED_MARK in text:
        text = text[:text.index(SEED_MARK)]
    passed, total = stage_summary.get("passed", 0), stage_summary.get("total", 0)
    if stage_summary["status"] == "passed":
        text += f"\n  All {total} checks pass."
    elif stage_summary["status"] == "failed":
        text += f"\n\n  {passed} of {total} checks pass."
    if len(text) > MAX_OUTPUT:
        text = (text[:MAX_OUTPUT] + f"\n\n  ... (feedback cut here: run python grader.py "
                f"{stage_summary['name']} on your own machine to see all of it)")
    return text


def results(summary, points, staff_output, execution_time, notes):
    """The results.json object for a grading `summary` (report.summarise's shape)."""
    tests = []
    # A notebook is named as uploaded (its messages say "lecture.ipynb, cell 7"); a folder
    # of files as exercises/, where the student will look.
    target = summary["target"] if from_notebook(summary["target"]) else DEFAULT_TARGET
    for stage in summary["stages"]:
        name = stage["name"]
        worth = points.get(name, BY_NAME[name].points)
        passed = stage["status"] == "passed"
        tests.append({
            "name": f"{name}: {BY_NAME[name].title}",
            "score": worth if passed else 0,
            "max_score": worth,
            "status": "passed" if passed else "failed",
            "output": stage_output(stage, summary.get("seed"), target),
            "output_format": "text",
            "visibility": "visible",
        })
    score = sum(t["score"] for t in tests)
    top = list(notes)
    top.append(f"Score: {score} / {sum(t['max_score'] for t in tests)} "
               f"({sum(t['status'] == 'passed' for t in tests)} of {len(tests)} stages "
               "passed). Each stage below shows what `python grader.py stageN` shows on "
               "your own machine.")
    return {
        "score": score,
        "execution_time": max(0, round(execution_time)),
        "output": "\n".join(top),
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"staff_output": staff_output, "seed": summary.get("seed"),
                       "stages": {s["name"]: s["status"] for s in summary["stages"]}},
        "tests": tests,
    }


def fallback_results(message):
    """What to write when grading itself failed: no points, and whom to tell.

    `message` is shown to the student: a sentence, never a traceback (print that to
    stdout, which only instructors see).
    """
    text = ("The autograder itself failed, so this submission was not graded. This is not "
            "a problem with your code: please tell your instructor (they can see what went "
            "wrong), and submit again later.")
    if message:
        text += f"\n\nWhat happened: {message}"
    return {"score": 0, "execution_time": 0, "output": text, "output_format": "text",
            "stdout_visibility": "hidden", "extra_data": {"staff_output": message},
            "tests": []}


def write_results(path, results):  # the name shadows results(): the contract says so
    """Write results.json atomically: Gradescope never reads half a file."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    text = json.dumps(results, indent=2, allow_nan=False) + "\n"
    # 0644 whatever the umask: the harness that reads it may be another user
    write_atomically(path, text, mode=0o644, durable=True)


def validate_results(obj):
    """Problems of a results object against the spec's fields and types; [] when fine."""
    if not isinstance(obj, dict):
        return ["results must be a JSON object"]
    problems = []
    try:
        json.dumps(obj, allow_nan=False)
    except (TypeError, ValueError) as error:
        problems.append(f"not valid JSON: {error}")
    problems += [f"unknown top-level field '{k}'" for k in sorted(set(obj) - TOP_FIELDS)]
    _check_common(obj, "top level", problems)
    for key in ("test_output_format", "test_name_format"):
        _check_choice(obj, key, FORMATS, "top level", problems)
    _check_choice(obj, "stdout_visibility", VISIBILITIES, "top level", problems)
    if "execution_time" in obj and not _is_number(obj["execution_time"], minimum=0):
        problems.append("top level: execution_time must be a number of seconds >= 0")
    tests = obj.get("tests", [])
    if not isinstance(tests, list):
        problems.append("tests must be a list")
        tests = []
    if "score" not in obj and (not tests or any(
            not isinstance(t, dict) or "score" not in t for t in tests)):
        problems.append("a top-level score is required unless every test has a score")
    for i, test in enumerate(tests):
        where = f"tests[{i}]"
        if not isinstance(test, dict):
            problems.append(f"{where} must be an object")
            continue
        problems += [f"{where}: unknown field '{k}'" for k in sorted(set(test) - TEST_FIELDS)]
        _check_common(test, where, problems)
        if "max_score" in test and not _is_number(test["max_score"], minimum=0):
            problems.append(f"{where}: max_score must be a number >= 0")
        _check_choice(test, "status", STATUSES, where, problems)
        _check_choice(test, "name_format", FORMATS, where, problems)
        for key in ("name", "number"):
            if key in test and not isinstance(test[key], str):
                problems.append(f"{where}: {key} must be a string")
        if "tags" in test and not (isinstance(test["tags"], list)
                                   and all(isinstance(t, str) for t in test["tags"])):
            problems.append(f"{where}: tags must be a list of strings")
    if "leaderboard" in obj:
        board = obj["leaderboard"]
        if not isinstance(board, list) or not all(
                isinstance(e, dict) and "name" in e and "value" in e
                and e.get("order", "desc") in ("asc", "desc") for e in board):
            problems.append("leaderboard must be a list of {name, value[, order]} objects")
    return problems


def _check_common(part, where, problems):
    """Fields the top level and a test share: score, output, its format, visibility, data."""
    if "score" in part and not _is_number(part["score"]):
        problems.append(f"{where}: score must be a number")
    if "output" in part and not isinstance(part["output"], str):
        problems.append(f"{where}: output must be a string")
    _check_choice(part, "output_format", FORMATS, where, problems)
    _check_choice(part, "visibility", VISIBILITIES, where, problems)
    if "extra_data" in part and not isinstance(part["extra_data"], dict):
        problems.append(f"{where}: extra_data must be an object")


def _check_choice(part, key, choices, where, problems):
    if key in part and part[key] not in choices:
        problems.append(f"{where}: {key} must be one of {', '.join(choices)}, "
                        f"not {part[key]!r}")


def _is_number(value, minimum=None):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)
    return ok and (minimum is None or value >= minimum)
