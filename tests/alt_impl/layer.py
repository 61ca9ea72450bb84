"""Stage 5 with other attribute names and an explicit parameter loop."""
from .neuron import Neuron


class Layer:

    def __init__(self, nin, nout):
        self.units = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [unit(x) for unit in self.units]
        if len(outs) == 1:
            return outs[0]  # a single-output layer hands back the Value itself
        return outs

    def parameters(self):
        params = []
        for unit in self.units:
            params.extend(unit.parameters())
        return params
