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
    result = grade(committed_exercises(tmp_path / "exercises"))
    for stage in result["stages"]:
        assert stage["status"] == "not started", stage
        assert stage["passed"] == 0
        for check in stage["checks"]:
            assert "NotImplementedError: stage" in check["message"], check
    assert result["exit_code"] == 1
