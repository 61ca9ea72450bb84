"""Probes of stages 0-3: derivative, the Value operations, build_topo and backward()."""
from . import graph
from .learner import LearnerProblem
from .nodes import made_at, plain, walk, where
from .stages import NAME_STAGE


CHILDREN_NAMES = ("_children", "children", "_parents", "parents", "prev", "_prev_nodes",
                  "_inputs", "inputs", "_operands")


class EngineProbes:
    def __init__(self, code):
        self.code = code

    def value_class(self):
        return self.code.need("value", "Value")

    def build(self, spec):
        Value = self.value_class()
        for method in challenge_methods(spec):
            if not hasattr(Value, method):  # the optional challenge 2, not begun
                raise LearnerProblem("missing", f"Value has no {method} method yet",
                                     name=f"Value.{method}", stage=NAME_STAGE[f"Value.{method}"])

        def leaf(number, label):
            if label:
                try:
                    return Value(number, label=label)
                except TypeError:  # a Value without the optional label still grades
                    pass
            return Value(number)
        return graph.build(spec, leaf, unary=self.operations())

    def operations(self):
        """The ops of a graph on the learner's Values: graph.UNARY_VALUE, and challenge 1's
        sum_values, looked up only when a graph has a "sum" node."""
        return {**graph.UNARY_VALUE,
                "sum": lambda values: self.code.need("value", "sum_values")(values)}

    def describe(self, nodes):
        return [{"data": plain(getattr(n, "data", n)), "grad": plain(getattr(n, "grad", 0)),
                 "is_value": isinstance(n, self.value_class())} for n in nodes]

    # --- stage 0 -----------------------------------------------------------------------

    def derivative(self, fn, x, h=None):
        derivative = self.code.need("derivative", "derivative")
        f = lambda *args: graph.evaluate_float(fn, args)  # noqa: E731
        got = derivative(f, x) if h is None else derivative(f, x, h)
        return {"value": plain(got)}

    def partial(self, fn, args, i, h=None, as_tuple=False):
        partial = self.code.need("derivative", "partial")
        f = lambda *a: graph.evaluate_float(fn, a)  # noqa: E731
        passed = tuple(args) if as_tuple else list(args)
        got = partial(f, passed, i) if h is None else partial(f, passed, i, h)
        return {"value": plain(got), "args_after": [plain(a) for a in passed]}

    # --- stage 1 -----------------------------------------------------------------------

    def value_basics(self, data):
        Value = self.value_class()
        v = Value(data)
        backward = getattr(v, "_backward", None)
        if callable(backward):
            backward()
        prev = getattr(v, "_prev", None)
        # A Value that keeps its children under another name (`_children`, as some write-ups
        # do): the grader, like backward(), follows the graph through `_prev` only.
        elsewhere = None if hasattr(v, "_prev") else next(
            (name for name in CHILDREN_NAMES if hasattr(v, name)), None)
        return {"data": plain(getattr(v, "data", None)), "grad": plain(getattr(v, "grad", None)),
                "prev_len": len(prev) if hasattr(prev, "__len__") else None,
                "prev_kind": "missing" if not hasattr(v, "_prev") else type(prev).__name__[:60],
                "children_elsewhere": elsewhere,
                "backward_callable": callable(backward),
                "grad_after_backward": plain(getattr(v, "grad", None)),
                "repr": repr(v)[:200]}

    def forward(self, spec):
        """Build the graph; report each node's data and which operands its _prev reaches."""
        Value = self.value_class()
        nodes, made = made_at(Value, lambda: self.build(spec), self.code)
        report = self.describe(nodes)
        for i, node in enumerate(spec):
            if "op" not in node:
                continue
            reach = set()
            if isinstance(nodes[i], Value):
                reach = {id(n) for n in walk(nodes[i])[0]}
            report[i]["reaches"] = [id(nodes[a]) in reach for a in node["args"]
                                    if isinstance(a, int)]
            report[i]["method"] = made.get(id(nodes[i])) or self.method_where(spec, i, nodes)
            lost = [a for a, reached in zip([a for a in node["args"] if isinstance(a, int)],
                                            report[i]["reaches"]) if not reached]
            if lost and isinstance(nodes[i], Value):
                cut = self._cut_at(spec, i, nodes, lost[0])
                if cut:
                    report[i]["cut_at"] = cut
        return {"nodes": report}

    def _cut_at(self, spec, i, nodes, lost):
        """Where the op spec[i] lost its operand `lost` (a node index): the first Value it
        made that has no children and whose number comes from that operand's - run again
        with the operand moved, that Value's data moves too. E.g. Value(-self.data) inside
        __neg__, reached through __rsub__. None when no such Value is found."""
        Value = self.value_class()

        def run(shift):
            args = [Value(nodes[a].data + (shift if a == lost else 0)) if isinstance(a, int)
                    else a["num"] for a in spec[i]["args"]]
            made = []
            result, _ = made_at(Value, lambda: graph.apply(spec[i], args, self.operations()),
                                self.code, keep=made)
            return result, made
        try:
            result, made = run(0.0)
            _, moved = run(0.37)
            if len(made) != len(moved) or not isinstance(result, Value):
                return None
            reached = {id(n) for n in walk(result)[0]}
            for (value, site), (other, _) in zip(made, moved):
                if id(value) in reached and not list(getattr(value, "_prev", None) or ()) \
                        and getattr(value, "data", None) != getattr(other, "data", None):
                    return site
        except (Exception, SystemExit):  # only a pointer: the check has its verdict already
            return None
        return None

    def method_where(self, spec, i, nodes):
        name = graph.method_name(spec[i], nodes)
        return where(getattr(self.value_class(), name or "", None), self.code) or {"func": name}

    # --- stage 2 -----------------------------------------------------------------------

    def local_backward(self, spec, out, out_grad, pre_grads=None):
        """Seed out.grad, then run _backward of every node between out and the leaves,
        in an order the probe works out itself (the learner's build_topo is not used)."""
        nodes = self.build(spec)
        root = nodes[out]
        grad_after_forward = plain(getattr(root, "grad", None))
        for i, g in (pre_grads or {}).items():
            nodes[int(i)].grad = g
        root.grad = out_grad
        order, _ = walk(root)
        # What a leaf's _backward is (the do-nothing default): a _backward that is the same
        # code did no work of an operation's. Measured, not guessed from names.
        default = where(getattr(self.value_class()(0.0), "_backward", None), self.code)
        ran = []
        for node in reversed(order):
            backward = node._backward
            ran.append(where(backward, self.code))
            backward()
        walked = {id(n) for n in order}
        return {"nodes": self.describe(nodes), "grad_after_forward": grad_after_forward,
                "backward_at": [{**r, "default": r == default} for r in ran if r],
                "method": self.method_where(spec, out, nodes),
                "reached": [id(n) in walked for n in nodes]}  # through _prev from out

    # --- stage 3 -----------------------------------------------------------------------

    def topo(self, spec, root):
        build_topo = self.code.need("topo", "build_topo")
        nodes = self.build(spec)
        order, edges = walk(nodes[root])
        index = {id(n): i for i, n in enumerate(order)}
        got = build_topo(nodes[root])
        if not isinstance(got, (list, tuple)):
            return {"returned": type(got).__name__}
        spec_index = {id(n): i for i, n in enumerate(nodes)}
        return {"returned": "list", "edges": edges, "root": index[id(nodes[root])],
                "order": [index.get(id(n), -1) for n in got],
                "spec_index": [spec_index.get(id(n)) for n in order],
                "data": [plain(getattr(n, "data", None)) for n in order]}

    def backward(self, spec, out, pre_grads=None):
        """backward() on out; `pre_grads` {index: grad} are set on nodes first (backward()
        must add to them, as torch does)."""
        nodes = self.build(spec)
        root = nodes[out]
        for i, g in (pre_grads or {}).items():
            nodes[int(i)].grad = g
        backward = getattr(root, "backward", None)
        if backward is None:
            raise LearnerProblem("missing", "Value has no backward() method",
                                 name="Value.backward", stage=3)
        shadowed = "backward" in getattr(root, "__dict__", {})
        backward_at = [where(getattr(n, "_backward", None), self.code) for n in nodes]
        calls = record_calls(spec, nodes)
        walked = {id(n) for n in walk(root)[0]}
        backward()
        return {"nodes": self.describe(nodes), "shadowed": shadowed, "calls": calls,
                "backward_at": backward_at, "reached": [id(n) in walked for n in nodes],
                "method": [self.method_where(spec, i, nodes) if "op" in node else None
                           for i, node in enumerate(spec)]}


def challenge_methods(spec):
    """The Value methods of the optional challenge 2 that a graph's ops call."""
    for node in spec:
        if node.get("op") in ("log", "sigmoid"):
            yield node["op"]
        elif node.get("op") == "pow" and not isinstance(node["args"][0], int):
            yield "__rpow__"  # k ** v


def record_calls(spec, nodes):
    """Wrap the _backward of every op node of `spec` so that the order backward() calls them
    in is measured, not guessed from the grads: [spec index, ...], or None if a learner's
    Value does not allow it (a read-only _backward)."""
    calls = []
    for i, node in enumerate(nodes):
        original = getattr(node, "_backward", None)
        if "op" not in spec[i] or not callable(original):
            continue

        def counted(_i=i, _original=original):
            calls.append(_i)
            return _original()
        try:
            node._backward = counted
        except Exception:
            return None
    return calls
