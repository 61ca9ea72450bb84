"""Stage 6: a multi-layer perceptron, each layer feeding the next.

MLP(3, [4, 4, 1]) takes 3 inputs through layers of sizes 3 -> 4, 4 -> 4 and 4 -> 1.

Grade it with `python grader.py stage6`.
"""
from .layer import Layer


class MLP:
    """Layers of sizes [nin] + nouts, one after the other."""

    def __init__(self, nin, nouts):
        """nouts gives each layer's number of outputs; each layer takes the previous one's
        outputs as its inputs, and the first takes the nin inputs."""
        # TODO(stage 6): make one Layer per entry of nouts
        raise NotImplementedError("stage 6: MLP.__init__")

    def __call__(self, x):
        """mlp(x): x goes into the first layer, its output into the next, and so on;
        return what the last layer returns."""
        # TODO(stage 6): feed x through the layers in order
        raise NotImplementedError("stage 6: MLP.__call__")

    def parameters(self):
        """All the layers' parameters in one flat list: layer 0's, then layer 1's, ..."""
        # TODO(stage 6): join the layers' parameter lists, in order
        raise NotImplementedError("stage 6: MLP.parameters")
