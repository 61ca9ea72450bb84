"""Challenge 4: a network that picks one of several classes, trained with cross-entropy."""
import random

from .layer import Layer
from .softmax import cross_entropy
from .train import sgd_step, zero_grad
from .value import Value


class LinearNeuron:
    """A Neuron without the tanh: w . x + b, a score that may be any size."""

    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b)

    def parameters(self):
        return self.w + [self.b]


class Classifier:
    """Like MLP(nin, nouts), but the last layer is linear: its outputs are the logits."""

    def __init__(self, nin, nouts):
        sizes = [nin] + nouts
        self.hidden = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts) - 1)]
        self.last = [LinearNeuron(sizes[-2]) for _ in range(sizes[-1])]

    def __call__(self, x):
        for layer in self.hidden:
            x = layer(x)
            x = x if isinstance(x, list) else [x]  # a one-neuron Layer hands back a Value
        return [neuron(x) for neuron in self.last]

    def parameters(self):
        params = [p for layer in self.hidden for p in layer.parameters()]
        return params + [p for neuron in self.last for p in neuron.parameters()]


def train_classifier(model, xs, ys, steps, lr):
    """Full-batch gradient descent on the mean cross-entropy; return each step's loss."""
    params = model.parameters()
    losses = []
    for _ in range(steps):
        loss = sum(cross_entropy(model(x), y) for x, y in zip(xs, ys)) / len(xs)
        zero_grad(params)
        loss.backward()
        sgd_step(params, lr)
        losses.append(loss.data)
    return losses
