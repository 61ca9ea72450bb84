"""Looking at learner Values from the outside: numbers as plain data, the graph behind a
node, and where in the learner's files a function was defined.

Nodes are tracked by id(), never by == or hashing, since a learner's Value may define
__eq__. Runs in the child process only.
"""
import sys

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
    place = co and code.place(co.co_filename, co.co_firstlineno)
    if not place:
        return None
    return {**place, "func": co.co_qualname if hasattr(co, "co_qualname") else co.co_name}


def qualname(co):
    return co.co_qualname if hasattr(co, "co_qualname") else co.co_name


def profiled(call, watch):
    """call(), with watch(frame, event) told of every Python call and return meanwhile."""
    def profile(frame, event, arg):
        if event in ("call", "return"):
            watch(frame, event)
    before = sys.getprofile()
    sys.setprofile(profile)
    try:
        return call()
    finally:
        sys.setprofile(before)


def made_at(Value, call, code, keep=None):
    """call(), and {id(value): {file, line, func[, via]}}: the line of the learner's files
    that made each Value (the caller of Value.__init__), so a message can point at that line
    rather than at the def of the method around it; `via` is the outermost learner frame
    when it is another (the operator that was called). `keep`, a list, also gets each
    (value, site) in the order they were made."""
    init = getattr(getattr(Value, "__init__", None), "__code__", None)
    sites = {}

    def watch(frame, event):
        if event == "call" and frame.f_code is init and init.co_varnames:
            caller = frame.f_back
            place = caller is not None and code.place(caller.f_code.co_filename,
                                                      caller.f_lineno)
            if place:
                made = frame.f_locals.get(init.co_varnames[0])
                sites[id(made)] = site = {**place, "func": qualname(caller.f_code)}
                outer = outermost(caller, code)
                if outer is not caller:  # `3 + a` made by __mul__, which __radd__ called
                    site["via"] = {**code.place(outer.f_code.co_filename, outer.f_lineno),
                                   "func": qualname(outer.f_code)}
                if keep is not None:
                    keep.append((made, site))
    return profiled(call, watch), sites


def outermost(frame, code):
    """The last frame of the learner's own that led to `frame`: the operator the grader
    called, when that operator made its result through another (`__radd__` via `__mul__`)."""
    while frame.f_back is not None and code.shown_path(frame.f_back.f_code.co_filename):
        frame = frame.f_back
    return frame


def returned_at(func, call, code):
    """call(), and where the learner's `func` returned its result: {file, line, func} of the
    return line of its outermost run (which finishes last), or its def line if none."""
    target = getattr(getattr(func, "__func__", func), "__code__", None)
    found = where(func, code)

    def watch(frame, event):
        if event == "return" and frame.f_code is target and found:
            found.update(code.place(frame.f_code.co_filename, frame.f_lineno) or {})
    return profiled(call, watch), found


def children(node):
    prev = getattr(node, "_prev", None)
    if prev is None and isinstance(node, (int, float)):
        raise LearnerProblem("shape", f"a plain number ({node!r}) sits in a _prev, where only "
                             "Values belong.\nHint: list only Values as children: wrap a "
                             "number operand first (other = other if isinstance(other, Value) "
                             "else Value(other)), and leave out a constant such as the "
                             "exponent k of ** (its children are (self,)).")
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
