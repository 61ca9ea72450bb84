"""Stage 0: the slope of a function, straight from the definition - no autograd yet.

    f'(x) ~ (f(x + h) - f(x)) / h        for a small step h

Everything later (Value, backward, training) computes these same slopes exactly;
this stage gives you something to check them against.

Grade it with `python grader.py stage0`.
"""


def derivative(f, x, h=0.0001):
    """Return the slope of the one-argument function f at x.

    Nudge x by h and see how far f moves, per unit of nudge: (f(x + h) - f(x)) / h.
    Example: f = lambda x: 3*x**2 - 4*x + 5 has slope 6*x - 4, so derivative(f, 3.0) ~ 14.
    """
    # TODO(stage 0): the definition above, as code
    raise NotImplementedError("stage 0: derivative")


def partial(f, args, i, h=0.0001):
    """Return the slope of f(*args) when only args[i] moves by h.

        df/d(args[i]) ~ (f(args with args[i] + h) - f(*args)) / h

    Every other argument stays put. Do not change `args` itself: build a bumped copy
    (the caller may reuse `args`, and it may be a tuple, which cannot change anyway).
    Example: f = lambda a, b, c: a*b + c; partial(f, (2.0, -3.0, 10.0), 0) ~ -3.0 (that is b).
    """
    # TODO(stage 0): evaluate f at args and at a copy with args[i] bumped by h
    raise NotImplementedError("stage 0: partial")
