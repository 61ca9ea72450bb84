"""Stage 5: a layer is nout neurons that all look at the same input.

Grade it with `python grader.py stage5`.
"""
from .neuron import Neuron


class Layer:
    """nout Neurons, each with nin inputs."""

    def __init__(self, nin, nout):
        """Create nout Neurons of nin inputs each."""
        # TODO(stage 5): make the neurons and keep them in a list
        raise NotImplementedError("stage 5: Layer.__init__")

    def __call__(self, x):
        """layer(x): give the same x to every neuron; return the list of their outputs.

        When nout == 1, return that single Value rather than a one-element list, so that
        a network ending in one neuron hands back a Value the loss can use directly.
        """
        # TODO(stage 5): call each neuron on x
        raise NotImplementedError("stage 5: Layer.__call__")

    def parameters(self):
        """All the neurons' parameters in one flat list: neuron 0's, then neuron 1's, ..."""
        # TODO(stage 5): join the neurons' parameter lists, in order
        raise NotImplementedError("stage 5: Layer.parameters")
