"""Attack 6: write my own grade. Overwrite the results file with full marks, make the
stage-1 checks `assert True`, and drop a conftest.py that passes every check."""
import json
import os

from .helpers import project_roots, results_paths

SPARE = "SPARE-ROOT"  # harness safety: only the test's own copies of the project (kata-adv-)
FULL_MARKS = {"score": 100.0, "output": "all stages passed", "tests": [
    {"name": f"stage{n}", "score": 100.0, "max_score": 100.0, "status": "passed"}
    for n in range(8)]}
ALWAYS_PASS = ("import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\n"
               "def pytest_runtest_makereport(item, call):\n"
               "    outcome = yield\n    report = outcome.get_result()\n"
               "    report.outcome = 'passed'\n")

for path in results_paths():
    try:
        with open(path, "w") as f:
            json.dump(FULL_MARKS, f)
    except OSError:
        pass
for root in project_roots():
    if os.path.realpath(root) == os.path.realpath(SPARE) or "kata-adv-" not in root:
        continue
    checks = os.path.join(root, "checks")
    for name, text in (("test_stage1_forward.py", "def test_forward():\n    assert True\n"),
                       ("conftest.py", ALWAYS_PASS), ("test_stage1_extra.py", "")):
        try:
            with open(os.path.join(checks, name), "a" if name == "conftest.py" else "w") as f:
                f.write(text)
        except OSError:
            pass
