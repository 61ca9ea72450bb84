"""Recognising a classic mistake by its signature in the numbers the probes measured.

Every signature is computed from the check's own torch mirror of each op (what a given
wrong formula would have produced), never from the learner's _op strings or set order.
"""
import math

import misconceptions as mc
import mirror

TOLERANCE = dict(rel=1e-6, abs_=1e-9)


def same(got, want):
    return mirror.close(got, want, **TOLERANCE)


def is_function(x):
    return isinstance(x, dict) and x.get("callable")


# --- one op's _backward (stage 2, and stage 3's first wrong node) -------------------------

def alternatives(spec, out, out_grad):
    """(what the wrong formula was, {leaf: contribution}) for the classic slips of this op."""
    node = spec[out]
    op, args = node["op"], node["args"]
    data = [n.item() for n in mirror.build(spec)]
    value = [data[a] if isinstance(a, int) else a["num"] for a in args]
    leaf = [a if isinstance(a, int) else None for a in args]
    if len([x for x in leaf if x is not None]) != len({x for x in leaf if x is not None}):
        return []  # a leaf used twice: its per-use contributions are judged elsewhere
    g = out_grad
    found = []

    def alt(text, **by_position):
        contributions = {leaf[int(p[1:])]: c for p, c in by_position.items()
                         if leaf[int(p[1:])] is not None}
        if contributions:
            found.append((text, contributions))

    if op == "tanh":
        t = math.tanh(value[0])
        alt("d tanh(x)/dx is 1 - t**2 with t = tanh(x); your code computes 1 - t.",
            p0=(1 - t) * g)
        alt("d tanh(x)/dx is 1 - t**2 with t = tanh(x) (the output), not 1 - x**2.",
            p0=(1 - value[0] ** 2) * g)
    elif op == "exp":
        alt("d exp(x)/dx is exp(x), i.e. out.data; your code uses the input x.",
            p0=value[0] * g)
    elif op == "pow":
        x, k = value
        alt("d x**k/dx is k * x**(k - 1); your code is missing the - 1 in the power.",
            p0=k * x ** k * g)
        alt("d x**k/dx is k * x**(k - 1); your code is missing the factor k.",
            p0=x ** (k - 1) * g)
    elif op == "mul":
        alt("d(a*b)/da is b and d(a*b)/db is a: each factor's gradient uses the OTHER "
            "factor's data.", p0=value[0] * g, p1=value[1] * g)
    elif op == "div":
        a, b = value
        alt("d(a/b)/db is -a / b**2, not 1 / b.", p1=g / b)
        alt("d(a/b)/db is -a / b**2, not a / b**2 (the minus sign is missing).",
            p1=a * g / b ** 2)
    elif op == "relu":
        alt("d relu(x)/dx is 1 where x > 0 (else 0), not out.data.", p0=max(0.0, value[0]) * g)
    elif op == "sub":
        alt("d(a - b)/db is -1, not +1.", p1=g)
    elif op == "neg":
        alt("d(-a)/da is -1, not +1.", p0=g)
    return found


OP_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "neg": "unary -",
             "tanh": "tanh", "exp": "exp", "relu": "relu"}


def local(spec, out, grads_got, out_grad, pre_grads=None, op_backward_ran=None):
    """The misconception behind wrong leaf grads after one op's _backward, or None.

    grads_got: {leaf index: grad the learner's code left}; pre_grads: grads set before;
    op_backward_ran: whether a _backward of the learner's operators ran (None: unknown).
    """
    pre = pre_grads or {}
    _, torch_grads = mirror.gradients(spec, out, out_grad)
    leaves = [i for i in grads_got if i < len(spec) and "leaf" in spec[i]]
    want = {i: torch_grads[i] + pre.get(i, 0.0) for i in leaves}
    got = grads_got
    wrong = [i for i in leaves if not same(got[i], want[i])]
    if not wrong:
        return None
    if any(is_function(got[i]) for i in leaves):
        return mc.grad_is_function()
    if not all(isinstance(got[i], (int, float)) for i in wrong):
        return None
    contribution = {i: got[i] - pre.get(i, 0.0) for i in leaves}
    if all(same(contribution[i], 0.0) for i in wrong):
        # Nothing arrived. If the op's own _backward ran, it was attached and computed 0
        # (say, from other.grad instead of other.data): no name fits that for sure.
        return mc.backward_not_attached() if not op_backward_ran else None
    if out_grad != 1 and all(same(contribution[i], torch_grads[i] / out_grad) for i in wrong):
        return mc.chain_rule_dropped()
    if any(pre.get(i) for i in wrong) and all(same(got[i], torch_grads[i]) for i in wrong):
        return mc.overwritten()
    uses = {i: n for i, n in count_uses(spec, out).items() if n > 1}
    if uses and all(i in uses for i in wrong):
        per_use = split_uses(spec, out, out_grad)
        if all(any(same(contribution[i], c) for c in per_use[i]) for i in wrong):
            return mc.overwritten()
    symbol = OP_SYMBOL.get(spec[out].get("op"), spec[out].get("op"))
    for text, alt in alternatives(spec, out, out_grad):
        if set(wrong) <= set(alt) and all(same(contribution[i], alt[i]) for i in wrong):
            return mc.wrong_local_derivative(symbol, text)
    return None


OP_METHODS = {"add": ("__add__", "__radd__"), "sub": ("__sub__", "__rsub__"),
              "mul": ("__mul__", "__rmul__"), "div": ("__truediv__", "__rtruediv__"),
              "pow": ("__pow__",), "neg": ("__neg__",), "tanh": ("tanh",), "exp": ("exp",),
              "relu": ("relu",)}


def own_derivative(found, op, backward_at):
    """A 'wrong local derivative of /' is only true if / has a _backward of its own that
    ran: a / built from * and ** (as the lecture does) gets its derivative from theirs."""
    if found is None or not found.name.startswith("wrong local derivative of"):
        return found
    methods = OP_METHODS.get(op, ())
    ran = [r for r in backward_at or () if not r.get("default")]
    return found if any(set(r["func"].split(".")) & set(methods) for r in ran) else None


# Names that rest on numbers alone, so a coincidence at one set of values could fake them.
BY_NUMBERS = ("chain rule dropped", "wrong local derivative of", "gradient overwritten")


def moved_elsewhere(spec, out, out_grad):
    """The same op at other values: every leaf scaled by 1.23 (sign, and so the branch of
    relu, and the domain of ** kept), out.grad moved off 1 and off every input."""
    spec = [dict(n, leaf=round(n["leaf"] * 1.23, 6)) if "leaf" in n else n for n in spec]
    node = spec[out]
    if node.get("op") == "pow" and float(node["args"][1]["num"]).is_integer():
        # another whole exponent too: at k = 2, out.data ** (k - 1) is x ** k exactly
        spec[out] = dict(node, args=[node["args"][0], {"num": node["args"][1]["num"] + 1}])
    data = {n["leaf"] for n in spec if "leaf" in n}
    other = next(g for g in (0.85, 2.35, 0.55) if g != out_grad and g not in data)
    return spec, other


def confirmed(found, spec, out, out_grad, rerun, pre_grads=None):
    """Keep a name that rests on numbers only if the op, run again at other values
    (`rerun(spec, out_grad, pre_grads)` -> {leaf: grad}, or None), gives the same name."""
    if found is None or not found.name.startswith(BY_NUMBERS):
        return found
    spec2, out_grad2 = moved_elsewhere(spec, out, out_grad)
    got = rerun(spec2, out_grad2, pre_grads)
    if got is None:
        return None
    again = local(spec2, out, got, out_grad2, pre_grads)
    return found if again == found else None


def rerun_with(learner):
    """Run one op's _backward again, at other values: {leaf: grad}, or None."""
    def rerun(spec, out_grad, pre_grads):
        report = learner.experiment("local_backward", spec=spec, out=len(spec) - 1,
                                    out_grad=out_grad,
                                    pre_grads={str(i): g for i, g in (pre_grads or {}).items()})
        return report and {i: report["nodes"][i]["grad"] for i, n in enumerate(spec)
                           if "leaf" in n}
    return rerun


def all_right(spec, out_grad, got):
    """Are these {leaf: grad} what torch gives the op at spec's end, from out_grad?"""
    _, right = mirror.gradients(spec, len(spec) - 1, out_grad)
    return got is not None and all(mirror.close(got[i], right[i]) for i in got)


def grad_for_data(spec, out, got, out_grad, rerun):
    """mul's _backward reading an operand's .grad where its .data belongs. With every grad 0
    beforehand, the wrong contributions are 0 (as if nothing were attached); run again with
    grads set beforehand, each wrong one follows the other operand's grad instead."""
    node = spec[out]
    args = node.get("args", [])
    if node.get("op") != "mul" or len(args) != 2 or not all(isinstance(a, int) for a in args) \
            or args[0] == args[1]:
        return None
    _, want = mirror.gradients(spec, out, out_grad)
    wrong = [i for i in args if not same(got[i], want[i])]
    if not wrong or not all(isinstance(got[i], (int, float)) and same(got[i], 0.0)
                            for i in wrong):
        return None
    pre = dict(zip(args, (0.25, -0.75)))  # away from every operand's data
    again = rerun(spec, out_grad, pre)
    if again is None or not all(isinstance(again[i], (int, float)) for i in args):
        return None
    other = {args[0]: args[1], args[1]: args[0]}
    follows = all(any(same(again[i] - pre[i], g * out_grad)
                      for g in (pre[other[i]], again[other[i]])) for i in wrong)
    return mc.grad_for_data() if follows else None


def count_uses(spec, out):
    counts = {}
    for a in spec[out]["args"]:
        if isinstance(a, int):
            counts[a] = counts.get(a, 0) + 1
    return counts


def separate_uses(spec, out):
    """The op at `out` with each use of an operand its own leaf: (spec, [(leaf, copy)])."""
    node = spec[out]
    extended = list(spec[:out])
    args, owner = [], []
    for a in node["args"]:
        if isinstance(a, int):
            owner.append((a, len(extended)))
            args.append(len(extended))
            extended.append(spec[a])
        else:
            args.append(a)
    extended.append({"op": node["op"], "args": args})
    return extended, owner


def split_uses(spec, out, out_grad):
    """{leaf: [contribution of each use]} of the op at `out`, each use its own torch leaf."""
    extended, owner = separate_uses(spec, out)
    _, grads = mirror.gradients(extended, len(extended) - 1, out_grad)
    per_use = {}
    for leaf, copy in owner:
        per_use.setdefault(leaf, []).append(grads[copy])
    return per_use


# --- forward (stage 1) ----------------------------------------------------------------------

REFLECTED = {"sub": ("__rsub__", "__sub__", "-"), "div": ("__rtruediv__", "__truediv__", "/")}


def forward_data(spec, i, got):
    """Operands swapped in - or /: the data equals the op with its operands the other way."""
    node = spec[i]
    if node.get("op") not in REFLECTED or not isinstance(got, (int, float)):
        return None
    swapped = dict(node, args=list(reversed(node["args"])))
    value = mirror.build(spec[:i] + [swapped])[-1].item()
    right = mirror.build(spec[:i + 1])[-1].item()
    if same(got, value) and not same(value, right):
        reflected, direct, symbol = REFLECTED[node["op"]]
        method = reflected if not isinstance(node["args"][0], int) else direct
        return mc.operands_swapped(method, symbol)
    return None
