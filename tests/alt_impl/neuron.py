"""Stage 4 with an explicit accumulation loop and differently named attributes."""
import random

from .value import Value


class Neuron:

    def __init__(self, nin):
        # Bias drawn before the weights: the contract fixes neither the order of the draws
        # nor the attribute names, only what parameters() returns.
        self.bias = Value(random.uniform(-1, 1))
        self.weights = [Value(random.uniform(-1, 1)) for _ in range(nin)]

    def __call__(self, x):
        total = self.bias
        for w, xi in zip(self.weights, x):
            total = total + w * xi  # xi may be a number or a Value: Value.__mul__ lifts it
        return total.tanh()  # Value.tanh keeps the graph; math.tanh would cut it

    def parameters(self):
        return [*self.weights, self.bias]
