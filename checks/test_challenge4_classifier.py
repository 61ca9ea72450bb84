"""Optional challenge 4: a classifier (tanh hidden layers, a linear last layer giving
logits) trained with softmax cross-entropy on three blobs of points: the same as torch step
by step for the first steps, then accurate after training within a time limit of its own.

The network in torch starts from weights the checks set through parameters(), in MLP's
order (layer by layer, neuron by neuron, each neuron's weights then its bias); they and the
points come from `random` with the grading's seed.
"""
import random

from lazy import torch

import misconceptions as mc
import mirror
from networks import count, items, numbers_only
from training import check_losses, judge_run, layered
from verdicts import CheckFailed

SHAPE = [2, 4, 3]  # Classifier(2, [4, 3]): one tanh layer of 4, 3 logits
SIZES = [2, 8, 3]
INPUTS = [[0.5, -1.0], [2.0, 1.5], [-3.0, 0.25]]
FIRST_STEPS, TRAIN_STEPS, LR = 5, 30, 0.5
ACCURACY = 0.9
LIMIT = 30.0  # seconds for the whole training run; the reference takes under half a second


def three_blobs(seed, per_class=10):
    """30 points in the plane around three centres, labelled 0, 1, 2."""
    rng = random.Random(seed)
    xs, ys = [], []
    for label, (cx, cy) in enumerate([(-2.0, -1.0), (2.0, -1.0), (0.0, 2.0)]):
        for _ in range(per_class):
            xs.append([round(rng.gauss(cx, 0.7), 3), round(rng.gauss(cy, 0.7), 3)])
            ys.append(label)
    return xs, ys


def logits(sizes, params, inputs, squash_last=False):
    """The classifier on every input at once: tanh hidden layers, a linear last one (tanh
    too with `squash_last`, the classic slip's twin)."""
    return layered(list(zip(sizes, sizes[1:])), params, inputs, squash_last)


def parameter_count(sizes):
    return count("mlp", (sizes[0], sizes[1:]))


@mirror.remembered
def torch_logits(sizes, weights, inputs, squash_last=False):
    params = torch.tensor(weights, dtype=torch.float64)
    x = torch.tensor(inputs, dtype=torch.float64)
    return logits(sizes, params, x, squash_last).tolist()


@mirror.remembered
def torch_train(sizes, weights, xs, ys, steps, lr, reduction="mean", zero_grad=True):
    """Full-batch gradient descent on F.cross_entropy: (each step's loss, final weights).
    `reduction="sum"` and `zero_grad=False` replay two classic slips."""
    w = torch.tensor(weights, dtype=torch.float64)
    x = torch.tensor(xs, dtype=torch.float64)
    y = torch.tensor(ys)
    grad = torch.zeros_like(w)  # what every p.grad holds
    losses = []
    for _ in range(steps):
        params = w.clone().requires_grad_()
        loss = torch.nn.functional.cross_entropy(logits(sizes, params, x), y,
                                                 reduction=reduction)
        loss.backward()
        grad = params.grad if zero_grad else grad + params.grad
        w = w - lr * grad
        losses.append(loss.item())
    return losses, w.tolist()


def slip(report, xs, ys, want):
    """The classic training-loop slip that reproduces the learner's losses, or None."""
    losses, before = report["losses"], report["before"]
    summed, _ = torch_train(SIZES, before, xs, ys, 1, LR, reduction="sum")
    if mirror.close(losses[0], summed[0]):
        return mc.loss_summed()
    kept, _ = torch_train(SIZES, before, xs, ys, len(losses), LR, zero_grad=False)
    if all(mirror.close(g, k) for g, k in zip(losses, kept)):
        return mc.no_zero_grad()
    if report["after"] == before and len(losses) > 1 and mirror.close(losses[0], want[0]):
        return mc.parameters_never_change()  # e.g. zero_grad between backward() and the step
    return None


def model_text(sizes):
    return f"Classifier({sizes[0]}, {sizes[1:]})"


def check_count(sizes, got):
    if got != parameter_count(sizes):
        raise CheckFailed(f"{model_text(sizes)}.parameters() has {items(got)}; expected "
                          f"{parameter_count(sizes)}: [w_0, ..., w_(nin-1), b] for each neuron, neuron "
                          "by neuron, layer by layer, as MLP lists them.")


def weights_for(sizes, seed):
    """Starting weights the checks set through parameters(): seeded, drawn as the stub
    says, so that the judging never rests on a learner's own (say, all 0: every gradient
    of three balanced classes is then 0, and a loop that does nothing would match)."""
    rng = random.Random(seed * 7 + 3)
    return [round(rng.uniform(-1, 1), 6) for _ in range(parameter_count(sizes))]


def check_own_weights(sizes, weights):
    """The learner's own starting weights: drawn from uniform(-1, 1), not all alike."""
    model = model_text(sizes)
    outside = next((w for w in weights if not -1 <= w <= 1), None)
    if outside is not None:
        raise CheckFailed(f"{model} starts with a weight of {mirror.show_number(outside)}: "
                          "draw every weight and bias with random.uniform(-1, 1).")
    if len(set(weights)) == 1:
        raise CheckFailed(f"{model} starts with every weight and bias at "
                          f"{mirror.show_number(weights[0])}: draw each with "
                          "random.uniform(-1, 1) (neurons that start alike learn alike).")


def test_classifier_gives_logits(learner, seed):
    model = model_text(SHAPE)
    own = learner.run(f"making {model}", "classifier", sizes=SHAPE, seed=seed, inputs=[])
    check_count(SHAPE, own["count"])
    check_own_weights(SHAPE, numbers_only(own["data"], f"{model}.parameters()"))
    report = learner.run(f"making {model}, setting its weights through parameters(), and "
                         "calling it", "classifier", sizes=SHAPE, seed=seed, inputs=INPUTS,
                         weights=weights_for(SHAPE, seed))
    if report["returned"] != "list":
        raise CheckFailed(f"{model}(x) returned a {report['returned']}: it should return the "
                          f"list of its {SHAPE[-1]} logits (Values).")
    wrong = next((o for o in report["outputs"] if len(o) != SHAPE[-1]), None)
    if wrong is not None:
        raise CheckFailed(f"{model}(x) returned {items(len(wrong))}; expected {SHAPE[-1]} "
                          "logits, one per class.")
    if not report["all_values"]:
        raise CheckFailed(f"{model}(x) returned something that is not a Value: the logits must "
                          "be Values, so that the loss can flow back to every weight.")
    weights = numbers_only(report["data"], f"{model}.parameters()")
    if weights != weights_for(SHAPE, seed):
        raise CheckFailed(f"{model}: after setting p.data of each Value that parameters() "
                          "returned, parameters() gives other numbers: it must list the very "
                          "Values the network computes with, each once.")
    want = torch_logits(SHAPE, weights, INPUTS)
    for x, got, expected in zip(INPUTS, report["outputs"], want):
        if not all(mirror.close(g, e) for g, e in zip(got, expected)):
            squashed = torch_logits(SHAPE, weights, INPUTS, squash_last=True)
            same_as_squashed = all(mirror.close(g, e) for outs, sq in zip(report["outputs"],
                                                                          squashed)
                                   for g, e in zip(outs, sq))
            lines = [mirror.mismatch_line(f"logit {k}", e, g)
                     for k, (g, e) in enumerate(zip(got, expected))]
            raise CheckFailed(f"{model}(x) on x = {x}, from its own parameters(), differs from "
                              "the same network in torch (tanh hidden layer, linear last "
                              "layer):\n" + "\n".join(lines),
                              mc.last_layer_squashed() if same_as_squashed else None)


def run_training(learner, seed, steps, limit=None):
    xs, ys = three_blobs(seed)
    call = f"train_classifier({model_text(SIZES)}, xs, ys, steps={steps}, lr={LR:g})"
    report = learner.run(f"running {call} on three blobs of {len(xs)} points, from weights "
                         "set through parameters()", "classifier_train", limit=limit,
                         sizes=SIZES, seed=seed, xs=xs, ys=ys, steps=steps, lr=LR,
                         weights=weights_for(SIZES, seed))
    check_losses(call, report, steps)
    check_count(SIZES, len(report["before"]))
    numbers_only(report["before"], f"{model_text(SIZES)}.parameters()")
    return call, xs, ys, report


def test_first_steps_match_torch(learner, seed):
    call, xs, ys, report = run_training(learner, seed, FIRST_STEPS)
    want, after = torch_train(SIZES, report["before"], xs, ys, FIRST_STEPS, LR)
    judge_run(f"{call} (the loss: cross_entropy, the mean over the {len(xs)} points)",
              report, want, [after], lambda: slip(report, xs, ys, want))


def test_learns_three_blobs(learner, seed):
    call, xs, ys, report = run_training(learner, seed, TRAIN_STEPS, limit=LIMIT)
    predicted = [max(range(len(out)), key=lambda k: out[k]) if out and all(
        isinstance(v, (int, float)) for v in out) else None for out in report["logits"]]
    right = sum(p == y for p, y in zip(predicted, ys))
    # torch, trained the same way from the same start, for comparison in the message
    want, after = torch_train(SIZES, report["before"], xs, ys, TRAIN_STEPS, LR)
    reached = torch_logits(SIZES, after, xs)
    torch_right = sum(max(range(len(o)), key=lambda k: o[k]) == y for o, y in zip(reached, ys))
    needed = int(ACCURACY * len(xs) + 0.999)
    if right < needed:
        raise CheckFailed(f"{call}: after training, your classifier labels {right} of the "
                          f"{len(xs)} points right (the class with the largest logit); "
                          f"at least {needed} expected (torch, trained the same way from "
                          f"the same starting weights, gets {torch_right}).\n"
                          f"  loss: first step {report['losses'][0]:.4g}, last "
                          f"{report['losses'][-1]:.4g} (torch: {want[0]:.4g}, then "
                          f"{want[-1]:.4g})")
