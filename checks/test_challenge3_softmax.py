"""Optional challenge 3: softmax and cross-entropy on Values, against torch.softmax and
torch.nn.functional.cross_entropy: moderate logits (some from the seed), and logits where
exp overflows unless the largest is subtracted first (log-sum-exp)."""
import random

from lazy import torch

import misconceptions as mc
import mirror
from verdicts import CheckFailed

MODERATE = [1.0, -0.5, 2.0, 0.25]
COEFFICIENTS = [1.0, -2.0, 0.5, 3.0]  # softmax's outputs weighed, so each one's grad counts
LARGE = [1000.0, 3.0, -2.0, 1.0]
VERY_NEGATIVE = [-1000.0, -998.0, -1001.0]  # exp underflows to 0 for all: 0 / 0 unshifted


@mirror.remembered
def torch_softmax(logits, coefficients):
    x = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    p = torch.softmax(x, dim=0)
    (p * torch.tensor(coefficients, dtype=torch.float64)).sum().backward()
    return p.tolist(), x.grad.tolist()


@mirror.remembered
def torch_cross_entropy(logits, target):
    x = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(x.unsqueeze(0), torch.tensor([target]))
    loss.backward()
    return loss.item(), x.grad.tolist()


def numbers(values):
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


def check_softmax(learner, logits, coefficients):
    call = f"softmax({numbers(logits)})"
    report = learner.run(f"computing {call}", "softmax", logits=logits,
                         coefficients=coefficients)
    if report["returned"] != "list":
        raise CheckFailed(f"{call} returned a {report['returned']}: it should return a list "
                          "of Values, one probability per logit.")
    outputs = report["outputs"]
    if len(outputs) != len(logits):
        raise CheckFailed(f"{call} returned {len(outputs)} items; expected {len(logits)}, one "
                          "per logit.")
    if not all(o["is_value"] for o in outputs):
        raise CheckFailed(f"{call} returned plain numbers: return Values (made with Value's "
                          "exp, / and +), so that gradients can flow back to the logits.")
    want, grads = torch_softmax(logits, coefficients)
    lines = [mirror.mismatch_line(f"p[{i}]", w, o["data"])
             for i, (w, o) in enumerate(zip(want, outputs)) if not mirror.close(o["data"], w)]
    if not lines:
        weighed = " + ".join(f"{c:g}*p[{i}]" for i, c in enumerate(coefficients))
        lines = [mirror.mismatch_line(f"logits[{i}].grad", w, g) for i, (w, g)
                 in enumerate(zip(grads, report.get("grads") or ())) if not mirror.close(g, w)]
        if lines:
            lines.insert(0, f"  (backward() from {weighed})")
    if lines:
        total = sum(o["data"] for o in outputs if isinstance(o["data"], (int, float)))
        note = "" if mirror.close(total, 1.0) else \
            f"\n  Your probabilities add up to {mirror.show_number(total)}, not 1."
        cut = all(g == 0 for g in report.get("grads") or [1]) and any(grads)
        raise CheckFailed(f"{call} differs from torch.softmax:\n" + "\n".join(lines) + note,
                          mc.graph_cut(CUT) if cut else None)


CUT = ("Every logit's grad stayed 0: softmax's outputs are not connected to the logits. A "
       "Value made from numbers (Value(e.data / total.data), Value(math.exp(l.data))) has no "
       "children; build each p_i from the logits with Value operations: (l - m).exp(), "
       "+ and /.")


def check_cross_entropy(learner, logits, target):
    call = f"cross_entropy({numbers(logits)}, target={target})"
    report = learner.run(f"computing {call}", "cross_entropy", logits=logits, target=target)
    if not report["is_value"]:
        raise CheckFailed(f"{call} returned {mirror.show_number(report['data'])}, not a "
                          "Value: the loss must be a Value so that loss.backward() works.")
    want, grads = torch_cross_entropy(logits, target)
    lines = []
    if not mirror.close(report["data"], want):
        lines.append(mirror.mismatch_line("loss", want, report["data"]))
    lines += [mirror.mismatch_line(f"logits[{i}].grad", w, g) for i, (w, g)
              in enumerate(zip(grads, report["grads"])) if not mirror.close(g, w)]
    if not lines:
        return
    flipped = mirror.close(report["data"], -want) and all(
        mirror.close(g, -w) for g, w in zip(report["grads"], grads))
    raise CheckFailed(f"{call} differs from torch.nn.functional.cross_entropy:\n"
                      + "\n".join(lines), mc.cross_entropy_sign() if flipped else None)


def seeded(seed):
    """Five logits, weights for softmax's outputs and a target, from the grading's seed."""
    rng = random.Random(seed)
    logits = [round(rng.uniform(-4, 4), 3) for _ in range(5)]
    return logits, [round(rng.uniform(-2, 2), 3) for _ in logits], rng.randrange(len(logits))


def test_softmax_on_moderate_logits(learner, seed):
    check_softmax(learner, MODERATE, COEFFICIENTS)
    check_softmax(learner, [0.0, 0.0], [1.0, 2.0])
    logits, coefficients, _ = seeded(seed)
    check_softmax(learner, logits, coefficients)


def test_softmax_on_large_logits(learner):
    check_softmax(learner, LARGE, COEFFICIENTS)
    check_softmax(learner, VERY_NEGATIVE, COEFFICIENTS[:3])


def test_cross_entropy_on_moderate_logits(learner, seed):
    check_cross_entropy(learner, MODERATE, 0)
    check_cross_entropy(learner, MODERATE, 2)
    logits, _, target = seeded(seed)
    check_cross_entropy(learner, logits, target)


def test_cross_entropy_on_large_logits(learner):
    """[1000, 3, -2, 1] with target 1, not the largest: the loss is about 997."""
    check_cross_entropy(learner, LARGE, 1)
    check_cross_entropy(learner, LARGE, 0)
    check_cross_entropy(learner, VERY_NEGATIVE, 2)
