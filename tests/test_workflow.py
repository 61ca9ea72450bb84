"""The learner's edit loop (issue 12): watch, list, reset, the warm session and the
portable process path."""
import os
import queue
import shutil
import subprocess
import sys
import threading
import time

import pytest

from kata import plots, processes
from kata.session import Server
from kata.workspace import STUBS
from support import ROOT, SOLUTIONS, at_once, copy_of, run_cold_grader, run_grader
from test_pristine_stubs import committed_exercises

RELU = ("        return act.tanh()", "        return act.relu()")  # the same size: on purpose


def edit(folder, name, old, new):
    path = folder / name
    text = path.read_text()
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1))


class Watcher:
    """`python grader.py watch` in a subprocess, its output read line by line."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "grader.py"), "watch", *args],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, env={**os.environ, "NO_COLOR": "1"})
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def round(self, timeout=60):
        """The text of the next finished grading: up to the 'save ... to grade again' or
        the 'passes' line."""
        text, deadline = [], time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line is None:
                return "".join(text) + "<watch ended>"
            text.append(line)
            self.seen.append(line)
            if line.startswith("watch: save ") or " passes. " in line:
                return "".join(text)

    def rest(self, timeout=120):
        """Everything it writes from here until it ends."""
        text, deadline = [], time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line is None:
                return "".join(text)
            text.append(line)

    def stop(self):
        processes.interrupt(self.process)


@pytest.fixture
def watcher():
    made = []
    yield lambda *args: made.append(Watcher(*args)) or made[-1]
    for w in made:
        w.stop()


def test_watch_survives_broken_code_and_never_shows_a_stale_result(tmp_path, watcher):
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    edit(folder, "neuron.py", *RELU)
    watch = watcher("stage4", "--target", str(folder), "--timeout", "1")
    first = watch.round()
    assert "stage4: Neuron - failed" in first and "relu instead of tanh" in first, first
    assert "\033[" not in first  # stdin and stdout are pipes: plain text

    good = (folder / "neuron.py").read_text().replace(*reversed(RELU))
    steps = [  # (what the file becomes, what the next grading must say)
        (good.replace("class Neuron", "class Neuron(", 1), "SyntaxError"),
        (good.replace("    def __call__(self, x):\n",
                      "    def __call__(self, x):\n        while True:\n            pass\n", 1),
         "did not finish within 1 s"),
        ("import sys\nsys.exit(3)\n" + good, "sys.exit(3)"),
    ]
    for text, said in steps:
        (folder / "neuron.py").write_text(text)
        got = watch.round()
        assert said in got and "stage4: Neuron - failed" in got, (said, got)

    # Two saves within a second, of the same size: the second must be what is graded.
    edit(folder, "neuron.py", "import sys\nsys.exit(3)\n", "")
    edit(folder, "neuron.py", *RELU)
    edit(folder, "neuron.py", *reversed(RELU))
    seen = watch.round()
    while "stage4 passes" not in seen:  # a grading may have caught the relu in between
        assert "relu instead of tanh" in seen or "SyntaxError" in seen, seen
        seen = watch.round()
    for stage in ("stage5", "stage6", "stage7"):
        assert f"{stage} passes" in watch.round()
    assert "Every stage passes" in watch.rest()
    assert watch.process.wait(timeout=10) == 0


def test_watch_keys_hint_list_and_quit(tmp_path, watcher):
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    edit(folder, "layer.py", "return outs[0] if len(outs) == 1 else outs", "return outs")
    watch = watcher("--target", str(folder))
    assert "stage5: Layer - failed" in watch.round()  # found the first unfinished stage
    for key in "hl":
        watch.process.stdin.write(key + "\n")
        watch.process.stdin.flush()
    listed = []
    while not listed or "stages passed" not in listed[-1]:  # `l` grades every stage ...
        listed.append(watch.lines.get(timeout=120))
    watch.process.stdin.write("q\n")  # ... and the keys still work after a grading
    watch.process.stdin.flush()
    rest = "".join(listed) + watch.rest()
    assert watch.process.wait(timeout=10) == 1  # it quit on a failing stage
    assert "Hint 1 of 3 for stage5" in rest and "5/8 stages passed" in rest, rest


def test_list_shows_every_stage_with_its_files_and_progress(tmp_path):
    done = run_grader("list", "--target", SOLUTIONS)
    assert done.returncode == 0 and "8/8 stages passed." in done.stdout
    assert "topo.py, value.py" in done.stdout
    stubs = committed_exercises(tmp_path / "stubs")
    done = run_grader("list", "--target", str(stubs))
    assert done.returncode == 1
    assert "0/8 stages passed. Next: python grader.py stage0" in done.stdout
    assert done.stdout.count("not started") == 8


def test_reset_backs_up_then_restores_the_stub(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    mine = (folder / "value.py").read_bytes()
    done = run_cold_grader("reset", "stage2", "--target", str(folder))  # stdin: no terminal
    assert done.returncode == 1 and "Nothing changed" in done.stdout
    assert "value.py holds stage1, stage2, stage3, challenge1, challenge2" in done.stdout
    assert (folder / "value.py").read_bytes() == mine

    done = run_grader("reset", "value", "--yes", "--target", str(folder))
    assert done.returncode == 0, done.stdout
    saved = next(line.split(" to ", 1)[1] for line in done.stdout.splitlines()
                 if line.startswith("Saved your value.py"))
    backup = os.path.join(ROOT, saved)
    try:
        assert open(backup, "rb").read() == mine
        assert (folder / "value.py").read_bytes() == open(os.path.join(STUBS, "value.py"),
                                                          "rb").read()
        again = run_grader("reset", "value.py", "--yes", "--target", str(folder))
        assert again.returncode == 0 and "nothing to reset" in again.stdout
    finally:
        os.remove(backup)
        os.rmdir(os.path.dirname(backup))
    unknown = run_grader("reset", "stage9", "--target", str(folder))
    assert unknown.returncode == 2 and "nothing called 'stage9'" in unknown.stdout
    assert run_grader("reset", "--target", str(folder)).returncode == 2


def test_the_shipped_stubs_are_the_committed_exercises(tmp_path):
    committed = committed_exercises(tmp_path / "exercises")
    names = sorted(os.listdir(committed))
    assert sorted(os.listdir(STUBS)) == names
    for name in names:
        assert (committed / name).read_bytes() == open(os.path.join(STUBS, name), "rb").read()


def test_a_warm_grader_sees_every_edit_and_forgets_the_last_grading(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    server = Server()
    try:
        edit(folder, "neuron.py", *RELU)
        code, out, _ = server.run(["stage4", "--target", str(folder)])
        assert code == 1 and "relu instead of tanh" in out
        edit(folder, "neuron.py", *reversed(RELU))  # same size, same second
        code, out, _ = server.run(["stage4", "--target", str(folder)])
        assert code == 0, out
        # An endless loop's timeouts belong to its grading only.
        edit(folder, "neuron.py", "    def __call__(self, x):\n",
             "    def __call__(self, x):\n        while True:\n            pass\n")
        code, out, _ = server.run(["stage4", "--target", str(folder), "--timeout", "0.5"])
        assert code == 1 and "not run: your code already ran out of time" in " ".join(out.split())
        code, out, _ = server.run(["stage4", "--target", SOLUTIONS])
        assert code == 0 and "ran out of time" not in out, out
    finally:
        server.close()


def test_the_portable_process_path(tmp_path):
    """What Windows gets (a reader thread, no process-group signals, the child's own
    stack timer), run here with the POSIX extras switched off."""
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    edit(folder, "value.py", "        for node in reversed(build_topo(self)):\n"
         "            node._backward()",
         "        topo = build_topo(self)\n        i = len(topo) - 1\n"
         "        while i >= 0:  # no i -= 1\n            topo[i]._backward()")
    portable = {"KATA_PORTABLE": "1"}
    stuck, passing = at_once(
        lambda: run_cold_grader("stage3", "--target", str(folder), "--timeout", "1",
                                env=portable),
        lambda: run_cold_grader("stage0", "stage4", "--target", SOLUTIONS, env=portable))
    assert stuck.returncode == 1
    assert "It was still running, outermost call first:" in stuck.stdout
    # the loop's body, or its `while` test between two rounds, wherever the timer found it
    assert "topo[i]._backward()" in stuck.stdout or "while i >= 0:" in stuck.stdout
    assert passing.returncode == 0, passing.stdout


def test_graph_draws_the_first_failing_check_beside_torch(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    edit(folder, "value.py", "(1 - t ** 2) * out.grad", "(1 - t) * out.grad")
    done = run_grader("graph", "stage2", "--target", str(folder))
    assert done.returncode == 1, done.stdout
    assert "check tanh_backward" in done.stdout
    assert "[x] `- a   data 0.5   grad 0.806824 (torch 1.17967)" in done.stdout
    dot = os.path.join(ROOT, "kata-output", "graphs", "stage2-tanh_backward.dot")
    text = open(dot).read()
    assert 'n0 [label="{ a | data 0.5 | grad 0.806824 (torch 1.17967) }", color=red' in text
    assert "n0 -> n1" in text
    svg = dot[:-len(".dot")] + ".svg"
    if shutil.which("dot"):
        assert os.path.exists(svg) and "<svg" in open(svg).read()
        assert "Picture: " in done.stdout
    else:
        assert "Graphviz is not installed" in done.stdout
    for path in (dot, svg):
        if os.path.exists(path):
            os.remove(path)

    edit(folder, "value.py", "(1 - t) * out.grad", "(1 - t ** 2) * out.grad")
    edit(folder, "layer.py", "return outs[0] if len(outs) == 1 else outs",
         "return outs[0] if len(outs) == 1 else outs[::-1]")
    table = run_grader("graph", "--target", str(folder))  # the first stage not passed
    assert "stage5 (Layer)" in table.stdout and "torch's grad" in table.stdout, table.stdout
    edit(folder, "layer.py", "else outs[::-1]", "else outs")

    # Stage 4: the Neuron as the lecture builds it; the grader sees the learner's numbers
    # for the parameters, the inputs and the output only.
    edit(folder, "neuron.py", "return act.tanh()", "return act")
    neuron = run_grader("graph", "stage4", "--target", str(folder)).stdout
    for line in ("Likely cause: activation missing.",
                 "[x] tanh(w0*x0 + w1*x1 + b)   data 0.881374 (torch 0.707107)",
                 "    `- w0*x0 + w1*x1 + b   torch: data 0.881374, grad 0.5",
                 "[x]    |  |  |- w0   data -3   grad 2 (torch 1)",
                 "       |     |- w1   data 1   grad 0\n",
                 "made inside your Neuron, where the grader cannot see yours",
                 "Your output equals torch's w0*x0 + w1*x1 + b: what your Neuron does after"):
        assert line in neuron, neuron
    dot = os.path.join(ROOT, "kata-output", "graphs", "stage4-lecture_neuron.dot")
    assert 'label="{ w0*x0 + w1*x1 + b | torch: data 0.881374, grad 0.5 }"];' in open(dot).read()
    assert run_grader("graph", "stage0", "--target", SOLUTIONS).stdout.startswith(
        "stage0 has no graph")
    assert "passes: there is no failing check" in run_grader(
        "graph", "stage3", "--target", SOLUTIONS).stdout


def test_a_failing_training_run_draws_its_loss_beside_torchs(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    edit(folder, "train.py", "        zero_grad(params)\n", "")
    picture = os.path.join(ROOT, "kata-output", "plots", "stage7-train_lecture_dataset.png")
    if os.path.exists(picture):
        os.remove(picture)
    as_json = run_grader("stage7", "--json", "--target", str(folder))
    assert as_json.returncode == 1 and not os.path.exists(picture)  # --json draws nothing
    stale = os.path.join(os.path.dirname(picture), "stage7-an_earlier_run.png")
    if plots.available():
        with open(stale, "wb") as f:
            f.write(b"an earlier run's picture")
    done = run_grader("stage7", "--target", str(folder))
    assert done.returncode == 1 and "Likely cause: gradients never cleared." in done.stdout
    if not plots.available():
        assert 'pip install -e ".[plots]"' in done.stdout, done.stdout
        return
    # the longest failing run (12 steps), not the first failing check (a one-step run)
    assert "Loss curve: kata-output/plots/stage7-train_lecture_dataset.png" in done.stdout
    assert not os.path.exists(stale)  # taken for this run's, it would mislead
    with open(picture, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    os.remove(picture)
    # While an earlier stage fails, that is the one to fix: no picture (nor its second).
    edit(folder, "value.py", "(1 - t ** 2) * out.grad", "(1 - t) * out.grad")
    blocked = run_grader("stage2", "stage7", "--target", str(folder))
    assert blocked.returncode == 1 and "Loss curve" not in blocked.stdout, blocked.stdout
    assert not os.path.exists(picture)


def test_a_head_start_child_is_claimed_once_and_only_by_its_own_grading(tmp_path):
    """grader.py starts the child while it still loads pytest and torch; the checks take
    it only for the same target, name and time limit, never in course mode."""
    from kata import client
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    client.head_start(str(folder), "learner", 5.0)
    try:
        started = client.HEAD_START[0]
        assert client.claim(str(folder), "learner", 5.0, {"layers": []}) is None  # course
        assert client.claim(str(folder), "learner", 20.0, None) is None
        assert client.claim(str(tmp_path), "learner", 5.0, None) is None
        assert client.claim(str(folder), "learner", 5.0, None) is started
        assert client.claim(str(folder), "learner", 5.0, None) is None  # once only
        assert started.call("value_basics", data=3)["ok"]
        started.close()
        client.head_start(str(folder), "learner", 5.0)
        unclaimed = client.HEAD_START[0]
    finally:
        client.drop_head_start()
    assert not client.HEAD_START and unclaimed.process is None  # closed, not left running
