"""Challenge 3 through one log-sum-exp helper: softmax as exp(l_i - LSE), the loss as LSE - l_t."""
from .value import Value


def logsumexp(logits):
    """log(sum_j exp(l_j)) as a Value, shifted by the largest logit so no exp overflows."""
    top = float(max(z.data for z in logits))  # a float: no graph behind it, no gradient
    total = Value(0.0)
    for z in logits:
        total = total + (z - top).exp()
    return total.log() + top


def softmax(logits):
    # p_i = exp(l_i) / sum_j exp(l_j) = exp(l_i - log sum_j exp(l_j)); l_i - LSE <= 0.
    lse = logsumexp(logits)
    return [(z - lse).exp() for z in logits]


def cross_entropy(logits, target):
    # -log p_t = -(l_t - LSE)
    return -(logits[target] - logsumexp(logits))
