"""Bad learner code gets a clear message for its stage, and the grader finishes the rest."""
import pytest

from support import SOLUTIONS, copy_of, grade

BROKEN = {
    "syntax error": ("def oops(:\n", "SyntaxError"),
    "endless loop at import": ("while True:\n    pass\n", "did not finish importing"),
    "sys.exit at import": ("import sys\nsys.exit(0)\n", "sys.exit(0)"),
    "os._exit at import": ("import os\nos._exit(0)\n", "ended the process"),
    "exception at import": ("raise RuntimeError('boom')\n", "RuntimeError: boom"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_value_module(name, tmp_path):
    code, expected = BROKEN[name]
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    with open(folder / "value.py", "a") as f:
        f.write("\n" + code)
    result = grade(folder, extra=["--timeout", "2"])
    by_name = {s["name"]: s for s in result["stages"]}
    assert by_name["stage0"]["status"] == "passed"  # derivative.py does not need value.py
    for name in ("stage1", "stage2", "stage3"):
        stage = by_name[name]
        assert stage["status"] == "failed"
        assert {c["status"] for c in stage["checks"]} == {"error"}
        assert all(expected in c["message"] for c in stage["checks"]), stage["checks"][0]
    assert result["exit_code"] == 1


def test_syntax_error_points_at_the_learners_line(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    with open(folder / "derivative.py", "a") as f:
        f.write("\ndef oops(:\n")
    message = grade(folder, "stage0")["stages"][0]["checks"][0]["message"]
    assert "derivative.py:" in message and "def oops(:" in message
    assert "kata" not in message.replace("autograd-kata", "")  # no grader frames


def test_endless_loop_in_a_method_fails_only_that_check(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    path = folder / "value.py"
    text = path.read_text().replace("    def exp(self):\n",
                                    "    def exp(self):\n        while True:\n            pass\n")
    path.write_text(text)
    result = grade(folder, "stage1", extra=["--timeout", "1"])
    checks = {c["name"]: c for c in result["stages"][0]["checks"]}
    assert checks["exp"]["status"] == "failed"
    assert "did not finish" in checks["exp"]["message"]
    assert checks["relu"]["status"] == "passed"  # a fresh child took over after the kill


def test_learner_prints_do_not_break_json(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    with open(folder / "value.py", "a") as f:
        f.write("\nprint('hello from value.py')\nimport os\nos.write(1, b'raw bytes')\n")
    result = grade(folder, "stage1")  # grade() parses stdout as one JSON object
    assert result["stages"][0]["status"] == "passed"
