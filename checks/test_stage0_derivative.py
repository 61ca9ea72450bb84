"""Stage 0: derivative(f, x) and partial(f, args, i), by the definition of the slope.

Judged against torch autograd with a loose tolerance, |got - torch| <= 1e-3 max(1, |torch|),
so forward differences (f(x+h) - f(x))/h and central ones both pass.
"""
import misconceptions as mc
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
        raise CheckFailed(f"{call} with f(x) = {name}\n{mismatch_line('slope', expected, got)}"
                          "\nHint: the slope is (f(x + h) - f(x)) / h, with a small h.",
                          not_divided(learner))


CUBE_AT_1 = {"fn": [X, op("pow", 0, num(3))], "x": 1.0, "h": 0.5}  # f(x) = x**3


def differences(f, x, h):
    """Each way of writing the slope by definition, at x with step h."""
    return {"(f(x + h) - f(x)) / h": (f(x + h) - f(x)) / h,
            "(f(x + h) - f(x - h)) / (2*h)": (f(x + h) - f(x - h)) / (2 * h),
            "(f(x) - f(x - h)) / h": (f(x) - f(x - h)) / h,
            "(f(x + h/2) - f(x - h/2)) / h": (f(x + h / 2) - f(x - h / 2)) / h}


def not_divided(learner):
    """The slope without its `/ h`: checked with a large h given, where every difference
    formula, undivided, gives a number of its own."""
    got = learner.experiment("derivative", **CUBE_AT_1)
    x, h = CUBE_AT_1["x"], CUBE_AT_1["h"]
    undivided = [d * h for d in differences(lambda v: v ** 3, x, h).values()]
    if got and any(isinstance(got["value"], (int, float)) and abs(got["value"] - u) <= 1e-9
                   for u in undivided):
        return mc.slope_not_divided()
    return None


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
    x, h = CUBE_AT_1["x"], CUBE_AT_1["h"]
    got = learner.run(f"computing derivative(f, {x:g}, h={h:g})", "derivative",
                      **CUBE_AT_1)["value"]
    ways = differences(lambda v: v ** 3, x, h)
    if not any(isinstance(got, (int, float)) and abs(got - d) <= 1e-9 * max(1.0, abs(d))
               for d in ways.values()):
        options = ", or ".join(f"{v:g} from {k}" for k, v in list(ways.items())[:2])
        raise CheckFailed(f"derivative(f, {x:g}, h={h:g}) with f(x) = x**3 gave "
                          f"{show_number(got)}; with this large h the slope by definition "
                          f"is {options}.\nHint: use the h you are given, not a fixed step "
                          "of your own.", not_divided(learner))


def same_point(got, expected):
    """A slope of exactly 0 where it is not: f was evaluated at one point twice."""
    return isinstance(got, (int, float)) and got == 0 and expected != 0


def test_partial_of_lecture_expression(learner):
    point = [2.0, -3.0, 10.0]
    for i, name in enumerate("abc"):
        got = learner.run(f"computing partial(f, {point}, {i})", "partial",
                          fn=LECTURE_D, args=point, i=i)["value"]
        expected = partial_slope(LECTURE_D, point, i)
        if not near(got, expected):
            raise CheckFailed(f"partial(f, {point}, {i}) with f(a, b, c) = a*b + c, i.e. the "
                              f"slope along {name}\n{mismatch_line('slope', expected, got)}"
                              + ("" if same_point(got, expected) else
                                 f"\nHint: the slope along {name} is (f at args with h added "
                                 f"to args[{i}] only, minus f at args) / h."),
                              mc.same_point_twice() if same_point(got, expected) else None)


def test_partial_leaves_args_alone(learner):
    point = [0.5, 2.0, -1.0]
    fn = [{"arg": 0}, {"arg": 1}, {"arg": 2}, op("mul", 0, 1), op("tanh", 2), op("add", 3, 4)]
    for i in range(3):
        reply = learner.run(f"computing partial(f, {point}, {i})", "partial",
                            fn=fn, args=point, i=i)
        if reply["args_after"] != point:
            raise CheckFailed(f"partial(f, args, {i}) changed the list it was given:\n"
                              f"  before: {point}\n  after:  {reply['args_after']}\n"
                              "Hint: copy args (list(args)) and bump the copy.",
                              mc.partial_in_place())
        expected = partial_slope(fn, point, i)
        if not near(reply["value"], expected):
            raise CheckFailed(f"partial(f, {point}, {i}) with f(x, y, z) = x*y + tanh(z)\n"
                              + mismatch_line("slope", expected, reply["value"]),
                              mc.same_point_twice() if same_point(reply["value"], expected)
                              else None)
        # The stub's own example passes a tuple, which cannot be bumped in place.
        reply = learner.run(f"computing partial(f, {tuple(point)}, {i}) (args as a tuple)",
                            "partial", fn=fn, args=point, i=i, as_tuple=True)
        if not near(reply["value"], expected):
            raise CheckFailed(f"partial(f, {tuple(point)}, {i}) with args as a tuple\n"
                              + mismatch_line("slope", expected, reply["value"]))
