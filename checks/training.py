"""The learner's training loop against the same loop in torch, from the same weights."""
import torch

import mirror
from networks import forward
from verdicts import CheckFailed

LECTURE_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
LECTURE_YS = [1.0, -1.0, -1.0, 1.0]


def torch_train(sizes, weights, xs, ys, steps, lr):
    """Plain gradient descent on the squared error; (loss of each step, weights after each)."""
    layers = list(zip(sizes, sizes[1:]))
    w = [float(v) for v in weights]
    losses, history = [], []
    for _ in range(steps):
        params = [mirror.leaf(v) for v in w]
        ypred = [forward(layers, params, x)[0] for x in xs]
        loss = sum((yp - y) ** 2 for yp, y in zip(ypred, ys))
        grads = torch.autograd.grad(loss, params)
        losses.append(loss.item())
        w = [v - lr * g.item() for v, g in zip(w, grads)]
        history.append(w)
    return losses, history


def check_train(learner, sizes, seed, xs, ys, steps, lr, title):
    call = f"train(MLP({sizes[0]}, {sizes[1:]}), xs, ys, steps={steps}, lr={lr:g}) on {title}"
    report = learner.run(f"running {call}", "train", sizes=sizes, seed=seed, xs=xs, ys=ys,
                         steps=steps, lr=lr)
    losses = report["losses"]
    if losses is None:
        raise CheckFailed(f"{call} returned a {report['returned']}; it should return the "
                          "list of each step's loss.")
    if len(losses) != steps:
        raise CheckFailed(f"{call} returned {len(losses)} losses; expected one per step, "
                          f"{steps}.")
    if not all(isinstance(v, (int, float)) for v in losses):
        kind = mirror.show_number(next(v for v in losses if not isinstance(v, (int, float))))
        raise CheckFailed(f"{call} returned {kind} among its losses: append loss.data, a "
                          "plain number, not the loss Value itself.")
    want, history = torch_train(sizes, report["before"], xs, ys, steps, lr)
    for k, (got, expected) in enumerate(zip(losses, want)):
        if not mirror.close(got, expected):
            matched = f" (steps 1 to {k} match)" if k else ""
            raise CheckFailed(f"{call}: the runs part at step {k + 1}{matched}.\n"
                              + mirror.mismatch_line(f"loss of step {k + 1}", expected, got)
                              + "\n  " + loss_table(want, losses, k))
    wrong = [i for i, (got, expected) in enumerate(zip(report["after"], history[-1]))
             if not mirror.close(got, expected)]
    if wrong:
        i = wrong[0]
        raise CheckFailed(f"{call}: every loss matches, but {len(wrong)} weights differ after "
                          f"the last step, e.g. parameter {i}:\n"
                          + mirror.mismatch_line(f"parameters()[{i}].data", history[-1][i],
                                                 report["after"][i])
                          + "\nHint: the last step must update the weights too.")


def loss_table(want, got, first_wrong):
    """The losses around the first difference, expected over got."""
    lo, hi = max(0, first_wrong - 2), min(len(want), first_wrong + 3)
    steps = "  ".join(f"{k + 1:>9}" for k in range(lo, hi))
    exp = "  ".join(f"{v:>9.5g}" for v in want[lo:hi])
    gotten = "  ".join(f"{v:>9.5g}" for v in got[lo:hi])
    return f"step      {steps}\n  expected  {exp}\n  got       {gotten}"
