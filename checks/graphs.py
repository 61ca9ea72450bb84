"""Graphs the checks run on: hand-written ones from the lecture, and seeded random DAGs.

Every graph keeps the rules that let any correct implementation pass:
tanh inputs |x| <= 20 and exp inputs |x| <= 20 (we stay far inside), bases of ** at
|base| >= 0.1 and positive for a non-integer power, no division by anything near 0,
no relu input within 1e-6 of 0 (decided here, not by the learner's rounding),
and at most 300 nodes deep counting the extra nodes of composite ops like a - b.
"""
import json
import math
import random

import mirror
from kata import graph


def leaf(data, label=""):
    return {"leaf": data, "label": label} if label else {"leaf": data}


def num(x):
    """A plain number operand; an int in op() means a node index, so int constants go here."""
    return {"num": x}


def op(name, *args):
    """An op node: int arguments are node indices, floats are plain numbers."""
    return {"op": name, "args": [a if isinstance(a, (int, dict)) else num(a) for a in args]}


def lecture_expression():
    """The lecture's first graph: L = (a*b + c) * f."""
    return [leaf(2.0, "a"), leaf(-3.0, "b"), leaf(10.0, "c"), leaf(-2.0, "f"),
            op("mul", 0, 1), op("add", 4, 2), op("mul", 5, 3)]


def lecture_neuron():
    """The lecture's neuron: o = tanh(x1*w1 + x2*w2 + b)."""
    return [leaf(2.0, "x1"), leaf(0.0, "x2"), leaf(-3.0, "w1"), leaf(1.0, "w2"),
            leaf(6.8813735870195432, "b"), op("mul", 0, 2), op("mul", 1, 3),
            op("add", 5, 6), op("add", 7, 4), op("tanh", 8)]


def diamond():
    """a feeds two paths that meet again: both paths' gradients must add up."""
    return [leaf(-1.5, "a"), leaf(0.5, "b"), op("mul", 0, 1), op("add", 0, 1),
            op("mul", 2, 3), op("add", 4, 0), op("tanh", 5)]


def reused_many_times():
    """One node used seven times, and a node used twice in one op (a * a)."""
    spec = [leaf(0.7, "a"), op("mul", 0, 0)]
    for _ in range(6):
        spec.append(op("add", len(spec) - 1, 0))
    spec.append(op("mul", len(spec) - 1, 1))
    return spec


def deep_chain(steps=120):
    """x -> x*0.9 + 0.05, 120 times: about 250 nodes deep, within the 300 the rules allow."""
    spec = [leaf(0.5, "x")]
    for _ in range(steps):
        spec.append(op("mul", len(spec) - 1, 0.9))
        spec.append(op("add", len(spec) - 1, 0.05))
    spec.append(op("tanh", len(spec) - 1))
    return spec


HAND_WRITTEN = {"the lecture's expression": lecture_expression,
                "the lecture's neuron": lecture_neuron,
                "a diamond": diamond,
                "a node used many times": reused_many_times}


# --- random DAGs -------------------------------------------------------------------------

POWERS = (2, 3, -1, 0.5, 1.5, -2)


def _allowed(name, args, values):
    """Is this op safe for every correct implementation, judged on the graph's own numbers?"""
    x = [values[a] if isinstance(a, int) else a["num"] if isinstance(a, dict) else a
         for a in args]
    if name in ("tanh", "exp"):
        return abs(x[0]) <= (20 if name == "tanh" else 3)
    if name == "relu":
        return abs(x[0]) > 1e-3
    if name == "pow":
        base, k = x
        return abs(base) >= 0.1 and (float(k).is_integer() or base > 0)
    if name == "div":
        return abs(x[1]) >= 0.2
    return True


def random_dag(rng, n_leaves=None, n_ops=None):
    """A seeded random graph over every op, numbers on either side of binary ops."""
    n_leaves = n_leaves or rng.randint(2, 5)
    n_ops = n_ops or rng.randint(8, 30)
    spec = [leaf(round(rng.uniform(-2, 2), 3) or 0.5, f"x{i}") for i in range(n_leaves)]
    values = [s["leaf"] for s in spec]
    names = ["add", "sub", "mul", "div", "pow", "neg", "tanh", "exp", "relu"]
    while len(spec) < n_leaves + n_ops:
        name = rng.choice(names)
        # favour recent nodes for depth, sometimes reach far back for diamonds
        pick = lambda: rng.randrange(len(spec)) if rng.random() < 0.3 else \
            max(0, len(spec) - 1 - rng.randrange(4))  # noqa: E731
        if name == "pow":
            args = [pick(), num(rng.choice(POWERS))]
        elif name in ("neg", "tanh", "exp", "relu"):
            args = [pick()]
        else:
            args = [pick(), pick()]
            roll = rng.random()
            if roll < 0.2:
                args[0] = round(rng.uniform(-3, 3), 2) or 1.5
            elif roll < 0.4:
                args[1] = round(rng.uniform(-3, 3), 2) or 1.5
        if not _allowed(name, args, values):
            continue
        node = op(name, *args)
        # Plain floats, not torch: the same numbers (the same graphs for 1,600 seeds were
        # compared), and a grading that never judges one need not import torch.
        try:
            value = graph.apply(node, graph.operands(node, values), graph.UNARY_FLOAT)
        except (OverflowError, ZeroDivisionError):
            continue
        if isinstance(value, complex) or not math.isfinite(value) or abs(value) > 50:
            continue
        spec.append(node)
        values.append(value)
    return _join_loose_ends(spec, rng)


def _join_loose_ends(spec, rng):
    """Add up every node nothing else uses, so one output depends on the whole graph."""
    used = {a for node in spec if "op" in node for a in node["args"] if isinstance(a, int)}
    loose = [i for i in range(len(spec)) if i not in used]
    while len(loose) > 1:
        spec.append(op("add", loose.pop(), loose.pop()))
        loose.append(len(spec) - 1)
    return spec


DAGS = {}  # (seed, count) -> the graphs as JSON: a warm grader makes them once per seed


def random_dags(seed, count):
    """`count` random graphs from `seed`: fresh lists every call (a check may keep or change
    its own), made once (they cost a grading ~20 ms, and a course grades every student on
    the same seed)."""
    if (seed, count) not in DAGS:
        rng = random.Random(seed)
        DAGS.clear()
        DAGS[(seed, count)] = json.dumps([random_dag(rng) for _ in range(count)])
    return json.loads(DAGS[(seed, count)])


def relu_inputs_clear_of_zero(spec):
    """Self-check of the rule above, on torch's numbers."""
    values = [n.item() for n in mirror.build(spec)]
    return all(abs(values[a]) > 1e-6 for node in spec if node.get("op") == "relu"
               for a in node["args"] if isinstance(a, int))

