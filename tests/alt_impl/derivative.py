"""Stage 0 by central difference: a correct slope, and a smaller error than the forward one."""


def derivative(f, x, h=0.0001):
    # Stepping both ways cancels the curvature term, so the error shrinks like h**2.
    return (f(x + h) - f(x - h)) / (2 * h)


def partial(f, args, i, h=0.0001):
    base = tuple(args)  # a tuple copy: nothing below can change the caller's list
    up = base[:i] + (base[i] + h,) + base[i + 1:]
    down = base[:i] + (base[i] - h,) + base[i + 1:]
    return (f(*up) - f(*down)) / (2 * h)
