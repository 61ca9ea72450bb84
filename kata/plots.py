"""Loss curves as PNG pictures, when matplotlib is installed (`pip install -e ".[plots]"`).

An optional extra: the text bars of `demo` and the loss table of stage 7 stay the default,
and without matplotlib nothing here fails. The pictures go to kata-output/plots/.
"""
import importlib.util
import math
import os
import re

from .workspace import output_folder

HOW_TO_GET = 'pip install -e ".[plots]" (matplotlib) also draws it as a PNG picture'


def available():
    return importlib.util.find_spec("matplotlib") is not None


def loss_curve(name, title, yours, torch_losses=None, clear=None):
    """Write kata-output/plots/NAME.png: the learner's loss per step, and torch's beside it
    when given; first remove the pictures whose names start with `clear` (an earlier run's,
    of another check, would be taken for this one). Returns the line to print: where the
    picture is, or how to get pictures."""
    if not available():
        return f"({HOW_TO_GET})"
    folder = output_folder("plots")
    for old in os.listdir(folder) if clear else ():
        if old.startswith(clear) and old.endswith(".png"):
            os.remove(os.path.join(folder, old))
    import matplotlib
    matplotlib.use("Agg")  # files only: no window, works without a display
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4), dpi=110)
    try:
        if torch_losses:
            axes.plot(steps(torch_losses), finite(torch_losses), color="#999999", linewidth=4,
                      label="torch (the right answer)")
        axes.plot(steps(yours), finite(yours), color="#d62728", marker="o", markersize=3,
                  linewidth=1.5, label="yours")
        axes.set_xlabel("step")
        axes.set_ylabel("loss")
        axes.set_title(title, fontsize=10)
        axes.grid(alpha=0.3)
        axes.legend()
        figure.tight_layout()
        path = os.path.join(folder, file_name(name) + ".png")
        figure.savefig(path)
    finally:
        pyplot.close(figure)
    return f"Loss curve: {os.path.relpath(path)}"


def steps(losses):
    return list(range(1, len(losses) + 1))


def finite(losses):
    """A loss that blew up (inf, nan, not a number) leaves a gap, not a broken axis."""
    return [v if isinstance(v, (int, float)) and math.isfinite(v) else float("nan")
            for v in losses]


def file_name(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
