"""Bad learner code gets a clear message for its stage, and the grader finishes the rest."""
import re

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


def test_a_stuck_check_says_where_the_code_was_running(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    path = folder / "value.py"
    path.write_text(path.read_text().replace(
        "        self.grad = 0.0\n", "        self.grad = 0.0\n        while True:\n"
        "            pass\n", 1))
    result = grade(folder, "stage1", extra=["--timeout", "1"])
    checks = result["stages"][0]["checks"]
    # the loop's `while` line or its body, wherever the interrupt found it
    assert re.search(r"value\.py:1[34] in __init__", checks[0]["message"]), checks[0]
    # After two checks ran out of time, the others are failed at once, not waited for.
    assert sum("not run: your code already ran out of time" in c["message"]
               for c in checks) == len(checks) - 2


def test_a_hang_inside_an_imported_module_blames_that_module(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    with open(folder / "value.py", "a") as f:
        f.write("\nwhile True:\n    pass\n")
    stage4 = grade(folder, "stage4", extra=["--timeout", "1"])["stages"][0]
    assert "value.py did not finish importing" in stage4["checks"][0]["message"]
    assert stage4["blame"] == "stage1"  # neuron.py itself is right


def test_junk_on_the_grader_channel_is_the_learners_error_not_the_graders(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    with open(folder / "value.py", "a") as f:
        f.write("\nimport os\nfor fd in range(3, 10):\n    try:\n"
                "        os.write(fd, b'not json\\n')\n    except OSError:\n        pass\n")
    stage1 = grade(folder, "stage1")["stages"][0]  # grade() asserts exit code 0 or 1
    assert stage1["status"] == "failed"
    assert "could not read what your code sent back" in stage1["checks"][0]["message"]


def test_interrupting_the_grader_kills_the_learners_code(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from support import ROOT
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    path = folder / "value.py"
    path.write_text(path.read_text().replace("    def exp(self):\n", "    def exp(self):\n"
                                             "        while True:\n            pass\n"))
    # Both signals at once, each to a grader of its own: two cold starts side by side.
    graders = {sig: subprocess.Popen([sys.executable, os.path.join(ROOT, "grader.py"), "stage1",
                                      "--timeout", "60", "--target", str(folder)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for sig in (signal.SIGINT, signal.SIGTERM)}
    deadline = time.monotonic() + 60  # a loaded CI machine imports torch slowly
    while not all(child_pids(g.pid) for g in graders.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # the child is busy with the probes, or in exp's endless loop
    children = {sig: child_pids(g.pid) for sig, g in graders.items()}
    for sig, grader in graders.items():
        assert children[sig]  # the child running the learner's code
        grader.send_signal(sig)
    for sig, grader in graders.items():
        out, err = grader.communicate(timeout=60)
        assert grader.returncode == 1, err  # stopped, not a grader bug (3)
        assert "interrupted" in err and "Traceback" not in err, (sig, err, out[-2000:])
    time.sleep(0.5)
    assert not [pid for pids in children.values() for pid in pids if alive(pid)]


def child_pids(parent):
    import subprocess
    done = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True)
    return [int(p) for p in done.stdout.split()]


def alive(pid):
    import os
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True
