"""What a failing check saw, as plain data for `python grader.py graph`: the graph it
built (each node's data and grad beside torch's), or a table of the network's parameters.

A check attaches one to its CheckFailed (picture=...); the runner keeps it beside the
verdict, and the report leaves it out of --json (the picture is for people).
"""
from kata.graph import show


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
