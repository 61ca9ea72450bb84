"""What a failing learner is told: blame isolation, their own prints, --verbose, hints."""
import os
import shutil

import pytest

from support import ROOT, SOLUTIONS, copy_of, grade, run_grader

TANH_BACKWARD = "self.grad += (1 - t ** 2) * out.grad"
NEURON_SUM = "act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)"


def edited(folder, file, old, new):
    path = folder / file
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} must occur once in solutions/{file}"
    path.write_text(text.replace(old, new))
    return folder


@pytest.fixture
def broken_tanh_backward(tmp_path):
    """The reference with one stage-2 bug: the tanh derivative as 1 - t."""
    return edited(copy_of(SOLUTIONS, tmp_path / "learner"), "value.py", TANH_BACKWARD,
                  "self.grad += (1 - t) * out.grad")


def stage(result, name):
    return next(s for s in result["stages"] if s["name"] == name)


def test_a_correct_neuron_on_a_broken_value_is_told_so(broken_tanh_backward):
    neuron = stage(grade(broken_tanh_backward, "stage4"), "stage4")
    assert neuron["status"] == "failed"  # the status is still the learner's code end to end
    assert neuron["blame"] == "stage2" and neuron["own_code"] == "passed"

    text = run_grader("stage4", "--target", str(broken_tanh_backward)).stdout
    assert "Your Neuron is correct" in text and "tanh" in text
    assert "python grader.py stage2" in text
    assert "hint stage2" in text  # help where the fault is, not where it shows


def test_a_neuron_wrong_on_its_own_is_not_excused(broken_tanh_backward):
    edited(broken_tanh_backward, "neuron.py", NEURON_SUM,
           "act = sum((wi * xi for wi, xi in zip(self.w, x)), Value(0.0))")  # bias dropped
    neuron = stage(grade(broken_tanh_backward, "stage4"), "stage4")
    assert neuron["status"] == "failed"
    assert neuron["blame"] is None and neuron["own_code"] == "failed"
    text = run_grader("stage4", "--target", str(broken_tanh_backward)).stdout
    assert "has a problem of its own" in text


def test_what_the_learner_printed_is_shown_beside_the_failure(tmp_path):
    (tmp_path / "derivative.py").write_text(
        "def derivative(f, x, h=0.0001):\n"
        "    for i in range(15):\n"
        "        print('debug line', i)\n"
        "    return 0.0\n")
    text = run_grader("stage0", "--target", str(tmp_path)).stdout
    assert "Your code printed (last 10 lines" in text
    assert "debug line 14" in text and "debug line 4\n" not in text

    everything = run_grader("stage0", "--verbose", "--target", str(tmp_path)).stdout
    assert "debug line 0\n" in everything and "debug line 14" in everything


def test_verbose_lists_the_passed_checks_too(tmp_path):
    (tmp_path / "derivative.py").write_text(
        "def derivative(f, x, h=0.0001):\n"
        "    return (f(x + h) - f(x)) / h\n\n"
        "def partial(f, args, i, h=0.0001):\n"
        "    return 0.0\n")
    quiet = run_grader("stage0", "--target", str(tmp_path)).stdout
    loud = run_grader("stage0", "-v", "--target", str(tmp_path)).stdout
    passed = [c["name"] for c in stage(grade(tmp_path, "stage0"), "stage0")["checks"]
              if c["status"] == "passed"]
    assert passed
    assert all(f"ok  {name}" in loud for name in passed)
    assert not any(f"ok  {name}" in quiet for name in passed)


def test_hints_go_from_a_nudge_to_the_near_answer():
    hints = [run_grader("hint", "stage3", str(n)) for n in (1, 2, 3)]
    assert all(done.returncode == 0 for done in hints)
    texts = [done.stdout for done in hints]
    assert len(set(texts)) == 3
    assert "hint stage3 2" in texts[0] and "hint stage3 3" in texts[1]
    assert "Still stuck" not in texts[2]
    assert run_grader("hint", "3").stdout == texts[0]  # the first hint by default
    past = run_grader("hint", "stage3", "9").stdout  # past the last: says so, then the last
    assert past.endswith(texts[2]) and "stage3 has 3 hints, so here is the last one" in past


@pytest.mark.parametrize("words", [["hint"], ["hint", "stage9"], ["hint", "stage1", "stage2"],
                                   ["hint", "stage3", "--json"], ["demo", "--json"]])
def test_a_hint_without_one_known_stage_is_a_usage_error(words):
    done = run_grader(*words)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1


def test_every_stage_has_hints_that_print_no_solution_code():
    for number in range(8):
        for level in (1, 2, 3):
            text = run_grader("hint", str(number), str(level)).stdout
            assert text.strip() and "def " not in text


def test_a_repeated_weight_gets_the_neurons_hint_not_the_layers(tmp_path):
    """`[Value(...)] * nin` in neuron.py: the hint names that line's fix, not the Layer's."""
    folder = edited(copy_of(SOLUTIONS, tmp_path / "learner"), "neuron.py",
                    "self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]",
                    "self.w = [Value(random.uniform(-1, 1))] * nin")
    parameters = next(c for c in stage(grade(folder, "stage4"), "stage4")["checks"]
                      if c["name"] == "parameters")
    assert parameters["status"] == "failed"
    assert "[Value(random.uniform(-1, 1))] * nin" in parameters["message"]
    assert "Neuron(nin)] * nout" not in parameters["message"]
    assert parameters["diagnosis"] is None  # "the same neuron repeated" would be wrong here


def test_children_under_another_name_are_named(tmp_path):
    """The write-up's `self._children`: say the graph is followed through _prev, not
    'it has None children'."""
    folder = edited(copy_of(SOLUTIONS, tmp_path / "learner"), "value.py",
                    "self._prev = set(_children)", "self._children = set(_children)")
    holds = next(c for c in stage(grade(folder, "stage1"), "stage1")["checks"]
                 if c["name"] == "value_holds_data")
    assert "keeps its children in _children instead" in holds["message"]
    assert "None children" not in holds["message"]


def test_an_unwritten_stage_behind_a_broken_one_is_called_unwritten(tmp_path):
    """A syntax error in neuron.py fails every stage 4 check with one message: the note says
    so rather than name one check, and a Layer still a stub is 'not written yet', not 'a
    problem of its own'. The command to run keeps the learner's --target."""
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    shutil.copy(os.path.join(ROOT, "exercises", "layer.py"), folder / "layer.py")
    path = folder / "neuron.py"
    path.write_text(path.read_text().replace("return act.tanh()", "return act.tanh(", 1))
    text = run_grader("stage4", "stage5", "--target", str(folder)).stdout
    assert "stage4 (every check: " in text and "SyntaxError" in text, text
    assert f"    python grader.py stage4 --target {folder}\n" in text
    assert "(Your Layer is not written yet either: stage5 still has its stubs.)" in text
    assert "has a problem of its own" not in text
