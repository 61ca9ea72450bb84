"""Challenge 3: softmax turns scores into probabilities; cross-entropy scores the guess."""
from .value import Value


def softmax(logits):
    """p_i = exp(l_i - m) / sum_j exp(l_j - m), with m the largest logit as a plain number."""
    logits = [logit if isinstance(logit, Value) else Value(logit) for logit in logits]
    m = max(logit.data for logit in logits)  # a constant: changes no p_i, keeps every exp <= 1
    exps = [(logit - m).exp() for logit in logits]
    total = sum(exps)
    return [e / total for e in exps]


def cross_entropy(logits, target):
    """-log softmax(logits)[target], as log-sum-exp: log(sum_j exp(l_j - m)) + m - l_target."""
    logits = [logit if isinstance(logit, Value) else Value(logit) for logit in logits]
    m = max(logit.data for logit in logits)
    total = sum((logit - m).exp() for logit in logits)
    return total.log() + m - logits[target]
