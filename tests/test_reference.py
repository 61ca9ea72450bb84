"""Correct code of any style passes every check, and the JSON keeps its promised shape."""
import pytest

from support import ALT_IMPL, SOLUTIONS, grade, statuses


@pytest.mark.parametrize("target", [SOLUTIONS, ALT_IMPL], ids=["solutions", "alt_impl"])
def test_correct_implementations_pass_every_stage(target):
    result = grade(target)
    failing = [(s["name"], c["name"], c["message"]) for s in result["stages"]
               for c in s["checks"] if c["status"] != "passed"]
    assert failing == []
    assert result["exit_code"] == 0
    diagnoses = [c["diagnosis"] for s in result["stages"] for c in s["checks"]]
    assert diagnoses == [None] * len(diagnoses)  # no false alarms
    assert [s["blame"] for s in result["stages"]] == [None] * len(result["stages"])


def test_another_seed_still_passes():
    result = grade(ALT_IMPL, "stage3", extra=["--seed", "7"])
    assert statuses(result) == {"stage3": "passed"}


def test_json_shape():
    result = grade(SOLUTIONS, "stage0")
    assert set(result) - {"exit_code"} == {"target", "seed", "stages"}  # exit_code: support.py
    stage = result["stages"][0]
    assert set(stage) == {"name", "title", "optional", "status", "passed", "total", "checks",
                          "blame", "earlier_failing", "fault_detail", "own_code",
                          "own_code_failure", "own_code_message", "blame_isolation"}
    assert stage["passed"] == stage["total"] == len(stage["checks"]) > 0
    assert set(stage["checks"][0]) == {"name", "status", "message", "diagnosis", "printed"}
