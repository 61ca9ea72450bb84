"""Stage 4: one neuron, out = tanh(w . x + b), built from Values so that it can learn.

Grade it with `python grader.py stage4`.
"""
import random

from .value import Value


class Neuron:
    """A neuron with nin inputs: nin weights and one bias, every one of them a Value."""

    def __init__(self, nin):
        """Create nin weights and one bias, each Value(random.uniform(-1, 1)).

        Keep them on the neuron (for example self.w, a list, and self.b): they are the
        numbers training will change.
        """
        # TODO(stage 4): draw the weights and the bias
        raise NotImplementedError("stage 4: Neuron.__init__")

    def __call__(self, x):
        """neuron(x): x is a list of nin numbers or Values; return one Value,

            tanh(w_0*x_0 + w_1*x_1 + ... + w_{nin-1}*x_{nin-1} + b)

        Use Value.tanh, not math.tanh: math.tanh works on .data and returns a bare float,
        which cuts the graph there, so no gradient could ever reach the weights.
        (Python's sum() starts from 0, which works because Value has __radd__.)
        """
        # TODO(stage 4): the weighted sum of the inputs, plus the bias, through tanh
        raise NotImplementedError("stage 4: Neuron.__call__")

    def parameters(self):
        """Every Value that training may change, in this order: [w_0, ..., w_{nin-1}, b]."""
        # TODO(stage 4): the weights, followed by the bias, as one list
        raise NotImplementedError("stage 4: Neuron.parameters")
