"""Stage 1: Value's forward pass. Each op must give the right data, return a Value, keep
its operands reachable through _prev, and leave its inputs as they were."""
import re

import diagnose
import misconceptions as mc
import mirror
import pictures
from graphs import leaf, lecture_expression, num, op
from kata.graph import show
from kata.places import at
from verdicts import CheckFailed

A, B = leaf(2.0, "a"), leaf(-3.0, "b")
P = leaf(1.5, "p")  # a positive base, for non-integer powers


def check_forward(learner, spec):
    """Run a graph forward; every op node is compared with torch."""
    report = learner.run(f"computing {show(spec, len(spec) - 1)}", "forward", spec=spec)
    expected = [t.item() for t in mirror.build(spec)]
    with pictures.on_failure(
            lambda: pictures.graph(spec, len(spec) - 1, report["nodes"], expected)):
        judge_forward(spec, report, expected)


def judge_forward(spec, report, expected):
    for i, node in enumerate(spec):
        got = report["nodes"][i]
        formula = show(spec, i)
        if "leaf" in node:
            if got["data"] != node["leaf"] or got["grad"] != 0:
                raise CheckFailed(f"computing {show(spec, len(spec) - 1)} changed its input "
                                  f"{formula}: data {mirror.show_number(got['data'])}, grad "
                                  f"{mirror.show_number(got['grad'])} "
                                  f"(was {node['leaf']}, 0).\nHint: build a new Value for the "
                                  "result; never change self or other.")
            continue
        where = method_text(got.get("method"))
        if not got["is_value"]:
            raise CheckFailed(f"{formula} returned {mirror.show_number(got['data'])}, not a "
                              f"Value{where}.\nHint: return a new Value, e.g. Value(..., "
                              "(self, other), '+').")
        if not mirror.close(got["data"], expected[i]):
            raise CheckFailed(f"{formula} has the wrong data{where}\n"
                              + mirror.mismatch_line("data", expected[i], got["data"]),
                              diagnose.forward_data(spec, i, got["data"]))
        if not all(got["reaches"]) and got.get("cut_at"):
            # A Value made from the operand's plain number, somewhere inside the op: the
            # probe found it by moving the operand and seeing which childless Value moved.
            cut = got["cut_at"]
            here = [cut.get(k) for k in ("file", "line")] == \
                [(got.get("method") or {}).get(k) for k in ("file", "line")]
            raise CheckFailed(f"{formula}: an operand cannot be reached from the result "
                              f"through _prev{where}.\n"
                              + ("That Value was made from plain numbers, with no "
                                 "children, so" if here else "The graph is cut where a Value was made from "
                                 f"plain numbers, with no children:{method_text(cut)}\nSo")
                              + " backward() could never send the operand a gradient.",
                              mc.graph_cut(inside_operator(cut)))
        if not all(got["reaches"]):
            # No operand reached: a Value made without children. Some reached: the children
            # are there, but not the right ones, e.g. (self, self) for (self, other).
            raise CheckFailed(f"{formula}: an operand cannot be reached from the result "
                              f"through _prev{where}.\nSo backward() could never send it a "
                              "gradient: the graph is cut at this op.",
                              mc.graph_cut(inside_operator(got.get("method")))
                              if not any(got["reaches"]) else mc.wrong_children(node["op"]))
    return report


def inside_operator(site):
    """graph_cut's hint when the cut is in Value's own code: there `w * x` is no advice
    (it is the very operator), the children tuple is."""
    funcs = [site.get("func"), (site.get("via") or {}).get("func")] if site else []
    if any(str(f or "").startswith("Value.") for f in funcs):
        return mc.OPERATOR_CUT
    return None


def method_text(method):
    if method and method.get("file"):
        via = method.get("via")
        called = f", called from {via['func']} at {at(via['file'], via['line'])}" if via else ""
        return f"\n  (made by {method['func']} at {at(method['file'], method['line'])}{called})"
    if method and method.get("func"):
        return f"\n  (Python calls Value.{method['func']} here)"
    return ""


def test_value_holds_data(learner):
    for data in (2.0, 3, -0.5):
        got = learner.run(f"making Value({data!r})", "value_basics", data=data)
        if got["data"] != data or got["grad"] != 0:
            raise CheckFailed(f"Value({data!r}) has data {mirror.show_number(got['data'])}, "
                              f"grad {mirror.show_number(got['grad'])}; "
                              f"expected data {data!r}, grad 0.")
        if got["prev_len"] is None and got["children_elsewhere"]:
            raise CheckFailed(
                f"Value({data!r}) has no _prev: the graph is followed through _prev (by the "
                f"grader, and by backward() and build_topo), and this Value keeps its children "
                f"in {got['children_elsewhere']} instead.\nHint: in __init__, "
                f"self._prev = set({got['children_elsewhere']}).")
        if got["prev_len"] is None:
            what = "has no _prev" if got["prev_kind"] == "missing" else \
                f"has a _prev that is a {got['prev_kind']}, not a set or tuple"
            raise CheckFailed(f"Value({data!r}) {what}: _prev holds the Values it was made "
                              "from (empty for a leaf).\nHint: in __init__, "
                              "self._prev = set(_children), with _children=() by default.")
        if got["prev_len"] != 0:
            raise CheckFailed(f"Value({data!r}) should be a leaf, with an empty _prev; it has "
                              f"{got['prev_len']} children.")
        if not got["backward_callable"]:
            raise CheckFailed(f"Value({data!r})._backward is not a function. backward() calls "
                              "_backward() on every node, leaves too, so a leaf needs one that "
                              "does nothing: self._backward = lambda: None.")
        if got["grad_after_backward"] != 0:
            raise CheckFailed(f"Value({data!r})._backward() changed grad to "
                              f"{mirror.show_number(got['grad_after_backward'])}: a leaf's "
                              "_backward must do nothing.")
        if " object at 0x" in got["repr"]:
            raise CheckFailed(f"repr(Value({data!r})) is {got['repr']!r}: define __repr__ so "
                              f"that it shows the data, e.g. Value(data={data!r}).")
        if not shows_number(got["repr"], data):
            raise CheckFailed(f"repr(Value({data!r})) is {got['repr']!r}: it should show the "
                              f"data, {data!r}, in any format.")


NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def shows_number(text, data):
    """Whether `text` writes `data` in some format (2, 2.0, 2.000e+00, -0.5000...)."""
    return any(abs(float(n) - data) <= 1e-3 * max(1.0, abs(data)) for n in NUMBER.findall(text))


def test_add(learner):
    check_forward(learner, [A, B, op("add", 0, 1)])
    check_forward(learner, [A, op("add", 0, 0)])


def test_mul(learner):
    check_forward(learner, [A, B, op("mul", 0, 1)])
    check_forward(learner, [B, op("mul", 0, 0)])


def test_pow(learner):
    for k in (2, 3, -1, 0, 2.5, -0.5):
        check_forward(learner, [P, op("pow", 0, num(k))])
    check_forward(learner, [B, op("pow", 0, num(3))])


def test_neg_and_sub(learner):
    check_forward(learner, [A, op("neg", 0)])
    check_forward(learner, [A, B, op("sub", 0, 1)])
    check_forward(learner, [A, op("sub", 0, 0)])


def test_div(learner):
    check_forward(learner, [A, B, op("div", 0, 1)])
    check_forward(learner, [B, A, op("div", 0, 1)])


def test_tanh(learner):
    for x in (0.5, -1.2, 3.0):
        check_forward(learner, [leaf(x, "a"), op("tanh", 0)])


def test_exp(learner):
    for x in (1.0, -0.7, 2.5):
        check_forward(learner, [leaf(x, "a"), op("exp", 0)])


def test_relu(learner):
    for x in (1.5, -2.0):
        check_forward(learner, [leaf(x, "a"), op("relu", 0)])


def test_numbers_on_either_side(learner):
    for name in ("add", "sub", "mul", "div"):
        check_forward(learner, [A, op(name, 0, num(2))])      # v + 2: numbers get wrapped
        check_forward(learner, [A, op(name, num(3), 0)])      # 3 - v: the reflected __rsub__
        check_forward(learner, [B, op(name, 1.5, 0)])


def test_lecture_expression(learner):
    check_forward(learner, lecture_expression())
