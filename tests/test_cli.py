"""The command line: help, usage errors with exit 2, colour rules, JSON-only stdout."""
import json

from support import SOLUTIONS, run_grader


def test_help_explains_every_option_and_stage():
    done = run_grader("--help")
    assert done.returncode == 0
    for word in ("--target", "--json", "--seed", "--timeout", "stage0", "stage3", "exit codes"):
        assert word in done.stdout


def test_unknown_stage_is_a_one_line_usage_error():
    done = run_grader("stage9")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "stage9" in done.stderr


def test_missing_folder_is_a_usage_error(tmp_path):
    done = run_grader("--target", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "nowhere" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_stage_by_number_and_table():
    done = run_grader("3", "--target", SOLUTIONS)
    assert done.returncode == 0
    assert "stage3" in done.stdout and "passed" in done.stdout
    assert "\033[" not in done.stdout  # not a terminal: no colour


def test_json_is_the_only_output():
    done = run_grader("--json", "stage0", "--target", SOLUTIONS)
    assert json.loads(done.stdout)["stages"][0]["status"] == "passed"


def test_exit_code_is_1_when_a_stage_does_not_pass(tmp_path):
    (tmp_path / "derivative.py").write_text("def derivative(f, x, h=1e-4):\n    return 0.0\n")
    done = run_grader("stage0", "--target", str(tmp_path))
    assert done.returncode == 1
    assert "expected" in done.stdout and "got 0" in done.stdout
