"""Looking at learner Values from the outside: numbers as plain data, the graph behind a
node, and where in the learner's files a function was defined.

Nodes are tracked by id(), never by == or hashing, since a learner's Value may define
__eq__. Runs in the child process only.
"""
from .learner import LearnerProblem

NODE_LIMIT = 100_000  # a _prev that loops back on itself must not hang the walk


def plain(x):
    """A learner's number as JSON-safe data; anything else described by its type."""
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, (int, float)):
        return x if not isinstance(x, int) or abs(x) < 2 ** 53 else float(x)
    return {"not_a_number": type(x).__name__, "callable": callable(x)}


def where(func, code):
    """Where the learner defined a function: {file, line, func}, or None."""
    func = getattr(func, "__func__", func)
    co = getattr(func, "__code__", None)
    if co is None or not code.shown_path(co.co_filename):
        return None
    return {"file": code.shown_path(co.co_filename), "line": co.co_firstlineno,
            "func": co.co_qualname if hasattr(co, "co_qualname") else co.co_name}


def children(node):
    prev = getattr(node, "_prev", None)
    if prev is None and isinstance(node, (int, float)):
        raise LearnerProblem("shape", f"a plain number ({node!r}) sits in a _prev, where only "
                             "Values belong.\nHint: wrap numbers first: other = other if "
                             "isinstance(other, Value) else Value(other)")
    if prev is None:
        raise LearnerProblem("shape", f"a {type(node).__name__} in the graph has no _prev")
    try:
        return list(prev)
    except TypeError:
        raise LearnerProblem("shape", f"_prev is a {type(prev).__name__}, not a set or tuple")


def walk(root):
    """Every node reachable from root, children before parents, plus each node's children."""
    order, index, kids = [], {}, {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            index[id(node)] = len(order)
            order.append(node)
            continue
        if id(node) in kids:
            continue
        kids[id(node)] = children(node)
        if len(kids) > NODE_LIMIT:
            raise LearnerProblem("shape", f"more than {NODE_LIMIT} nodes behind one Value: "
                                 "does _prev loop back on itself?")
        stack.append((node, True))
        stack.extend((c, False) for c in kids[id(node)] if id(c) not in kids)
    edges = [[index[id(c)] for c in kids[id(n)] if id(c) in index] for n in order]
    return order, edges
