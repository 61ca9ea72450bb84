"""What a failing check saw, as plain data for `python grader.py graph`: the graph it
built (each node's data and grad beside torch's), or a table of the network's parameters.

A check attaches one to its CheckFailed (picture=...); the runner keeps it beside the
verdict, and the report leaves it out of --json (the picture is for people).
"""
import contextlib

import mirror
from kata.graph import show
from verdicts import CheckFailed


@contextlib.contextmanager
def on_failure(draw):
    """A CheckFailed raised in the block carries the picture `draw()` makes (drawn only
    then: a passing check pays nothing)."""
    try:
        yield
    except CheckFailed as failed:
        failed.picture = draw()
        raise


def short(text, width=48):
    return text if len(text) <= width else text[:width - 3] + "..."


def graph(spec, out, got_nodes, data, grads=None):
    """The nodes of `spec` that `out` depends on: formula, children, data and grad (the
    learner's, from the probe's node reports) and torch's (`data`, `grads`; no grads in
    stage 1)."""
    nodes = []
    for i, node in enumerate(spec):
        got = got_nodes[i] if i < len(got_nodes) else {}
        children = [a for a in node.get("args", []) if isinstance(a, int)]
        reaches = got.get("reaches") or [True] * len(children)  # stage 1 reports them
        nodes.append({"formula": short(show(spec, i)), "op": node.get("op"),
                      "children": children,
                      "cut": [c for c, ok in zip(children, reaches) if not ok],
                      "data": got.get("data"), "want_data": data[i],
                      "grad": got.get("grad") if grads is not None else None,
                      "want_grad": grads[i] if grads is not None else None})
    return {"kind": "graph", "out": out, "nodes": nodes}


def parameters(names, data, grads=None, want_grads=None, want_data=None):
    """One row per parameter: its name (w0, neuron 1: b, ...), its data and grad, and
    torch's grad (or, after training, torch's data)."""
    rows = []
    for i, name in enumerate(names):
        rows.append({"name": name, "data": pick(data, i), "want_data": pick(want_data, i),
                     "grad": pick(grads, i), "want_grad": pick(want_grads, i)})
    return {"kind": "parameters", "rows": rows}


def pick(values, i):
    return values[i] if values is not None and i < len(values) else None


def neuron(weights, inputs, report, inputs_as_values):
    """A Neuron as the graph the lecture builds, tanh(w0*x0 + w1*x1 + ... + b), with
    torch's data and grad at every node. The grader sees only the learner's parameters,
    inputs and output: those carry the learner's numbers; the nodes in between, built
    inside the learner's Neuron, are marked unseen and show torch's alone."""
    n = len(inputs)
    spec = [{"leaf": w, "label": f"w{i}"} for i, w in enumerate(weights[:n])]
    spec += [{"leaf": x, "label": f"x{i}"} for i, x in enumerate(inputs)]
    spec.append({"leaf": weights[n], "label": "b"})
    products = []
    for i in range(n):
        spec.append({"op": "mul", "args": [i, n + i]})
        products.append(len(spec) - 1)
    total = products[0]
    for product in products[1:]:
        spec.append({"op": "add", "args": [total, product]})
        total = len(spec) - 1
    spec.append({"op": "add", "args": [total, 2 * n]})
    spec.append({"op": "tanh", "args": [len(spec) - 1]})
    out = len(spec) - 1
    data, grads = mirror.gradients(spec, out)
    learner_grads = report.get("parameter_grads") or []
    input_grads = report.get("input_grads") or []
    seen = {out: {"data": (report.get("outputs") or [{}])[0].get("data")}}  # the learner's
    for i in range(n):
        seen[i] = {"data": weights[i], "grad": pick(learner_grads, i)}
        seen[n + i] = {"data": inputs[i],  # plain numbers have no grad, Values the learner's
                       "grad": pick(input_grads, i) if inputs_as_values else None}
    seen[2 * n] = {"data": weights[n], "grad": pick(learner_grads, n)}
    drawn = graph(spec, out, [seen.get(i, {}) for i in range(len(spec))], data, grads)
    for i, node in enumerate(drawn["nodes"]):
        node["unseen"] = i not in seen
        if i == out or (n <= i < 2 * n and not inputs_as_values):
            node["want_grad"] = None  # the output's is 1 by definition; a number has none
    drawn["unseen"] = ("(Nodes with only 'torch:' numbers are made inside your Neuron, "
                       "where the grader cannot see yours.)")
    return drawn
