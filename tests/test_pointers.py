"""Every pointer a message gives is true: where code was stuck, which line made a value,
which call raised, what a blame note shows, and --verbose shows all it promises.
Each test is a finding of a learner session (issue 11) that once pointed the wrong way."""
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from support import SOLUTIONS, copy_of, run_grader
from test_feedback import edited

BACKWARD_LOOP = ("        for node in reversed(build_topo(self)):\n            node._backward()",
                 "        topo = build_topo(self)\n        i = len(topo) - 1\n"
                 "        while i >= 0:  # no i -= 1\n            topo[i]._backward()")

CASES = {  # name: (edits to the reference, grader arguments)
    "endless backward": ([("value.py", *BACKWARD_LOOP)], ["stage3", "--timeout", "1"]),
    "add made wrong": ([("value.py", "Value(self.data + other.data, (self, other), '+')",
                         "Value(self.data - other.data, (self, other), '+')")], ["stage1"]),
    "radd through mul": ([("value.py", "    def __radd__(self, other):  # 1 + a\n        return self + other",
                           "    def __radd__(self, other):  # 1 + a\n        return self * other  # slip")],
                         ["stage1"]),
    "neg without children, stage 1": ([("value.py", "        return self * -1",
                                        "        return Value(-self.data)  # cut")], ["stage1"]),
    "layers run in reverse": ([("mlp.py", "for layer in self.layers:",
                                "for layer in reversed(self.layers):")], ["stage6"]),
    "parents first and no zero_grad": (
        [("topo.py", "        visited.add(id(node))\n        stack.append((node, True))",
          "        visited.add(id(node))\n        order.append(node)"),
         ("train.py", "        zero_grad(params)\n        loss.backward()",
          "        loss.backward()")], ["stage7"]),
    "add without wrapping, at stage 2": (
        [("value.py", "        other = other if isinstance(other, Value) else Value(other)\n"
                      "        out = Value(self.data + other.data",
          "        out = Value(self.data + other.data")], ["stage2"]),
    "neuron with relu": ([("neuron.py", "        return act.tanh()",
                           "        return act.relu()")], ["stage4"]),
    "parameters raises": ([("neuron.py", "return self.w + [self.b]", "return self.w + self.b")],
                          ["stage4"]),
    "value typo, loss averaged": (
        [("value.py", "Value(self.data * other.data, (self, other), '*')",
          "Value(self.data * other.date, (self, other), '*')"),
         ("train.py", "for ygt, yout in zip(ys, ypred))",
          "for ygt, yout in zip(ys, ypred)) / len(ys)")],
        ["stage7"]),
    "neg without children": ([("value.py", "        return self * -1",
                               "        return Value(-self.data)")], ["stage2", "--json"]),
    "prints while passing": ([("neuron.py", "        return act.tanh()",
                               "        print('act is', act.data)\n        return act.tanh()")],
                             ["stage4", "--verbose"]),
}


@pytest.fixture(scope="module")
def told(tmp_path_factory):
    """The text report of each case, graded side by side."""
    def run(item):
        name, (edits, args) = item
        folder = copy_of(SOLUTIONS, tmp_path_factory.mktemp("pointers") / "learner")
        for file, old, new in edits:
            edited(folder, file, old, new)
        return name, (folder, run_grader(*args, "--target", str(folder)).stdout)
    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(run, CASES.items()))


def line_of(folder, file, text):
    lines = (folder / file).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_a_stuck_loop_shows_the_chain_outermost_first(told):
    folder, text = told["endless backward"]
    chain = text.split("It was still running, outermost call first:\n", 1)[1].splitlines()
    # The dump lands in the loop's body, or (now and then) on its `while` test between two
    # rounds: both are the endless loop, outermost first.
    body = line_of(folder, "value.py", "topo[i]._backward()")
    test = line_of(folder, "value.py", "while i >= 0:")
    assert chain[0].endswith((f"value.py:{body} in backward", f"value.py:{test} in backward")), \
        chain[:4]
    assert "topo[i]._backward()" in chain[1] or "while i >= 0:" in chain[1]


def test_made_by_names_the_line_that_made_the_value(told):
    folder, text = told["add made wrong"]
    assert f"(made by Value.__add__ at {folder}/value.py:" \
           f"{line_of(folder, 'value.py', 'self.data - other.data')})" in text
    folder, text = told["radd through mul"]  # the slip is in __radd__, which called __mul__
    assert f"(made by Value.__mul__ at {folder}/value.py:" \
           f"{line_of(folder, 'value.py', 'Value(self.data * other.data')}, called from " \
           f"Value.__radd__ at {folder}/value.py:{line_of(folder, 'value.py', '# slip')})" in text
    folder, text = told["neuron with relu"]
    assert f"(returned by Neuron.__call__ at {folder}/neuron.py:" \
           f"{line_of(folder, 'neuron.py', 'return act.relu()')})" in text


def test_an_error_names_the_call_that_raised(told):
    _, text = told["parameters raises"]
    assert "making Neuron(1): parameters() raised TypeError" in text


def test_a_blame_note_shows_the_failure_it_speaks_of(told):
    _, text = told["value typo, loss averaged"]
    note = text.split("x failed", 1)[0]
    assert "it fails squared_error: loss averaged:" in " ".join(note.split())
    assert "loss: expected 4.5, got 1.5" in note and "date" not in note


def test_verbose_shows_passed_checks_and_their_prints(told):
    _, text = told["prints while passing"]
    assert "ok  lecture_neuron" in text and "| act is 0.88137" in text
    assert "All selected stages pass" in text


def test_a_cut_graph_is_named_so_in_stage2(told):
    """Value(-self.data) has no children: 'attach _backward' would not help."""
    result = json.loads(told["neg without children"][1])
    stage = result["stages"][0]
    check = next(c for c in stage["checks"] if c["name"] == "neg_and_sub_backward")
    assert check["status"] == "failed" and check["diagnosis"]["name"] == "graph cut", check


def test_a_cut_inside_a_composite_operator_points_at_the_cut(told):
    folder, text = told["neg without children, stage 1"]
    cut = line_of(folder, "value.py", "# cut")  # 3 - a is made by __add__ in __rsub__
    assert f"The graph is cut where a Value was made from plain numbers, with no children:\n" \
           f"      (made by Value.__neg__ at {folder}/value.py:{cut}, called from " \
           f"Value.__rsub__ at {folder}/value.py:" in text, text


def test_a_long_traceback_keeps_the_call_the_grader_made(told):
    folder, text = told["layers run in reverse"]
    assert f"{folder}/mlp.py:{line_of(folder, 'mlp.py', 'x = layer(x)')} in __call__" in text


def test_names_through_broken_earlier_code_are_kept_only_when_true(told):
    """A build_topo in the wrong order makes the training loop's weights move wrongly:
    the loop's checks must not guess a loop slip from that, only the one the loop has."""
    _, text = told["parents first and no zero_grad"]
    assert "parameters never change" not in text
    note = text.split("x failed", 1)[0]
    assert "gradients never cleared" in note, note


def test_an_error_while_building_the_graph_says_so(told):
    _, text = told["add without wrapping, at stage 2"]
    assert "running the _backward of a + 2 (it broke while its graph was being built, " \
           "before that could run)" in " ".join(text.split())
