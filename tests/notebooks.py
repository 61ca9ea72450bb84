"""Notebooks for the self-tests, written as Jupyter writes them (nbformat 4 JSON).

`lecture_cells()` is a notebook in the style of the micrograd lecture, as a learner types
it along: Value grown over three cells, build_topo nested in backward, a training loop at
the top level, magics and a plot; no derivative/partial, no relu, no __rsub__, no train().
"""
import ast
import json
import os


def notebook(cells, history=False):
    """cells: strings (code) or ("markdown", text). A dict as Jupyter saves it."""
    out = []
    for number, cell in enumerate(cells, 1):
        kind, text = cell if isinstance(cell, tuple) else ("code", cell)
        lines = text.splitlines(keepends=True)
        entry = {"cell_type": kind, "metadata": {}, "source": lines}
        if kind == "code":
            entry.update(execution_count=number, outputs=[])
        out.append(entry)
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                               "language": "python"},
                "language_info": {"name": "python"}}
    if history:
        metadata["kata"] = {"history": True}
    return {"cells": out, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def write(folder, name, cells):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(notebook(cells), f, indent=1)
    return path


HERE = os.path.dirname(os.path.abspath(__file__))
LECTURE = os.path.join(HERE, "policy_cases", "lecture")  # the lecture's code, typed in


def lecture_code(module, leave_out=()):
    """A file of the lecture-style kata (tests/policy_cases/lecture) as a notebook cell:
    without its imports of the other files (one namespace needs none), and without the
    methods named in `leave_out`."""
    with open(os.path.join(LECTURE, module + ".py"), encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef) and node.name in leave_out:
            lines[node.lineno - 1:node.end_lineno] = [None] * (node.end_lineno - node.lineno + 1)
    return "\n".join(line for line in lines if line is not None and not line.startswith(
        ("from value", "from .neuron", "from exercises", "from neuron", "from layer")))


# The lecture's Value has no __rsub__, __rtruediv__ or relu: the kata's files do.
VALUE_LAST = lecture_code("value", leave_out=("__rsub__", "__rtruediv__", "relu"))
NETWORK = "\n\n".join(lecture_code(m) for m in ("neuron", "layer", "mlp"))

IMPORTS = """\
import math
import random
import numpy as np
import matplotlib.pyplot as plt
%matplotlib inline
"""

VALUE_FIRST = """\
class Value:
    def __init__(self, data):
        self.data = data

    def __repr__(self):
        return f"Value(data={self.data})"
"""

VALUE_SECOND = """\
class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __add__(self, other):
        return Value(self.data + other.data, (self, other), '+')

    def __mul__(self, other):
        return Value(self.data * other.data, (self, other), '*')
"""

TRY_IT = """\
a = Value(2.0, label='a')
b = Value(-3.0, label='b')
e = a * b; e.label = 'e'
L = e + Value(10.0)
L.backward()
a.grad
"""

DRAW = """\
!pip install graphviz
from graphviz import Digraph

def trace(root):
    nodes, edges = set(), set()
    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)
    build(root)
    return nodes, edges
"""

TRAINING = """\
x = [2.0, 3.0, -1.0]
n = MLP(3, [4, 4, 1])
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ys = [1.0, -1.0, -1.0, 1.0]
for k in range(20):
    ypred = [n(x) for x in xs]
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
    for p in n.parameters():
        p.grad = 0.0
    loss.backward()
    for p in n.parameters():
        p.data += -0.1 * p.grad
    print(k, loss.data)
"""

PLOT = """\
%matplotlib inline
plt.plot(np.arange(-5, 5, 0.2), np.tanh(np.arange(-5, 5, 0.2))); plt.grid();
"""


def lecture_cells():
    """The lecture-style notebook: 11 cells, markdown among them (cells are counted from
    the top, text cells too)."""
    return [("markdown", "# micrograd, built along the lecture\n"), IMPORTS, VALUE_FIRST,
            VALUE_SECOND, ("markdown", "Now with gradients.\n"), VALUE_LAST, TRY_IT, DRAW,
            NETWORK, TRAINING, PLOT]


ORDER = ("topo", "value", "derivative", "neuron", "layer", "mlp", "train")
SOLUTIONS = os.path.join(os.path.dirname(HERE), "solutions")


def kata_cells():
    """The reference solution as a learner would keep it in a notebook: one cell a file,
    without the imports between files (one namespace needs none)."""
    cells = []
    for module in ORDER:
        with open(os.path.join(SOLUTIONS, module + ".py"), encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
        cells.append("".join(line for line in lines if not line.startswith("from .")))
    return cells
