"""Notebooks for the self-tests, written as Jupyter writes them (nbformat 4 JSON).

`lecture_cells()` is a notebook in the style of the micrograd lecture, as a learner types
it along: Value grown over three cells, build_topo nested in backward, a training loop at
the top level, magics and a plot; no derivative/partial, no relu, no __rsub__, no train().
"""
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

VALUE_LAST = """\
class Value:

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad
        out._backward = _backward
        return out

    def __radd__(self, other):
        return self + other

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __rmul__(self, other):
        return self * other

    def __pow__(self, other):
        assert isinstance(other, (int, float))
        out = Value(self.data ** other, (self,), f'**{other}')

        def _backward():
            self.grad += other * (self.data ** (other - 1)) * out.grad
        out._backward = _backward
        return out

    def __truediv__(self, other):
        return self * other ** -1

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def exp(self):
        x = self.data
        out = Value(math.exp(x), (self,), 'exp')

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        x = self.data
        t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += (1 - t ** 2) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo = []
        visited = set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
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

NETWORK = """\
class Neuron:

    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        out = act.tanh()
        return out

    def parameters(self):
        return self.w + [self.b]


class Layer:

    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:

    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]
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
HERE = os.path.dirname(os.path.abspath(__file__))
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
