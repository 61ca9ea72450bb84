"""Stage 0: derivative(f, x) and partial(f, args, i), by the definition of the slope.

Judged against torch autograd with a loose tolerance, |got - torch| <= 1e-3 max(1, |torch|),
so forward differences (f(x+h) - f(x))/h and central ones both pass.
"""
from graphs import num, op
from kata.graph import show
from mirror import mismatch_line, partial_slope, show_number, slope
from verdicts import CheckFailed

X = {"arg": 0}


def near(got, expected):
    """The stage-0 rule: |got - expected| <= 1e-3 * max(1, |expected|)."""
    return isinstance(got, (int, float)) and abs(got - expected) <= 1e-3 * max(1.0, abs(expected))


LECTURE_F = [X, op("pow", 0, num(2)), op("mul", 1, 3.0), op("mul", 0, 4.0), op("sub", 2, 3),
             op("add", 4, 5.0)]  # 3x**2 - 4x + 5

SMOOTH = {
    "x**3": [X, op("pow", 0, num(3))],
    "tanh(x)": [X, op("tanh", 0)],
    "exp(x)/2": [X, op("exp", 0), op("div", 1, 2.0)],
    "1/x": [X, op("div", 1.0, 0)],
}
POINTS = {"x**3": [-2.0, 0.5], "tanh(x)": [0.5, -1.0], "exp(x)/2": [1.0, -0.5],
          "1/x": [2.0, -1.5]}

LECTURE_D = [{"arg": 0}, {"arg": 1}, {"arg": 2}, op("mul", 0, 1), op("add", 3, 2)]  # a*b + c


def check_slope(learner, fn, x, name, h=None):
    args = {"fn": fn, "x": x} if h is None else {"fn": fn, "x": x, "h": h}
    call = f"derivative(f, {x:g})" if h is None else f"derivative(f, {x:g}, h={h:g})"
    got = learner.run(f"computing {call}", "derivative", **args)["value"]
    expected = slope(fn, x)
    if not near(got, expected):
        raise CheckFailed(f"{call} with f(x) = {name}\n{mismatch_line('slope', expected, got)}\n"
                          "Hint: the slope is (f(x + h) - f(x)) / h, with a small h.")


def test_derivative_of_lecture_function(learner):
    check_slope(learner, LECTURE_F, 3.0, show(LECTURE_F, len(LECTURE_F) - 1))


def test_derivative_of_smooth_functions(learner):
    for name, fn in SMOOTH.items():
        for x in POINTS[name]:
            check_slope(learner, fn, x, name)


def test_derivative_honours_h(learner):
    """A smaller h must still work: the slope is the limit, h is only how close we get.
    And h must be used: with a large h every difference formula visibly misses the slope."""
    check_slope(learner, LECTURE_F, -1.0, show(LECTURE_F, len(LECTURE_F) - 1), h=1e-6)
    cube, x, h = SMOOTH["x**3"], 1.0, 0.5
    got = learner.run(f"computing derivative(f, {x:g}, h={h:g})", "derivative",
                      fn=cube, x=x, h=h)["value"]
    f = lambda v: v ** 3  # noqa: E731
    differences = {"(f(x + h) - f(x)) / h": (f(x + h) - f(x)) / h,
                   "(f(x + h) - f(x - h)) / (2*h)": (f(x + h) - f(x - h)) / (2 * h),
                   "(f(x) - f(x - h)) / h": (f(x) - f(x - h)) / h,
                   "(f(x + h/2) - f(x - h/2)) / h": (f(x + h / 2) - f(x - h / 2)) / h}
    if not any(isinstance(got, (int, float)) and abs(got - d) <= 1e-9 * max(1.0, abs(d))
               for d in differences.values()):
        options = ", or ".join(f"{v:g} from {k}" for k, v in list(differences.items())[:2])
        raise CheckFailed(f"derivative(f, {x:g}, h={h:g}) with f(x) = x**3 gave "
                          f"{show_number(got)}; with this large h the slope by definition "
                          f"is {options}.\nHint: use the h you are given, not a fixed "
                          "step of your own.")


def test_partial_of_lecture_expression(learner):
    point = [2.0, -3.0, 10.0]
    for i, name in enumerate("abc"):
        got = learner.run(f"computing partial(f, {point}, {i})", "partial",
                          fn=LECTURE_D, args=point, i=i)["value"]
        expected = partial_slope(LECTURE_D, point, i)
        if not near(got, expected):
            raise CheckFailed(f"partial(f, {point}, {i}) with f(a, b, c) = a*b + c, i.e. the "
                              f"slope along {name}\n{mismatch_line('slope', expected, got)}\n"
                              f"Hint: add h to args[{i}] only; keep the others as they are.")


def test_partial_leaves_args_alone(learner):
    point = [0.5, 2.0, -1.0]
    fn = [{"arg": 0}, {"arg": 1}, {"arg": 2}, op("mul", 0, 1), op("tanh", 2), op("add", 3, 4)]
    for i in range(3):
        reply = learner.run(f"computing partial(f, {point}, {i})", "partial",
                            fn=fn, args=point, i=i)
        if reply["args_after"] != point:
            raise CheckFailed(f"partial(f, args, {i}) changed the list it was given:\n"
                              f"  before: {point}\n  after:  {reply['args_after']}\n"
                              "Hint: copy args (list(args)) and bump the copy.")
        expected = partial_slope(fn, point, i)
        if not near(reply["value"], expected):
            raise CheckFailed(f"partial(f, {point}, {i}) with f(x, y, z) = x*y + tanh(z)\n"
                              + mismatch_line("slope", expected, reply["value"]))
