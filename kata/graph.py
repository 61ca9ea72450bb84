"""Expression graphs as plain data, rebuilt from the learner's Values inside the child.

A graph is a list of nodes; a node refers to earlier nodes by index:
    {"leaf": 2.0, "label": "a"}           a learner Value made from a number
    {"arg": 0}                            (stage 0) the function's first argument
    {"op": "mul", "args": [0, {"num": 2}]} an operation; {"num": x} is a plain number
    {"op": "sum", "args": [0, 1, 2]}      (challenge 1) sum_values([...]), one node
Running an op uses Python's own operators, so `{"op": "sub", "args": [{"num": 1}, 0]}` is
`1 - v` and reaches the learner's __rsub__ (and `{"num": 2} ** v` their __rpow__), exactly
as the learner's own code would.
The judge rebuilds the same list in torch; nothing here knows what the right answer is.
"""
import math
import operator

BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
          "div": operator.truediv, "pow": operator.pow}
UNARY_VALUE = {"neg": operator.neg, "tanh": lambda v: v.tanh(), "exp": lambda v: v.exp(),
               "relu": lambda v: v.relu(),
               # the optional challenge 2's
               "log": lambda v: v.log(), "sigmoid": lambda v: v.sigmoid()}
UNARY_FLOAT = {"neg": operator.neg, "tanh": math.tanh, "exp": math.exp,
               "relu": lambda x: max(0.0, x)}

# The learner's method that Python calls for each op, by whether the left side is a Value.
METHOD = {"add": ("__add__", "__radd__"), "sub": ("__sub__", "__rsub__"),
          "mul": ("__mul__", "__rmul__"), "div": ("__truediv__", "__rtruediv__"),
          "pow": ("__pow__", "__rpow__"), "neg": ("__neg__", None), "tanh": ("tanh", None),
          "exp": ("exp", None), "relu": ("relu", None), "log": ("log", None),
          "sigmoid": ("sigmoid", None), "sum": ("sum_values", None)}


def operands(node, built):
    return [built[a] if isinstance(a, int) else a["num"] for a in node["args"]]


def apply(node, args, unary):
    op = node["op"]
    if op in BINARY:
        return BINARY[op](*args)
    if op == "sum":  # n-ary: the function comes with `unary` (the learner's, or torch's)
        return unary["sum"](args)
    return unary[op](args[0])


def method_name(node, built):
    """Which learner method Python dispatches to for this node."""
    direct, reflected = METHOD[node["op"]]
    first = node["args"][0]
    return direct if isinstance(first, int) else reflected


def build(spec, make_leaf, args=(), unary=UNARY_VALUE):
    """Run the graph; make_leaf(number, label) makes a leaf. Exceptions carry the node index."""
    built = []
    for index, node in enumerate(spec):
        try:
            if "leaf" in node:
                built.append(make_leaf(node["leaf"], node.get("label", "")))
            elif "arg" in node:
                built.append(args[node["arg"]])
            else:
                built.append(apply(node, operands(node, built), unary))
        except BaseException as exc:
            exc.kata_node = index
            raise
    return built


def evaluate_float(spec, args):
    """Stage 0's test functions: the same graphs on plain floats."""
    return build(spec, None, args, UNARY_FLOAT)[-1]


PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}
SYMBOL = {"add": " + ", "sub": " - ", "mul": "*", "div": "/", "pow": "**"}


WORDED = []  # [(spec, {node index: (formula, precedence)})], the latest first


def show(spec, index):
    """A graph node as a formula, e.g. `tanh(x1*w1 + x2*w2 + b)`, for messages."""
    # A node shared by many (a DAG) is worded once, not once per path to it; and the checks
    # ask for every node of a graph in turn, so the last few graphs' words are kept.
    said = next((words for graph, words in WORDED if graph is spec), None)
    if said is None:
        said = {}
        WORDED.insert(0, (spec, said))
        del WORDED[8:]

    def text(ref):
        """(formula, precedence) of one operand; atoms bind tightest."""
        if isinstance(ref, int):
            if ref not in said:
                said[ref] = worded(ref)
            return said[ref]
        return worded(ref)

    def worded(ref):
        if not isinstance(ref, int):
            return f"{ref['num']:g}", 9 if ref["num"] >= 0 else 3
        node = spec[ref]
        if "leaf" in node:
            return node.get("label") or f"{node['leaf']:g}", 9 if node["leaf"] >= 0 else 3
        if "arg" in node:
            return "xyzw"[node["arg"] % 4], 9
        op, args = node["op"], node["args"]
        if op == "sum":
            shown = [text(a)[0] for a in args[:4]] + (["..."] if len(args) > 4 else [])
            return f"sum_values([{', '.join(shown)}])", 9
        if op not in PRECEDENCE:
            return f"{op}({text(args[0])[0]})", 9
        mine = PRECEDENCE[op]
        parts = []
        for side, arg in enumerate(args):
            body, theirs = text(arg)
            # a - (b + c), a / (b * c), (a ** b) ** c: the right side needs brackets
            # even at equal precedence, and ** binds to the right.
            needs = theirs < mine or (theirs == mine and (side == 1) != (op == "pow"))
            parts.append(f"({body})" if needs else body)
        if op == "neg":
            return f"-{parts[0]}", mine
        return SYMBOL[op].join(parts), mine

    return text(index)[0]


def close(got, expected, rel=1e-6, abs_=1e-9):
    """The checks' tolerance: |got - expected| <= 1e-9 + 1e-6 |expected|, and got must be a
    plain number. Here, without torch, so that `grader.py graph` marks what the checks do."""
    if not isinstance(got, (int, float)):
        return False
    return abs(got - expected) <= abs_ + rel * abs(expected)
