"""`python grader.py demo`: train the lecture's network with the learner's own code and
show the loss going down. Nothing is judged here, so torch is imported only to draw its loss
curve beside the learner's, when matplotlib is installed (kata/plots.py)."""
import math
import sys

from . import plots
from .client import Child
from .places import at as place
from .report import command

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]
SIZES = [3, 4, 4, 1]
BAR = 40


def run(target, shown, seed, steps, lr, timeout, out):
    child = Child(target, shown, timeout=max(timeout, 30.0))
    try:
        reply = child.call("demo", sizes=SIZES, seed=seed, xs=XS, ys=YS, steps=steps, lr=lr)
    finally:
        child.close()
    print(f"Training MLP(3, [4, 4, 1]) from {shown} on the lecture's 4 examples, "
          f"{steps} steps, lr = {lr:g} (seed {seed})\n", file=out)
    if not reply["ok"]:
        print(failure_text(reply), file=out)
        return 1
    losses, predictions = reply["result"]["losses"], reply["result"]["predictions"]
    numbers = [v for v in losses if isinstance(v, (int, float))]
    if len(numbers) != len(losses) or not numbers:
        print("train() did not return one number per step; finish stage 7 "
              f"({command('stage7', shown)}).", file=out)
        return 1
    finite = [v for v in numbers if math.isfinite(v)]
    top = max(finite, default=1.0) or 1.0
    for k, loss in enumerate(losses):
        # A loss that blew up (inf, nan) gets no bar: its number says enough.
        bar = "#" * max(1, round(BAR * loss / top)) if math.isfinite(loss) else ""
        print(f"  step {k + 1:>3}  loss {loss:9.5f}  {bar}", file=out)
    print("\n  target  prediction", file=out)
    for y, p in zip(YS, predictions):
        shown_p = f"{p:+.4f}" if isinstance(p, (int, float)) else str(p)
        print(f"  {y:+6.1f}  {shown_p}", file=out)
    if losses[-1] < losses[0]:
        print(f"\nThe loss went from {losses[0]:.4f} down to {losses[-1]:.4f}.", file=out)
    else:
        print(f"\nThe loss did not go down ({losses[0]:.4f} -> {losses[-1]:.4f}): "
              f"check stage 7 with {command('stage7', shown)}.", file=out)
    if losses[-1] < losses[0] and any(abs(y) >= 1 for y in YS):
        print("Note: tanh's outputs lie strictly between -1 and 1, so targets of +1 and -1 "
              "can be approached but never reached: the loss gets close to 0, never 0.",
              file=out)
    print("\n" + plots.loss_curve(
        "demo", f"demo: MLP(3, [4, 4, 1]), {steps} steps, lr = {lr:g}, seed {seed}", losses,
        torch_losses(reply["result"].get("before"), steps, lr) if plots.available() else None),
        file=out)
    return 0


def torch_losses(before, steps, lr):
    """torch's losses from the learner's starting weights, or None when it cannot say (the
    weights are not 41 numbers, say). Only for the picture: torch is imported here alone."""
    from .runner import CHECKS
    if CHECKS not in sys.path:
        sys.path.insert(0, CHECKS)
    import training
    if not before or len(before) != training.count("mlp", (SIZES[0], SIZES[1:])):
        return None
    return training.torch_train(SIZES, before, XS, YS, steps, lr)[0]


def failure_text(reply):
    if reply.get("kind") == "raised":
        error = reply["error"]
        where = error["frames"][-1] if error["frames"] else None
        at = f"\n  at {place(where['file'], where['line'])}: {where['code']}" if where else ""
        if error["type"] == "NotImplementedError":
            return (f"The demo needs every stage up to 7; it stopped at a stub: "
                    f"{error['message']}{at}")
        return f"Your code raised {error['type']}: {error['message']}{at}"
    return f"The demo could not run: {reply.get('message', reply)}"
