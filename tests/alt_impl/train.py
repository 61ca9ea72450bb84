"""Stage 7 with the gradients cleared after each update instead of before each backward."""
from .value import Value


def squared_error(ypred, ys):
    total = Value(0)
    for yout, ygt in zip(ypred, ys):
        diff = yout - ygt
        total = total + diff * diff  # same value and gradient as diff ** 2
    return total


def zero_grad(params):
    for p in params:
        p.grad = 0


def sgd_step(params, lr):
    for p in params:
        p.data = p.data - lr * p.grad


def train(model, xs, ys, steps, lr):
    params = model.parameters()
    # Clearing after each update is only right if the first step starts from zero,
    # and a caller may hand over a model with gradients left from an earlier backward().
    for p in params:
        p.grad = 0
    losses = []
    for _ in range(steps):
        loss = squared_error([model(x) for x in xs], ys)
        losses.append(float(loss.data))
        loss.backward()
        for p in params:
            p.data -= lr * p.grad
            p.grad = 0  # ready for the next step's backward(), which adds with +=
    return losses
