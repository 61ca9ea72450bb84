"""The stubs a learner starts from are 'not started' on every stage.

Taken from the committed exercises/ (git), not the working copy, so that a learner's
own progress in exercises/ never changes what this test sees.
"""
import os
import subprocess

import pytest

from support import ROOT, grade


def committed_exercises(destination):
    try:
        names = subprocess.run(["git", "ls-files", "exercises"], cwd=ROOT, check=True,
                               capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: no pristine copy of exercises/ to compare with")
    if not names:
        pytest.skip("exercises/ is not committed yet")
    os.makedirs(destination)
    for name in names:
        text = subprocess.run(["git", "show", f"HEAD:{name}"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout
        with open(os.path.join(destination, os.path.basename(name)), "w") as f:
            f.write(text)
    return destination


def test_pristine_stubs_are_not_started(tmp_path):
    result = grade(committed_exercises(tmp_path / "exercises"), extra=["--all"])
    assert len(result["stages"]) == 12  # the 8 stages and the 4 optional challenges
    for stage in result["stages"]:
        assert stage["status"] == "not started", stage
        assert stage["passed"] == 0
        for check in stage["checks"]:
            # a stub of the stage itself, of a stage it needs first, or (a challenge's check
            # that runs none of its own code) its stubs, all still there
            assert "NotImplementedError: stage" in check["message"] or \
                "NotImplementedError: challenge" in check["message"] or \
                f"the stubs of {stage['name']} are all still there" in check["message"], check
    assert result["exit_code"] == 1
