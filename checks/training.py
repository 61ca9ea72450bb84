"""The learner's training loop against the same loop in torch, from the same weights."""
from dataclasses import dataclass

from lazy import torch

import misconceptions as mc
import mirror
import pictures
from networks import count, items, numbers_only, parameter_names, your_code
from verdicts import CheckFailed, stage_command

LECTURE_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
LECTURE_YS = [1.0, -1.0, -1.0, 1.0]


@dataclass(frozen=True)
class Loop:
    """How a training loop orders its work, and which classic slips it makes."""
    update_first: bool = False  # the update comes before forward and backward()
    zeroing: str = "fresh"      # fresh: every grad 0 before backward(); none; last: only the
    #                             last one; kill / kill-last: zeroed after backward(), before
    #                             the update, so the update sees 0
    step: float = 1.0           # the step is step * lr * grad: -1 sign flipped, 2 lr twice

    def slips(self):
        """The loop's mistakes, in the order they come in the loop: the first to fix first."""
        found = [mc.update_before_backward()] if self.update_first else []
        found += {"none": [mc.no_zero_grad()], "last": [mc.zero_only_last()],
                  "kill": [mc.parameters_never_change()],
                  "kill-last": [mc.zero_only_last(after_backward=True)]}.get(self.zeroing, [])
        found += {-1.0: [mc.sign_flipped()], 2.0: [mc.lr_twice()]}.get(self.step, [])
        return found


LOOPS = [Loop(first, zeroing, step) for first in (False, True)
         for zeroing in ("fresh", "none", "last", "kill", "kill-last")
         for step in (1.0, -1.0, 2.0)]


@mirror.remembered
def torch_train(sizes, weights, xs, ys, steps, lr, loop=Loop(), follow=None):
    """Gradient descent on the squared error; (loss of each step, weights after each step).

    `loop` replays a loop with classic slips instead, so that a learner's run can be
    matched against it. With `follow` (the learner's losses) it stops at the first step
    whose loss differs from them.
    """
    layers = list(zip(sizes, sizes[1:]))
    w = [float(v) for v in weights]
    grad = [0.0] * len(w)  # what each p.grad holds
    inputs = torch.tensor(xs, dtype=torch.float64)
    targets = torch.tensor(ys, dtype=torch.float64)

    def update(w):
        return [v - loop.step * lr * g for v, g in zip(w, grad)]
    losses, history = [], []
    for _ in range(steps):
        if loop.update_first:
            w = update(w)
        if loop.zeroing == "fresh":
            grad = [0.0] * len(w)
        elif loop.zeroing == "last":
            grad[-1] = 0.0
        params = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        loss = ((mlp_outputs(layers, params, inputs) - targets) ** 2).sum()
        grad = [a + g for a, g in zip(grad, torch.autograd.grad(loss, params)[0].tolist())]
        if loop.zeroing == "kill":
            grad = [0.0] * len(w)
        elif loop.zeroing == "kill-last":
            grad[-1] = 0.0
        if not loop.update_first:
            w = update(w)
        losses.append(loss.item())
        history.append(w)
        if follow is not None and not mirror.close(follow[len(losses) - 1], losses[-1]):
            break
    return losses, history


def mlp_outputs(layers, params, inputs):
    """The MLP's single output for every example at once."""
    return layered(layers, params, inputs)[:, 0]


def layered(layers, params, inputs, squash_last=True):
    """Every example through the layers at once: each layer is tanh(x W^T + b), with W and
    b cut from the flat parameters in parameters() order (each neuron's weights, then its
    bias); the last one without tanh unless `squash_last` (a classifier's logits). The same
    sums as networks.forward, neuron by neuron, but one tensor op per layer: the training
    checks replay 30 loops, and scalar graphs made that slow."""
    at, out = 0, inputs
    for k, (nin, nout) in enumerate(layers):
        block = params[at:at + nout * (nin + 1)].view(nout, nin + 1)
        at += nout * (nin + 1)
        out = out @ block[:, :nin].T + block[:, nin]
        if squash_last or k < len(layers) - 1:
            out = torch.tanh(out)
    return out


def several(slips):
    """One diagnosis for a loop with several slips: the first, and what else to mend."""
    first = slips[0]
    if len(slips) == 1:
        return first
    rest = ", ".join(f'"{d.name}"' for d in slips[1:])
    return mc.Diagnosis(first.name, f"{first.hint} Fix this first; your loop also has: "
                        f"{rest} (run the grader again after each fix).")


def shared_slips(loops):
    """What every loop that reproduces the run has in common (several loops can: when no
    weight ever moves, the sign of the step cannot show), as one diagnosis, or None."""
    common = [d for d in loops[0].slips() if all(d in loop.slips() for loop in loops[1:])]
    return several(common) if common else None


def replays(sizes, xs, ys, lr, loop, run):
    """Does this loop, replayed from the run's starting weights, give its losses and
    final weights exactly?"""
    steps = len(run["losses"])
    want_losses, history = torch_train(sizes, run["before"], xs, ys, steps, lr, loop,
                                       follow=run["losses"])
    return len(want_losses) == steps and close_all(run["losses"], want_losses) and \
        close_all(run["after"], history[-1])


def close_all(a, b):
    """Equal to rounding, number by number: backward() may add grads up in any order."""
    return len(a) == len(b) and all(mirror.close(x, y) for x, y in zip(a, b))


def usable(run):
    return bool(run) and isinstance(run.get("losses"), list) and \
        all(isinstance(v, (int, float)) for v in run["losses"] + run["after"])


CONFIRM_STEPS = 3
CONFIRM_LR = (0.6, 0.35)  # the learning rates of the two confirming runs, times the check's


def diagnose_train(learner, sizes, seed, xs, ys, steps, lr, report):
    """Which classic training-loop slips reproduce the learner's run exactly, if any.

    A slip is named only when it also reproduces two shorter runs at other learning rates:
    one run alone can be matched by a coincidence (a hard-coded 0.1 looks like lr applied
    twice when the check's lr is 0.05)."""
    if learner.naming_deferred:
        return None
    others = [lr * k for k in CONFIRM_LR]
    confirming = [learner.experiment("train", sizes=sizes, seed=seed, xs=xs, ys=ys,
                                     steps=CONFIRM_STEPS, lr=other) for other in others]
    if not all(usable(run) for run in confirming):
        return None
    found = []
    explaining = [loop for loop in LOOPS if loop != Loop()
                  and replays(sizes, xs, ys, lr, loop, report)
                  and all(replays(sizes, xs, ys, other, loop, run)
                          for other, run in zip(others, confirming))]
    if explaining and shared_slips(explaining):
        found.append(shared_slips(explaining))
    shifted, _ = torch_train(sizes, report["before"], xs, ys, steps + 1, lr)
    if all(mirror.close(g, w) for g, w in zip(report["losses"], shifted[1:])):
        found.append(mc.loss_after_update())
    lost = confirming[0]["losses"]
    if mirror.close(lost[0], shifted[0]) and mirror.close(lost[1], lost[0]) and \
            not mirror.close(lost[2], lost[1]):
        # forward, update, then backward(): step 1 moved nothing, as the grads were still 0
        found.append(mc.update_before_backward())
    first, second = confirming
    if not found and not close_all(first["after"], first["before"]) and \
            close_all(first["losses"], second["losses"]) and \
            close_all(first["after"], second["after"]):
        return mc.lr_ignored()  # the weights move, and by the same whatever lr is given
    if all(v == 0 for v in report["losses"]):
        return None  # a loss that is always 0 (say, zip(ypred, ypred)): its own check tells
    if not found and steps > 1 and lr and report["after"] == report["before"]:
        return mc.parameters_never_change()  # exactly: no update ever reached the model
    return found[0] if len(found) == 1 else None


def check_train(learner, sizes, seed, xs, ys, steps, lr, title):
    call = f"train(MLP({sizes[0]}, {sizes[1:]}), xs, ys, steps={steps}, lr={lr:g}) on {title}"
    report = learner.run(f"running {call}", "train", sizes=sizes, seed=seed, xs=xs, ys=ys,
                         steps=steps, lr=lr)
    check_losses(call, report, steps)
    model = f"MLP({sizes[0]}, {sizes[1:]})"
    expected_count = count("mlp", (sizes[0], sizes[1:]))
    if len(report["before"]) != expected_count:
        raise CheckFailed(f"{model}.parameters() has {items(len(report['before']))}; expected "
                          f"{expected_count} (finish stage 6 first: {stage_command(6)}).")
    numbers_only(report["before"], f"{model}.parameters()")
    want, history = torch_train(sizes, report["before"], xs, ys, steps, lr)

    def diagnosis():
        return diagnose_train(learner, sizes, seed, xs, ys, steps, lr, report)

    def picture():
        drawn = pictures.parameters(parameter_names("mlp", (sizes[0], sizes[1:])),
                                    report["after"], want_data=history[-1])
        drawn["losses"] = {"yours": report["losses"], "torch": want}  # for kata/plots.py
        return drawn

    with pictures.on_failure(picture):
        judge_run(call, report, want, history, diagnosis)


def check_losses(call, report, steps):
    """A training run's return value: one plain number per step."""
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


def judge_run(call, report, want, history, diagnosis):
    losses = report["losses"]
    for k, (got, expected) in enumerate(zip(losses, want)):
        if not mirror.close(got, expected):
            matched = "" if not k else " (step 1 matches)" if k == 1 else \
                f" (steps 1 to {k} match)"
            raise CheckFailed(f"{call}: your loss first differs from torch's at step "
                              f"{k + 1}{matched}.\n"
                              + mirror.mismatch_line(f"loss of step {k + 1}", expected, got)
                              + "\n  " + loss_table(want, losses, k)
                              + your_code(report.get("train_at"), made=False), diagnosis())
    wrong = [i for i, (got, expected) in enumerate(zip(report["after"], history[-1]))
             if not mirror.close(got, expected)]
    if wrong:
        i = wrong[0]
        raise CheckFailed(f"{call}: every loss matches, but {len(wrong)} weights differ after "
                          f"the last step, e.g. parameter {i}:\n"
                          + mirror.mismatch_line(f"parameters()[{i}].data", history[-1][i],
                                                 report["after"][i])
                          + your_code(report.get("train_at"), made=False), diagnosis())


def loss_table(want, got, first_wrong):
    """The losses around the first difference, expected over got."""
    lo, hi = max(0, first_wrong - 2), min(len(want), first_wrong + 3)
    steps = "  ".join(f"{k + 1:>9}" for k in range(lo, hi))
    exp = "  ".join(f"{v:>9.5g}" for v in want[lo:hi])
    gotten = "  ".join(f"{v:>9.5g}" for v in got[lo:hi])
    return f"step      {steps}\n  expected  {exp}\n  got       {gotten}"
