"""Stage 0: the slope of a function, straight from the definition."""


def derivative(f, x, h=0.0001):
    """Slope of f at x: (f(x + h) - f(x)) / h, for a small step h."""
    return (f(x + h) - f(x)) / h


def partial(f, args, i, h=0.0001):
    """Slope of f(*args) when only args[i] moves by h; the other arguments stay put."""
    args = list(args)
    bumped = list(args)
    bumped[i] = bumped[i] + h
    return (f(*bumped) - f(*args)) / h
