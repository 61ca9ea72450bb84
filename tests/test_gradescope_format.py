"""Course mode: results.json as Gradescope's autograder specification defines it.

The grader runs three times, once per target, side by side, for the whole module: the
reference handed in as a zipped repository (through submission.prepare: full marks), the
untouched stubs (zero), and a partial copy (no train.py, and a tanh derivative written
1 - t, so that later stages carry blame text).
"""
import json
import os
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from kata import gradescope
from kata.stages import STAGES, TOTAL_POINTS
from kata.submission import KATA_FILES, prepare
from mutants import MUTANTS
from support import ROOT, SOLUTIONS, grade

POINTS = {s.name: s.points for s in STAGES}
TANH = next(m for m in MUTANTS if m.name == "tanh derivative as 1 - t")


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    base = tmp_path_factory.mktemp("gradescope")
    upload = base / "upload.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        for name in KATA_FILES:
            archive.write(os.path.join(SOLUTIONS, name), f"my-kata/exercises/{name}")
    prepared = prepare(str(upload), str(base / "work"))
    partial = shutil.copytree(SOLUTIONS, base / "partial",
                              ignore=shutil.ignore_patterns("__pycache__"))
    os.remove(partial / "train.py")
    value = partial / "value.py"
    assert value.read_text().count(TANH.old) == 1
    value.write_text(value.read_text().replace(TANH.old, TANH.new))
    targets = {"full": prepared.folder, "zero": os.path.join(ROOT, "exercises"),
               "partial": str(partial)}
    with ThreadPoolExecutor(len(targets)) as pool:
        done = {key: pool.submit(grade, target) for key, target in targets.items()}
        result = {key: future.result() for key, future in done.items()}
    result["notes"] = prepared.notes
    return result


def results_of(summary, notes=(), staff="isolation: test"):
    return gradescope.results(summary, POINTS, staff, 12.6, list(notes))


def by_name(results):
    return {t["name"]: t for t in results["tests"]}


def test_full_marks_from_a_zipped_repository(summaries):
    assert "my-kata/exercises/" in " ".join(summaries["notes"])
    results = results_of(summaries["full"], summaries["notes"])
    assert gradescope.validate_results(results) == []
    assert results["score"] == TOTAL_POINTS == 100
    assert [t["name"] for t in results["tests"]] == [f"{s.name}: {s.title}" for s in STAGES]
    for test, stage in zip(results["tests"], STAGES):
        assert (test["score"], test["max_score"], test["status"]) == \
            (stage.points, stage.points, "passed")
        assert test["visibility"] == "visible" and test["output_format"] == "text"
        assert test["output"].startswith(f"{stage.name}: {stage.title} - passed")
    assert "my-kata/exercises/" in results["output"]
    assert "Score: 100 / 100" in results["output"]


def test_zero_for_the_stubs(summaries):
    results = results_of(summaries["zero"])
    assert gradescope.validate_results(results) == []
    assert results["score"] == 0
    for test in results["tests"]:
        assert test["score"] == 0 and test["status"] == "failed"
        assert "Not started yet" in test["output"]
        assert "NotImplementedError: stage" in test["output"]


def test_partial_credit_carries_the_self_study_feedback(summaries):
    results = results_of(summaries["partial"])
    assert gradescope.validate_results(results) == []
    assert results["score"] == POINTS["stage0"] + POINTS["stage1"]
    tests = by_name(results)
    stage2 = tests["stage2: Value: local derivatives"]
    assert (stage2["score"], stage2["max_score"], stage2["status"]) == \
        (0, POINTS["stage2"], "failed")
    assert "x failed  tanh_backward" in stage2["output"]
    assert "expected 1.17967, got 0.806824" in stage2["output"]
    assert "Likely cause: wrong local derivative of tanh." in stage2["output"]
    stage4 = tests["stage4: Neuron"]["output"]
    assert "Your Neuron is correct" in stage4 and "Fix that first:\n    python grader.py stage2" \
        in stage4
    assert "python grader.py stage4 --seed" in stage4  # the run can be repeated at home
    assert "not started" in tests["stage7: Training loop"]["output"]


def test_no_colour_and_no_staff_text_where_students_look(summaries):
    results = results_of(summaries["partial"], ["Graded the files in work/."],
                         staff="isolation: a secret word")
    student_view = [results["output"]] + [t["output"] for t in results["tests"]] + \
        [t["name"] for t in results["tests"]]
    assert not any("\033[" in text for text in student_view)
    assert not any("secret word" in text for text in student_view)
    assert results["extra_data"]["staff_output"] == "isolation: a secret word"
    assert results["stdout_visibility"] == "hidden"
    assert results["output"].startswith("Graded the files in work/.")


def test_custom_points_are_used(summaries):
    points = dict(POINTS, stage0=7)
    results = gradescope.results(summaries["full"], points, "", 1.0, [])
    assert by_name(results)["stage0: Derivatives by definition"]["max_score"] == 7
    assert results["score"] == sum(points.values())


def test_a_selection_of_stages_gives_only_those_tests(summaries):
    summary = dict(summaries["full"], stages=summaries["full"]["stages"][:2])
    results = results_of(summary)
    assert len(results["tests"]) == 2 and results["score"] == 20
    assert gradescope.validate_results(results) == []


def test_stage_output_without_a_seed_says_no_seed(summaries):
    stage4 = next(s for s in summaries["partial"]["stages"] if s["name"] == "stage4")
    text = gradescope.stage_output(stage4)
    assert "--seed None" not in text and "Random graphs" not in text
    assert "Your Neuron is correct" in text


def test_very_long_feedback_is_cut(summaries):
    stage2 = dict(next(s for s in summaries["partial"]["stages"] if s["name"] == "stage2"))
    stage2["checks"] = [dict(stage2["checks"][0], status="failed",
                             message="\n".join(["a long line"] * 10000))]
    text = gradescope.stage_output(stage2, 1)
    assert len(text) < gradescope.MAX_OUTPUT + 300
    assert text.endswith("to see all of it)")


def test_write_results_is_atomic_and_makes_the_folder(tmp_path, summaries):
    path = tmp_path / "autograder" / "results" / "results.json"
    results = results_of(summaries["partial"])
    gradescope.write_results(str(path), results)
    assert json.loads(path.read_text()) == results
    gradescope.write_results(str(path), gradescope.fallback_results("again"))
    assert json.loads(path.read_text())["score"] == 0
    assert os.listdir(path.parent) == ["results.json"]  # no temporary file left behind


def test_write_results_leaves_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "results.json"
    gradescope.write_results(str(path), {"score": 1})
    with pytest.raises(ValueError):
        gradescope.write_results(str(path), {"score": float("nan")})
    assert json.loads(path.read_text()) == {"score": 1}
    assert os.listdir(tmp_path) == ["results.json"]


def test_fallback_results_are_valid_and_give_no_points():
    results = gradescope.fallback_results("grading took longer than 20 minutes")
    assert gradescope.validate_results(results) == []
    assert results["score"] == 0
    assert "autograder itself failed" in results["output"]
    assert "instructor" in results["output"]
    assert "longer than 20 minutes" in results["output"]


@pytest.mark.parametrize("broken, problem", [
    ([], "must be a JSON object"),
    ({"tests": []}, "top-level score is required"),
    ({"tests": [{"name": "a"}]}, "top-level score is required"),
    ({"score": "10"}, "score must be a number"),
    ({"score": True}, "score must be a number"),
    ({"score": float("inf")}, "score must be a number"),
    ({"score": 1, "execution_time": -1}, "execution_time"),
    ({"score": 1, "output": ["a"]}, "output must be a string"),
    ({"score": 1, "output_format": "markdown"}, "output_format must be one of"),
    ({"score": 1, "visibility": "never"}, "visibility must be one of"),
    ({"score": 1, "stdout_visibility": "students"}, "stdout_visibility must be one of"),
    ({"score": 1, "extra_data": []}, "extra_data must be an object"),
    ({"score": 1, "grade": 3}, "unknown top-level field 'grade'"),
    ({"score": 1, "tests": {}}, "tests must be a list"),
    ({"score": 1, "tests": ["a"]}, "tests[0] must be an object"),
    ({"score": 1, "tests": [{"status": "ok"}]}, "status must be one of"),
    ({"score": 1, "tests": [{"max_score": -2}]}, "max_score must be a number >= 0"),
    ({"score": 1, "tests": [{"name": 3}]}, "name must be a string"),
    ({"score": 1, "tests": [{"tags": "a"}]}, "tags must be a list of strings"),
    ({"score": 1, "tests": [{"passed": True}]}, "unknown field 'passed'"),
    ({"score": 1, "tests": [{"output": object()}]}, "not valid JSON"),
    ({"score": 1, "leaderboard": [{"name": "a"}]}, "leaderboard"),
])
def test_validate_results_names_each_problem(broken, problem):
    problems = gradescope.validate_results(broken)
    assert any(problem in p for p in problems), problems


def test_validate_results_accepts_the_spec_example():
    """The example of the spec's "Output format" section, with its comments removed."""
    example = {
        "score": 44.0, "execution_time": 136, "output": "Text relevant to the entire submission",
        "output_format": "simple_format", "test_output_format": "text",
        "test_name_format": "text", "visibility": "after_due_date",
        "stdout_visibility": "visible", "extra_data": {},
        "tests": [{"score": 2.0, "max_score": 2.0, "status": "passed", "name": "Your name here",
                   "name_format": "text", "number": "1.1", "output": "Giant multiline string",
                   "output_format": "text", "tags": ["tag1", "tag2", "tag3"],
                   "visibility": "visible", "extra_data": {}}],
        "leaderboard": [{"name": "Accuracy", "value": .926},
                        {"name": "Time", "value": 15.1, "order": "asc"},
                        {"name": "Stars", "value": "*****"}],
    }
    assert gradescope.validate_results(example) == []
    assert gradescope.validate_results({"tests": [{"score": 1}, {"score": 0}]}) == []
