"""Stage 7: gradient descent - teach a network by nudging every parameter downhill.

The loop, once per step: predict, measure the loss, clear the old gradients,
loss.backward(), move each parameter a little against its gradient.

Grade it with `python grader.py stage7`.
"""


def squared_error(ypred, ys):
    """Return the loss as one Value: the sum over examples of (yout - ygt) ** 2.

    ypred holds the model's outputs (Values), ys the targets (numbers), in the same order.
    The loss is 0 only when every prediction hits its target, and grows as any strays.
    """
    # TODO(stage 7): add up the squared differences
    raise NotImplementedError("stage 7: squared_error")


def zero_grad(params):
    """Set the .grad of every parameter back to 0.

    Why: each _backward does grad += ..., so a second backward() adds onto the gradients
    of the first instead of replacing them. Clear them before every backward().
    """
    # TODO(stage 7): reset each gradient
    raise NotImplementedError("stage 7: zero_grad")


def sgd_step(params, lr):
    """One step of gradient descent: p.data -= lr * p.grad, for every parameter p.

    The gradient points the way the loss grows, so step against it; lr says how far.
    """
    # TODO(stage 7): move each parameter against its gradient
    raise NotImplementedError("stage 7: sgd_step")


def train(model, xs, ys, steps, lr):
    """Train model on inputs xs and targets ys for `steps` steps; return the losses.

    Each step: run the model on every x, compute squared_error, zero_grad, backward(),
    sgd_step. Return a list of `steps` floats: each step's loss.data, recorded before
    that step's update.
    """
    # TODO(stage 7): the loop above, keeping each step's loss
    raise NotImplementedError("stage 7: train")
