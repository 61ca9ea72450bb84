"""Challenge 3 (optional): softmax and cross-entropy - scores in, probabilities out.

A classifier gives one score, a logit, per class. Softmax turns the logits into
probabilities (positive, adding up to 1); cross-entropy is small when the right class
gets a high probability, and large when it does not.

This needs challenge 2's Value.log (and Value.exp from stage 1).

Grade it with `python grader.py challenge3`.
"""
from .value import Value


def softmax(logits):
    """Return the list of probabilities p_0, ..., p_{n-1} (Values) for a list of logits:

        p_i = exp(l_i) / sum_j exp(l_j) = exp(l_i - m) / sum_j exp(l_j - m)

    with m = the largest logit's data, a plain number. Subtracting the same constant from
    every logit changes no p_i (it cancels between top and bottom), but it keeps exp from
    overflowing: math.exp(1000) is too big for a float, while after subtracting m every
    exponent is <= 0, so every exp(...) is at most 1. Use l.data for m, not the Value:
    m is a constant, not part of the graph.
    """
    # TODO(challenge3): find m, then exp of each shifted logit, then divide by their sum
    raise NotImplementedError("challenge3: softmax")


def cross_entropy(logits, target):
    """Return ONE Value: -log p_target, the loss of a single example whose class is the
    int `target` (an index into logits).

    Do not take the log of softmax's p_target: for logits [1000, 3, -2, 1] and target 1,
    p_1 is 0.0 in floats, and log(0) fails. The logs cancel the exps instead:

        -log p_t = log(sum_j exp(l_j - m)) + m - l_t        (log-sum-exp, m as above)

    Build it from Values (Value.exp, Value.log, + and -), so that backward() reaches
    every logit.
    """
    # TODO(challenge3): log-sum-exp of the logits, minus the target's logit
    raise NotImplementedError("challenge3: cross_entropy")
