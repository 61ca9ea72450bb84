"""Optional challenge 1: backward() on graphs far deeper and wider than the lecture's.

A chain 2,000 ops long (past Python's recursion limit) is compared with torch node for
node; a chain of 100,000 ops and a sum_values of 100,000 nodes must finish within a time
limit of their own, with the gradients a float64 twin of the same recurrence gives (torch
would take seconds to build the same 100,000-node graph; the self-tests compare the two).
"""
import math
import re

import misconceptions as mc
import mirror
from graphs import leaf, op
from test_stage3_backprop import check_backward
from verdicts import CheckFailed

LIMIT = 20.0  # seconds for each 100,000-node probe; the reference takes well under one
# x -> -(x * 1.25 + 0.5) / 1.25 + 0.25) * 1.001 ...: every kind of op, a gradient of about 1.5
SHORT_CYCLE = [op("mul", 0, 1.25), op("add", 0, 0.5), op("div", 0, 1.25), op("sub", 0, 0.25),
               op("neg", 0), op("mul", 0, 1.001)]
SHORT = 2000
LONG_CYCLE = [op("mul", 0, 1.00001), op("add", 0, 0.5)]  # d out/dx = 1.00001 ** 50,000
LONG = 100_000
WIDE = 100_000
WIDE_DATA = [round(((i * 37) % 101 - 50) / 25, 2) for i in range(101)]
WIDE_PICKS = [0, 1, 2, 50, 100, 101, 12_345, 50_000, 77_777, WIDE - 1]


@mirror.remembered
def torch_chain(start, cycle, n):
    """(data, d end/d x) of the chain in torch: x a float64 leaf, then n ops of `cycle`."""
    x = mirror.leaf(start)
    v = x
    for k in range(n):
        v = mirror.apply(cycle[k % len(cycle)], [v])
    v.backward()
    return v.item(), x.grad.item()


def chain_by_hand(start, cycle, n):
    """The same as torch_chain for a cycle of add and mul by numbers, in plain float64."""
    v, grad = float(start), 1.0
    for k in range(n):
        node = cycle[k % len(cycle)]
        number = node["args"][1]["num"]
        if node["op"] == "mul":
            v, grad = v * number, grad * number
        else:
            v = v + number
    return v, grad


def depth_failure(problem, depth, summed=False):
    """A big graph's failure, named when it is Python's recursion limit (or the C stack
    behind it) that stopped backward(), or said plainly when it was only too slow."""
    text = str(problem)
    if "RecursionError" in text:
        in_topo = "topo" in text.lower()
        text = text.split("\nA function calls itself without end")[0]  # not endless here
        return CheckFailed(text, mc.recursion_too_deep(depth, in_topo, summed))
    if "killed by signal 11" in text:
        return CheckFailed(text + "\nA crash this deep is the C stack running out under a "
                           "recursion (sys.setrecursionlimit lets it go that far).",
                           mc.recursion_too_deep(depth))
    stuck = text.partition("It was still running")[2]
    if "did not finish within" in text and WALKING.search(stuck):
        # stuck walking the graph: not endless, a walk that grows with n * n
        return CheckFailed(ENDLESS.sub(SLOW, text), problem.diagnosis)
    return problem


WALKING = re.compile(r" in \S*(topo|backward|visit|walk|dfs)", re.I)


ENDLESS = re.compile(r"an endless loop, a cycle in _prev, or a lot of printing\? If it is only "
                     r"slow, the same command with --timeout \S+ gives it more time\.")
SLOW = ("the reference takes about a second here. Is `visited` a list? Then each "
        "`node in visited` looks through the whole list: 100,000 nodes make that 10 billion "
        "steps, where a set answers at once.")


def after_a_timeout(learner):
    """One 100,000-node graph that ran out of time is enough waiting: the other would too."""
    if learner.timeouts:
        raise CheckFailed("not run: a graph of 100,000 nodes above ran out of time (see that "
                          "check); this one would wait as long. Fix that first.")


def run_chain(learner, start, cycle, n, title, limit=None):
    learner.require_started()
    try:
        return learner.run(f"building {title} and calling backward() on it", "chain",
                           limit=limit, start=start, cycle=cycle, n=n)
    except CheckFailed as problem:
        raise depth_failure(problem, n) from None


def judge_chain(report, want_data, want_grad, title):
    if report["recursion_limit"] > report["limit_before"]:
        raise CheckFailed(f"backward() on {title} finished, but only because your code raised "
                          f"Python's recursion limit from {report['limit_before']:,} to "
                          f"{report['recursion_limit']:,}.",
                          mc.recursion_limit_raised(report["recursion_limit"]))
    lines = []
    if not mirror.close(report["data"], want_data):
        lines.append(mirror.mismatch_line("out.data", want_data, report["data"]))
    if not mirror.close(report["grad"], want_grad):
        lines.append(mirror.mismatch_line("x.grad", want_grad, report["grad"]))
    if lines:
        raise CheckFailed(f"backward() on {title}:\n" + "\n".join(lines))


def test_sum_values_against_torch(learner):
    """sum_values(values): one node, every value its child; a value listed twice counts
    twice."""
    a, b, c = leaf(1.5, "a"), leaf(-2.0, "b"), leaf(0.5, "c")
    check_listed_twice(learner, a, b)
    check_backward(learner, [a, b, c, op("sum", 0, 1, 2)], "sum_values([a, b, c])")
    spec = [a, b, c, op("mul", 0, 1), {"op": "sum", "args": [3, 2, 0, 3]}, op("tanh", 4)]
    check_backward(learner, spec, "tanh(sum_values([a*b, c, a, a*b]))")
    check_backward(learner, [a, op("sum", 0), op("mul", 1, 1)], "sum_values([a]) squared")


def check_listed_twice(learner, a, b):
    """s = sum_values([a, b, a]), out = s * a: d out/da = s + 2a. A _backward that loops
    over _prev (a set) gives a only s + a; one that assigns (=) wipes the s that the
    product gave first, leaving a. Told apart here, where both give other numbers."""
    spec = [a, b, op("sum", 0, 1, 0), op("mul", 2, 0)]
    title = "sum_values([a, b, a]) * a"
    report = learner.run(f"calling backward() on {title}", "backward", spec=spec, out=3)
    data, grads = mirror.gradients(spec, 3)
    got = report["nodes"][0]["grad"]
    if mirror.close(got, grads[0]) and mirror.close(report["nodes"][3]["data"], data[3]):
        return
    s, x = data[2], data[0]
    named = mc.sum_over_prev() if mirror.close(got, s + x) else \
        mc.overwritten() if mirror.close(got, x) else None
    if named is None:  # anything else: the node-by-node story of check_backward
        check_backward(learner, spec, title)
    raise CheckFailed(f"backward() on {title}, a = {x:g}, b = {data[1]:g}:\n"
                      + mirror.mismatch_line("a.grad", grads[0], got)
                      + f"\n  (a is listed twice in the sum: d(sum)/da = 2, so a.grad = "
                      f"s + 2a = {grads[0]:g})", named)


def test_chain_2000_ops_deep_against_torch(learner):
    """Past Python's recursion limit of about 1,000 calls: a recursive build_topo stops."""
    title = f"a chain {SHORT:,} ops long (x * 1.25 + 0.5, / 1.25, - 0.25, negated, ...)"
    report = run_chain(learner, 0.3, SHORT_CYCLE, SHORT, title)
    judge_chain(report, *torch_chain(0.3, SHORT_CYCLE, SHORT), title)


def test_chain_of_100000_ops(learner):
    title = f"a chain of {LONG:,} ops (x * 1.00001, then + 0.5, by turns)"
    after_a_timeout(learner)
    report = run_chain(learner, 0.3, LONG_CYCLE, LONG, title, limit=LIMIT)
    judge_chain(report, *chain_by_hand(0.3, LONG_CYCLE, LONG), title)


def test_wide_sum_of_100000_nodes(learner):
    title = f"sum_values of {WIDE:,} squares x_i * x_i"
    after_a_timeout(learner)
    try:
        report = learner.run(f"building {title} and calling backward() on it", "wide_sum",
                             limit=LIMIT, data=WIDE_DATA, n=WIDE, picks=WIDE_PICKS)
    except CheckFailed as problem:
        raise depth_failure(problem, WIDE, summed=True) from None
    if not report["is_value"]:
        raise CheckFailed(f"sum_values returned {mirror.show_number(report['data'])}, not a "
                          "Value: it must return one new Value whose children are the values.")
    if report["children"] != WIDE:
        raise CheckFailed(f"sum_values of {WIDE:,} values returned a Value with "
                          f"{report['children']:,} of them as its children, not all {WIDE:,}.",
                          mc.sum_as_chain(report["children"], WIDE))
    data = [WIDE_DATA[i % len(WIDE_DATA)] for i in range(WIDE)]
    lines = []
    want = math.fsum(d * d for d in data)
    if not mirror.close(report["data"], want):
        lines.append(mirror.mismatch_line("out.data", want, report["data"]))
    for i, got in zip(WIDE_PICKS, report["picked"]):
        if not mirror.close(got, 2 * data[i]):
            lines.append(mirror.mismatch_line(f"x_{i}.grad (x_{i}.data = {data[i]:g})",
                                              2 * data[i], got))
    if report["numbers"] != WIDE:
        lines.append(f"  {WIDE - report['numbers']:,} of the {WIDE:,} x_i.grad are not numbers")
    total = math.fsum(2 * d for d in data)
    if not lines and not mirror.close(report["total"], total, rel=1e-6, abs_=1e-6):
        lines.append(mirror.mismatch_line("the sum of every x_i.grad", total, report["total"])
                     + " (so some x_i.grad are wrong)")
    if lines:
        raise CheckFailed(f"backward() on {title}:\n" + "\n".join(lines[:8]))
