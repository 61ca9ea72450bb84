"""Stage 6 built with a loop over consecutive sizes."""
from .layer import Layer


class MLP:

    def __init__(self, nin, nouts):
        self.stack = []
        fan_in = nin
        for fan_out in nouts:
            self.stack.append(Layer(fan_in, fan_out))
            fan_in = fan_out

    def __call__(self, x):
        signal = x
        for layer in self.stack:
            signal = layer(signal)
        return signal

    def parameters(self):
        return sum((layer.parameters() for layer in self.stack), [])
