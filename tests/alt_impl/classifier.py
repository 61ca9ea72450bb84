"""Challenge 4 with a class layout of its own: hidden layers as plain lists of Neurons, the
scoring layer as rows [w_0, ..., w_{n-1}, b] of Values, and a loop that sums the loss."""
import random

from .neuron import Neuron
from .softmax import cross_entropy
from .value import Value


class Classifier:

    def __init__(self, nin, nouts):
        *hidden_sizes, classes = nouts
        self.hidden = []
        fan_in = nin
        for fan_out in hidden_sizes:
            self.hidden.append([Neuron(fan_in) for _ in range(fan_out)])
            fan_in = fan_out
        # One row per class: its weights, then its bias in the last slot (parameters()
        # order for free). No tanh on these: logits may be any size.
        self.rows = [[Value(random.uniform(-1, 1)) for _ in range(fan_in + 1)]
                     for _ in range(classes)]

    def __call__(self, x):
        signal = list(x)
        for layer in self.hidden:
            signal = [neuron(signal) for neuron in layer]  # always a list, even of one
        logits = []
        for row in self.rows:
            *weights, bias = row
            score = bias
            for w, s in zip(weights, signal):
                score = score + w * s
            logits.append(score)
        return logits

    def parameters(self):
        params = []
        for layer in self.hidden:
            for neuron in layer:
                params += neuron.parameters()
        for row in self.rows:
            params += row
        return params


def train_classifier(model, xs, ys, steps, lr):
    params = model.parameters()
    scale = 1.0 / len(xs)  # the mean: torch's F.cross_entropy, reduction 'mean'
    history = []
    for _ in range(steps):
        total = Value(0)
        for x, y in zip(xs, ys):
            total = total + cross_entropy(model(x), y)
        loss = total * scale
        for p in params:
            p.grad = 0
        loss.backward()
        for p in params:
            p.data = p.data - lr * p.grad
        history.append(float(loss.data))
    return history
