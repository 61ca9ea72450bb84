"""Challenge 4 (optional): a network that picks one of several classes.

Classifier(2, [8, 3]) reads 2 numbers, has a hidden layer of 8 tanh neurons, and gives 3
logits, one score per class; the class with the largest logit is its guess. Training
lowers the mean cross-entropy (softmax.py) over the examples.

The last layer must be linear, w . x + b with no tanh: tanh would squash every logit
into [-1, 1], and softmax of numbers that close together can never be sure of a class.
Your Neuron must stay tanh (stages 4-6 check it), so write a small linear neuron (or
layer) class of your own in this file; the hidden layers can be your Layer.

This needs challenge 3 (cross_entropy), and so challenge 2 (Value.log).

Grade it with `python grader.py challenge4`.
"""
import random

from .layer import Layer
from .softmax import cross_entropy
from .train import sgd_step, zero_grad
from .value import Value


class Classifier:
    """Like MLP(nin, nouts), but the last layer is linear: its outputs are logits."""

    def __init__(self, nin, nouts):
        """Layers of sizes [nin] + nouts: tanh layers for all but the last, which is
        linear. Draw every weight and bias as Value(random.uniform(-1, 1)), as Neuron does.
        """
        # TODO(challenge4): the hidden tanh layers, then a linear last layer of nouts[-1]
        raise NotImplementedError("challenge4: Classifier.__init__")

    def __call__(self, x):
        """classifier(x): x is a list of nin numbers (or Values); return the LIST of logits,
        one Value per class - a list even when there is only one class.

        (Your Layer hands back a bare Value when it has a single neuron: a layer after it
        needs a list.)
        """
        # TODO(challenge4): feed x through the hidden layers, then the linear last layer
        raise NotImplementedError("challenge4: Classifier.__call__")

    def parameters(self):
        """All parameters in one flat list, in MLP's order: layer by layer, neuron by
        neuron, each neuron's weights followed by its bias."""
        # TODO(challenge4): join the parameters of every layer, the last one included
        raise NotImplementedError("challenge4: Classifier.parameters")


def train_classifier(model, xs, ys, steps, lr):
    """Train model on inputs xs and classes ys (ints) for `steps` steps; return the losses.

    Each step uses every example (full batch):

        loss = (1 / n) * sum_k cross_entropy(model(xs[k]), ys[k])

    the MEAN over the n examples (as torch's F.cross_entropy), not the sum, so lr means
    the same whatever n is. Then zero every grad, loss.backward(), and p.data -= lr * p.grad
    for every parameter (train.py's zero_grad and sgd_step do those two). Return a list of
    `steps` floats: each step's loss.data, recorded before that step's update.
    """
    # TODO(challenge4): the loop above, keeping each step's loss
    raise NotImplementedError("challenge4: train_classifier")
