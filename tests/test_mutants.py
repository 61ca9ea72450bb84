"""Every check can fail: each learner-style bug is caught at its own stage, and only there
first (every earlier stage still passes)."""
import os

import pytest

from kata.stages import STAGES
from mutants import MUTANTS
from support import SOLUTIONS, check, copy_of, grade


def apply(mutant, folder):
    for file, old, new in mutant.edits:
        path = os.path.join(folder, file)
        with open(path) as f:
            text = f.read()
        if old == "":  # the mutant is a whole new file
            text = new
        else:
            assert text.count(old) == 1, f"mutant {mutant.name!r} no longer applies"
            text = text.replace(old, new)
        with open(path, "w") as f:
            f.write(text)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_mutant_is_caught_first_at_its_stage(mutant, tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "solutions")
    apply(mutant, folder)
    upto = [s.name for s in STAGES][:int(mutant.stage[-1]) + 1]
    result = grade(folder, *upto)
    got = {s["name"]: s["status"] for s in result["stages"]}
    assert got == {**{name: "passed" for name in upto[:-1]}, mutant.stage: "failed"}
    caught = check(result, mutant.stage, mutant.check)
    assert caught["status"] == "failed", caught
    assert caught["message"]
    named = caught["diagnosis"]["name"] if caught["diagnosis"] else None
    assert named == mutant.diagnosis, caught
    assert result["exit_code"] == 1
