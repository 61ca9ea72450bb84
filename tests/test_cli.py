"""The command line: help, usage errors with exit 2, colour rules, JSON-only stdout."""
import json
import os

from kata import plots
from support import ROOT, SOLUTIONS, at_once, run_grader

PNG = b"\x89PNG\r\n\x1a\n"


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


def on_a_terminal(*args, env=None):
    """The grader's stdout as a terminal would get it (a pseudo-terminal)."""
    import os
    import pty
    import subprocess
    import sys

    from support import ROOT
    leader, follower = pty.openpty()
    env = {k: v for k, v in {**os.environ, "TERM": "xterm", **(env or {})}.items()
           if v is not None}
    done = subprocess.run([sys.executable, os.path.join(ROOT, "grader.py"), *args],
                          stdout=follower, stderr=subprocess.DEVNULL, cwd=ROOT, env=env,
                          timeout=600)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # Linux: EIO once the terminal's other end is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return done.returncode, b"".join(chunks).decode()


def test_colour_only_on_a_terminal_and_never_with_NO_COLOR():
    (code, coloured), (plain_code, plain) = at_once(
        lambda: on_a_terminal("stage0", "--target", SOLUTIONS, env={"NO_COLOR": None}),
        lambda: on_a_terminal("stage0", "--target", SOLUTIONS, env={"NO_COLOR": "1"}))
    assert code == 0 and "\033[" in coloured
    assert plain_code == 0 and "\033[" not in plain and "passed" in plain


def test_demo_trains_the_reference_and_the_loss_goes_down():
    picture = os.path.join(ROOT, "kata-output", "plots", "demo.png")
    if os.path.exists(picture):
        os.remove(picture)
    done = run_grader("demo", "--steps", "20", "--target", SOLUTIONS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "step  20" in done.stdout and "went from" in done.stdout and "down to" in done.stdout
    assert "never reached" in done.stdout  # targets of +-1 sit on the edge of tanh's range
    if plots.available():  # the [plots] extra (the [dev] extra has it too)
        assert "Loss curve: kata-output/plots/demo.png" in done.stdout, done.stdout
        with open(picture, "rb") as f:
            assert f.read(8) == PNG
    else:
        assert 'pip install -e ".[plots]"' in done.stdout and not os.path.exists(picture)


def test_without_matplotlib_the_loss_curve_is_a_hint_not_a_failure(monkeypatch, tmp_path):
    monkeypatch.setattr(plots, "available", lambda: False)
    monkeypatch.setattr(plots, "output_folder", lambda *parts: str(tmp_path))
    said = plots.loss_curve("demo", "demo", [3.0, 2.0, float("nan")], [3.0, 1.5, 1.0])
    assert said == '(pip install -e ".[plots]" (matplotlib) also draws it as a PNG picture)'
    assert not os.listdir(tmp_path)


def test_demo_on_unfinished_code_says_which_stub_stopped_it(tmp_path):
    (tmp_path / "value.py").write_text(
        "class Value:\n    def __init__(self, data, _children=(), _op='', label=''):\n"
        "        raise NotImplementedError('stage 1: build a Value')\n")
    done = run_grader("demo", "--target", str(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.strip()
