"""Optional challenge 2: ops that stay right where a textbook formula overflows.

tanh at |x| = 1000 (the exp formula overflows there), log, a sigmoid stable for both signs
and k ** v (__rpow__, the gradient with respect to the exponent), forward and backward,
each against torch on graphs run through the learner's backward().
"""
import math

import misconceptions as mc
import mirror
from graphs import leaf, op
from test_stage3_backprop import check_backward
from verdicts import CheckFailed


def rpow(base, node):
    """k ** v: a plain number raised to a Value, which reaches the learner's __rpow__."""
    return {"op": "pow", "args": [{"num": base}, node]}


def test_tanh_at_large_inputs(learner):
    """tanh(1000) is 1.0 and its gradient 0: math.tanh gets there; exp(2000) overflows."""
    learner.require_started()
    for x in (1000.0, -1000.0, 30.0, -0.5):
        check_backward(learner, [leaf(x, "x"), op("tanh", 0)], f"tanh(x) at x = {x:g}")
    spec = [leaf(400.0, "a"), leaf(3.0, "b"), op("mul", 0, 1), op("tanh", 2), op("mul", 3, 1)]
    check_backward(learner, spec, "tanh(a*b)*b with a*b = 1200")


def test_log(learner):
    for x in (2.5, 0.1, 1.0, 1e6):
        check_backward(learner, [leaf(x, "x"), op("log", 0)], f"log(x) at x = {x:g}")
    spec = [leaf(1.5, "a"), leaf(-2.0, "b"), op("mul", 0, 0), op("exp", 1), op("add", 2, 3),
            op("log", 4), op("mul", 5, 0)]
    check_backward(learner, spec, "log(a*a + exp(b)) * a")


def test_sigmoid(learner):
    """sigmoid(x) = 1 / (1 + exp(-x)); at x = -1000 exp(-x) overflows, at x = 1000 exp(x)
    does: a stable sigmoid never takes exp of a large positive number."""
    for x in (0.5, -3.0, 0.0, 40.0, 1000.0, -1000.0):
        check_backward(learner, [leaf(x, "x"), op("sigmoid", 0)], f"sigmoid(x) at x = {x:g}")
    spec = [leaf(0.7, "a"), leaf(-1.2, "b"), op("mul", 0, 1), op("sigmoid", 2),
            op("mul", 3, 0), op("sigmoid", 4)]
    check_backward(learner, spec, "sigmoid(sigmoid(a*b) * a)")


def check_rpow_at(learner, base, x):
    """k ** x alone: its gradient, with the two classic slips named (the ln k left out;
    the power rule of x ** k, where x is the base, used for the exponent)."""
    spec, title = [leaf(x, "x"), rpow(base, 0)], f"{base:g} ** x at x = {x:g}"
    report = learner.run(f"calling backward() on {title}", "backward", spec=spec, out=1)
    got, value = report["nodes"][0]["grad"], base ** x
    if mirror.close(got, value * math.log(base)) or not mirror.close(
            report["nodes"][1]["data"], value):
        check_backward(learner, spec, title)  # right, or the forward is wrong: its story
        return
    slips = {"the ln(k) is missing: d(k ** a)/da = k ** a * ln(k), and ln(k) is "
             "math.log(k)": value,
             "that is the power rule of a ** k, where the Value is the base; here the Value "
             "is the exponent: d(k ** a)/da = k ** a * ln(k)": x * base ** (x - 1)}
    named = next((mc.wrong_local_derivative("k ** a", text) for text, wrong in slips.items()
                  if mirror.close(got, wrong)), None)
    raise CheckFailed(f"backward() on {title}:\n"
                      + mirror.mismatch_line("x.grad", value * math.log(base), got), named)


def test_rpow(learner):
    """k ** v for a plain number k: d(k ** a)/da = k ** a * ln(k)."""
    for base in (2.0, 0.5, math.e, 10.0):
        check_rpow_at(learner, base, 1.5)
    spec = [leaf(0.5, "a"), leaf(-1.5, "b"), op("mul", 0, 1), rpow(3.0, 2), op("mul", 3, 0),
            rpow(2.0, 1), op("add", 4, 5)]
    check_backward(learner, spec, "3 ** (a*b) * a + 2 ** b")


def test_all_of_them_together(learner):
    spec = [leaf(0.8, "a"), leaf(2.0, "b"), op("log", 1), op("sigmoid", 0), op("mul", 2, 3),
            rpow(2.0, 4), op("tanh", 5), op("mul", 6, 0), op("add", 7, 2)]
    check_backward(learner, spec, "tanh(2 ** (log(b) * sigmoid(a))) * a + log(b)")
