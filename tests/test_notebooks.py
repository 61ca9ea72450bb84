"""A notebook or a single script as --target, check() in a kernel, and the package as
pip installs it (issue 13). The notebooks are built here, as Jupyter saves them."""
import atexit
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

import notebooks as nb
from support import ROOT, check, grade, run_grader, statuses

ALL_PASS = {f"stage{n}": "passed" for n in range(8)}


def failing(result, stage):
    return {c["name"] for s in result["stages"] if s["name"] == stage
            for c in s["checks"] if c["status"] != "passed"}


def messages(result):
    return "\n".join(c["message"] for s in result["stages"] for c in s["checks"])


def test_a_lecture_style_notebook_is_told_what_each_stage_lacks(tmp_path):
    path = nb.write(tmp_path, "lecture.ipynb", nb.lecture_cells())
    result = grade(path)
    assert statuses(result) == {
        "stage0": "not started", "stage1": "failed", "stage2": "failed",
        "stage3": "failed", "stage4": "passed", "stage5": "passed", "stage6": "passed",
        "stage7": "not started"}
    # the lecture has no relu and no __rsub__: exactly that, not a wall of failures
    assert failing(result, "stage1") == {"relu", "numbers_on_either_side"}
    assert "missing __rsub__" in json.dumps(result["stages"][1])
    # build_topo lives inside backward(): stage 3's topo checks say where, and to move it
    topo = check(result, "stage3", "topo_on_lecture_graphs")
    assert topo["status"] == "not started"
    assert "top-level function `def build_topo(root)`" in topo["message"]
    assert "nested inside `Value.backward` (lecture.ipynb, cell 6): move it out" \
        in topo["message"]
    stage0 = check(result, "stage0", "derivative_of_polynomial") \
        if any(c["name"] == "derivative_of_polynomial" for c in result["stages"][0]["checks"]) \
        else result["stages"][0]["checks"][0]
    assert "`def derivative(f, x, h=0.0001)`" in stage0["message"]
    assert "lecture.ipynb defines none of them" in stage0["message"]
    train = result["stages"][7]["checks"][0]["message"]
    for name in ("squared_error", "zero_grad", "sgd_step", "train"):
        assert f"`def {name}(" in train
    # Value was written three times (cells 3, 4, 6; cell 1 and 5 are text): the last counts
    assert any("Value (cell 6, defined 3 times: the last one counts)" in n
               for n in result["notes"])


def test_the_text_report_names_cells_and_never_the_grader_s_files(tmp_path):
    buggy = nb.VALUE_LAST.replace("self.grad += other.data * out.grad",
                                  "self.grad += other.dta * out.grad")
    path = nb.write(tmp_path, "mine.ipynb", [nb.IMPORTS, buggy, nb.NETWORK])
    done = run_grader("stage2", "--target", path)
    assert done.returncode == 1
    line = buggy.split("\n").index("            self.grad += other.dta * out.grad") + 1
    assert f"mine.ipynb, cell 2, line {line} in _backward" in done.stdout
    assert "self.grad += other.dta * out.grad" in done.stdout
    assert "kata-notebook" not in done.stdout + done.stderr
    assert "exercises" not in done.stdout
    assert "Next: python grader.py" not in done.stdout or f"--target {path}" in done.stdout


def test_a_whole_kata_notebook_passes_with_redefinitions_magics_and_a_broken_cell(tmp_path):
    cells = nb.kata_cells()
    value = cells.index(next(c for c in cells if c.startswith('"""Stages 1-3')))
    cells[value] = cells[value].replace("import math\n", "")  # math from the magic cell
    neuron = next(i for i, c in enumerate(cells) if "class Neuron" in c)
    cells[neuron] = cells[neuron].replace("Value(random.uniform(-1, 1))", "weight()")
    cells = ["%matplotlib inline\nimport math\n!pip install micrograd\nimport random\n",
             nb.VALUE_FIRST, "def broken(:\n    pass\n", nb.VALUE_SECOND] + cells[:neuron] + [
        "def weight():\n    return Value(random.uniform(-1, 1))\n",  # a helper of Neuron
        "%%bash\necho not python\n"] + cells[neuron:] + [nb.TRAINING]
    path = nb.write(tmp_path, "kata.ipynb", cells)
    result = grade(path)
    assert statuses(result) == ALL_PASS, messages(result)
    notes = "\n".join(result["notes"])
    assert "kata.ipynb, cell 3 does not parse (line 1: invalid syntax): left out." in notes
    assert "Value (cell 6, defined 3 times: the last one counts)" in notes


def test_everything_in_one_cell_and_a_single_script(tmp_path):
    whole = "\n\n".join(nb.kata_cells()) + "\n" + nb.TRAINING
    path = nb.write(tmp_path, "one.ipynb", [whole])
    script = tmp_path / "micrograd_kata.py"
    script.write_text(whole + "\nif __name__ == '__main__':\n    print(loss)\n")
    for target in (path, script):
        result = grade(target)
        assert statuses(result) == ALL_PASS, messages(result)
    # in a script a line is the file's own line
    broken = whole.replace("out = Value(self.data + other.data, (self, other), '+')",
                           "out = Value(self.data + other.dat, (self, other), '+')")
    script.write_text(broken)
    line = broken.split("\n").index(
        "        out = Value(self.data + other.dat, (self, other), '+')") + 1
    done = run_grader("stage1", "--target", script)
    assert f"micrograd_kata.py:{line} in __add__" in done.stdout


def test_patches_count_only_on_the_class_that_counts(tmp_path):
    rsub = ("Value.__rsub__ = lambda self, other: Value(other) - self\n"
            "Value.__rtruediv__ = lambda self, other: Value(other) / self\n")
    relu = textwrap.dedent("""\
        def relu(self):
            out = Value(max(0.0, self.data), (self,), 'relu')
            def _backward():
                self.grad += (out.data > 0) * out.grad
            out._backward = _backward
            return out
        setattr(Value, "relu", relu)
        """)
    # patched, then Value redefined: the patches were on the old class, as in the notebook
    lost = nb.write(tmp_path, "lost.ipynb", [nb.IMPORTS, nb.VALUE_LAST, rsub, relu,
                                             nb.VALUE_LAST])
    kept = nb.write(tmp_path, "kept.ipynb", [nb.IMPORTS, nb.VALUE_LAST, rsub, relu])
    assert failing(grade(lost, "stage1"), "stage1") == {"relu", "numbers_on_either_side"}
    result = grade(kept, "stage1")
    assert statuses(result) == {"stage1": "passed"}, messages(result)
    assert any("patches of Value: cell 3, cell 4" in n for n in result["notes"])


def test_a_syntax_error_in_the_cell_that_defines_value_is_shown_there(tmp_path):
    broken = nb.VALUE_LAST.replace("def exp(self):", "def exp(self)")
    path = nb.write(tmp_path, "syn.ipynb", [nb.IMPORTS, nb.VALUE_SECOND, broken, nb.NETWORK])
    result = grade(path, "stage1", "stage4")
    line = broken.split("\n").index("    def exp(self)") + 1
    first = result["stages"][0]["checks"][0]["message"]
    assert "Value from syn.ipynb could not be imported: SyntaxError" in first
    assert f"syn.ipynb, cell 3, line {line} in <module>" in first
    assert any("syn.ipynb, cell 3 does not parse" in n and "it defines Value" in n
               for n in result["notes"])
    assert result["stages"][1]["blame"] == "stage1"  # the Neuron is fine on the reference


def test_not_a_notebook_and_reset_refused(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    done = run_grader("--target", bad)
    assert done.returncode == 2
    assert "bad.ipynb is not a notebook Jupyter can open" in done.stderr
    done = run_grader("reset", "stage1", "--target", bad)
    assert done.returncode == 2 and "never changes a notebook" in done.stderr
    other = tmp_path / "notes.txt"
    other.write_text("x")
    done = run_grader("--target", other)
    assert done.returncode == 2 and "a notebook (.ipynb) or a script (.py)" in done.stderr


def test_course_mode_grades_an_uploaded_notebook(tmp_path):
    submission = tmp_path / "submission"
    submission.mkdir()
    nb.write(submission, "lecture.ipynb", nb.lecture_cells())
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, os.path.join(ROOT, "grader.py"), "--target",
                           submission, "--gradescope", out], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "KATA_ISOLATION": "none"})
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())
    scores = {t["name"].split(":")[0]: t["score"] for t in results["tests"]}
    assert scores == {"stage0": 0, "stage1": 0, "stage2": 0, "stage3": 0, "stage4": 10,
                      "stage5": 10, "stage6": 10, "stage7": 0}
    assert "Taken from lecture.ipynb: Value (cell 6" in results["output"]
    stage3 = " ".join(results["tests"][3]["output"].split())  # unwrapped
    assert "nested inside `Value.backward` (lecture.ipynb, cell 6)" in stage3
    assert "exercises" not in stage3 and str(tmp_path) not in stage3


KERNEL = """\
import os, sys
sys.path[:0] = [{root!r}, {tests!r}]  # a notebook opened in the project folder
import notebooks as nb
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance(colors="NoColor")
buggy = nb.VALUE_LAST.replace("self.grad += other.data * out.grad",
                              "self.grad = other.data * out.grad")
# run in another order than a file would hold them: the network first, Value last
for cell in ["import math\\nimport random\\n%time x = 1\\n", nb.NETWORK, nb.VALUE_SECOND,
             buggy, "from grader import check\\ncheck('stage2', 'stage4')\\n",
             "check('stage9')\\n"]:
    shell.run_cell(cell, store_history=True)
"""


def test_check_in_an_ipython_shell_grades_the_cells_in_the_order_they_ran(tmp_path):
    pytest.importorskip("IPython")
    script = tmp_path / "kernel.py"
    script.write_text(KERNEL.format(root=ROOT, tests=os.path.dirname(__file__)))
    done = subprocess.run([sys.executable, script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in out, out
    assert "Grading your notebook (the cells this kernel has run" in out
    assert "Value (Cell In[4], defined 2 times: the last one counts)" in out
    assert "Neuron (Cell In[2])" in out
    lines = nb.VALUE_LAST.split("\n")
    line = lines.index("        def _backward():", lines.index("    def __mul__(self, other):"))
    assert f"Cell In[4], line {line + 1} (_backward inside Value.__mul__)" in out
    assert "gradient overwritten instead of accumulated" in out
    assert "stage4     Neuron                           4/4  passed" in out
    assert "there is no stage stage9 (stage0 ... stage7, challenge1 ... challenge4)" in out


INSTALL = []  # (folder, Future of the pip install), started with the session


def install(folder):
    """A fresh virtual environment in `folder`, the project installed (not editable)."""
    venv = os.path.join(folder, "venv")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    return subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip", "install",
                           "--quiet", "--no-compile", "--disable-pip-version-check", "-c",
                           os.path.join(ROOT, ".ci", "constraints.txt"), ROOT],
                          capture_output=True, text=True, cwd=folder, timeout=600)


def start_in_background(items):
    """The install takes half a minute, mostly waiting on the disk: begin it now
    (tests/conftest.py), while the other self-tests run."""
    folder = tempfile.mkdtemp(prefix="kata-install-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    INSTALL.append((folder, ThreadPoolExecutor(1).submit(install, folder)))


@pytest.mark.background
def test_a_pip_install_outside_the_project_gives_a_command_and_check():
    """A fresh virtual environment, the project installed (not editable) from its folder,
    used from another folder: the console command grades a notebook, and `grader`
    imports. pip finds torch where CI's does (see .ci/constraints.txt)."""
    if not INSTALL:
        start_in_background([])
    folder, future = INSTALL[0]
    done = future.result()
    assert done.returncode == 0, done.stderr[-3000:]
    tmp_path = pathlib.Path(folder)
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    work = tmp_path / "work"
    work.mkdir()
    path = nb.write(work, "lecture.ipynb", nb.lecture_cells())
    done = subprocess.run([venv / "bin" / "autograd-kata", "--target", "lecture.ipynb",
                           "--json"],
                          capture_output=True, text=True, cwd=work, timeout=300)
    result = json.loads(done.stdout)
    assert statuses(result)["stage4"] == "passed" and done.returncode == 1
    assert statuses(result)["stage7"] == "not started"
    done = subprocess.run([python, "-c", "import grader, kata; print(grader.__file__); "
                           "print(kata.__file__); grader.check('stage1')"],
                          capture_output=True, text=True, cwd=work, timeout=60)
    assert done.returncode == 0, done.stderr
    assert str(venv) in done.stdout.split("\n")[0] and str(venv) in done.stdout.split("\n")[1]
    assert "check() grades the cells of a notebook" in done.stdout
    done = subprocess.run([venv / "bin" / "autograd-kata"], capture_output=True, text=True,
                          cwd=work, timeout=60)
    assert done.returncode == 2 and "give --target your folder, notebook or script" \
        in done.stderr


def test_what_real_notebooks_do_passes(tmp_path):
    """Correct notebooks a reviewer wrote as learners do (each once failed): a value read
    as its cell runs is the one defined before it, `from __future__ import annotations`
    holds, `class Value(Value)` extends the earlier class, a try/except import is kept, a
    `%` line that goes on a statement is not a magic, a script may start with a BOM."""
    cells = nb.kata_cells()
    value = next(i for i, c in enumerate(cells) if "class Value" in c)
    core, rest = cells[value].split("    def __neg__(self):", 1)
    extended = [  # the class grown in two cells, the second extending the first
        "from __future__ import annotations\n" + core.replace(
            "def __init__(self, data, _children=(), _op='', label=''):",
            "def __init__(self, data: float, _children: tuple[Value, ...] = (), _op='', "
            "label=''):"),
        "class Value(Value):\n    def __neg__(self):" + rest]
    magic = ("%matplotlib inline\ntry:\n    import numpy as np\nexcept ImportError:\n"
             "    np = None\nH = 0.0001\ndef show(v):\n    return 'Value(%s)' \\\n"
             "% (v.data,)\n")
    derivative = next(i for i, c in enumerate(cells) if "def derivative" in c)
    cells[derivative] = cells[derivative].replace("h=0.0001", "h=H")
    cells = [magic] + cells[:value] + extended + cells[value + 1:] + ["H = 0.1\n"]
    result = grade(nb.write(tmp_path, "real.ipynb", cells))
    assert statuses(result) == ALL_PASS, messages(result)
    script = tmp_path / "bom.py"
    script.write_text("\ufeff" + "\n\n".join(nb.kata_cells()), encoding="utf-8")
    assert statuses(grade(script, "stage0", "stage4")) == {"stage0": "passed",
                                                          "stage4": "passed"}


def test_names_that_are_not_the_learner_s_definitions_are_said_and_not_graded(tmp_path):
    relu_fixed = nb.VALUE_LAST  # the lecture's Value, then relu patched, then relu fixed
    relu = ("def relu(self):\n    out = Value(max(0.0, self.data), (self,), 'relu')\n"
            "    def _backward():\n        self.grad {op} (out.data > 0) * out.grad\n"
            "    out._backward = _backward\n    return out\n")
    cells = ["import math\nfrom functools import partial\n", relu_fixed,
             relu.format(op="="), "Value.relu = relu\n", relu.format(op="+="),
             "train = [([2.0, 3.0, -1.0], 1.0)]\n"]
    result = grade(nb.write(tmp_path, "names.ipynb", cells), "stage0", "stage2", "stage7")
    notes = "\n".join(result["notes"])
    assert "`from functools import partial` is not a definition of yours" in notes
    assert "`train = [([2.0, 3.0, -1.0], 1.0)]` is not a definition of yours" in notes
    assert "names.ipynb, cell 4 (Value.relu = relu) takes relu as it was then" in notes
    assert statuses(result)["stage0"] == statuses(result)["stage7"] == "not started"
    # as in the notebook, Value.relu is the relu of cell 3, which overwrites its grad
    assert check(result, "stage2", "gradients_accumulate")["status"] == "failed"


def test_watch_sees_a_notebook_saved(tmp_path):
    from kata.watch import fingerprint
    path = nb.write(tmp_path, "w.ipynb", [nb.VALUE_FIRST])
    before = fingerprint(path)
    nb.write(tmp_path, "w.ipynb", [nb.VALUE_SECOND])
    assert None not in before.values() and fingerprint(path) != before


def test_hostile_notebooks_are_read_in_bounded_time_and_space(tmp_path):
    """What an attacker sent (each once crashed, hung or filled the disk): a thousand-deep
    expression, a lone surrogate in the Value cell, 20,000 statements in a cell, a line of
    100,000 spaces, execution counts thousands of digits long."""
    import time
    from kata import notebook
    from kata.places import SOURCES_FILE
    deep = "plot = " + "+".join(["1"] * 1000) + "\n"
    surrogate = json.dumps(nb.notebook([nb.VALUE_FIRST + "# \ud800 (\n"]))
    many = "\n".join(f"a{n} = {n}" for n in range(20000)) + "\n" + nb.VALUE_FIRST
    spaces = " " * 100_000 + "x y\n"
    history = nb.notebook(['"""\n' + "\n" * 5000 + '"""\n' + nb.VALUE_FIRST], history=True)
    for cell in history["cells"]:
        cell["execution_count"] = 10 ** 4000
    cases = {"deep.py": deep + nb.VALUE_FIRST, "surrogate.ipynb": surrogate,
             "many.py": many, "spaces.ipynb": json.dumps(nb.notebook([spaces])),
             "history.ipynb": json.dumps(history, default=str)}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        folder = tmp_path / (name + ".out")
        folder.mkdir()
        started = time.monotonic()
        notebook.assemble(str(path), name, str(folder))
        assert time.monotonic() - started < 10, name
        assert (folder / SOURCES_FILE).stat().st_size < 2_000_000, name


def test_a_notebook_below_a_stray_script_is_the_one_graded(tmp_path):
    from kata import submission
    upload = tmp_path / "upload"
    (upload / "nb").mkdir(parents=True)
    (upload / "helper.py").write_text("x = 1\n")
    nb.write(upload / "nb", "lecture.ipynb", nb.lecture_cells())
    prepared = submission.prepare(str(upload), str(tmp_path / "work"))
    assert prepared.shown == "lecture.ipynb"
    assert sorted(os.listdir(prepared.folder))[:2] == ["kata-sources.json", "layer.py"]
