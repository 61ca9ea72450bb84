"""Stage 7: gradient descent, one small step downhill at a time."""


def squared_error(ypred, ys):
    """The lecture's loss: the sum of (prediction - target) ** 2."""
    return sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))


def zero_grad(params):
    """Gradients add up across backward() calls, so clear them before the next one."""
    for p in params:
        p.grad = 0.0


def sgd_step(params, lr):
    """Move every parameter a little against its gradient."""
    for p in params:
        p.data -= lr * p.grad


def train(model, xs, ys, steps, lr):
    """Run `steps` rounds of forward, loss, backward, update; return each step's loss."""
    params = model.parameters()
    losses = []
    for _ in range(steps):
        ypred = [model(x) for x in xs]
        loss = squared_error(ypred, ys)
        zero_grad(params)
        loss.backward()
        sgd_step(params, lr)
        losses.append(loss.data)
    return losses
