"""A grading's total time budget: one hanging submission costs seconds, not every stage's
timeouts (issue 14: `while True` in Value.__add__ used to take 78 s)."""
import time

from support import SOLUTIONS, copy_of, grade


def test_a_hanging_add_costs_the_budget_not_minutes(tmp_path):
    target = copy_of(SOLUTIONS, tmp_path / "hang")
    value = target / "value.py"
    value.write_text(value.read_text().replace(
        "    def __add__(self, other):\n",
        "    def __add__(self, other):\n        while True:\n            pass\n", 1))
    started = time.monotonic()
    result = grade(target, extra=("--timeout", "1", "--budget", "6"))
    took = time.monotonic() - started
    assert took < 20, took  # without the budget: about 40 s at --timeout 1
    messages = [c["message"] for s in result["stages"] for c in s["checks"]]
    assert any("time budget (6 s in all) is used up" in m for m in messages)
    assert result["stages"][0]["status"] == "passed"  # derivative.py never waits
    assert all(s["status"] != "passed" for s in result["stages"][1:])


def test_no_budget_with_zero(tmp_path):
    result = grade(SOLUTIONS, "stage4", extra=("--budget", "0"))
    assert result["stages"][0]["status"] == "passed"
