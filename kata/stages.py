"""The table of stages: what each one grades, which files and names it owns.

Shared by both sides of the grader: the child (learner code) uses the ownership tables to
say which stage a missing file or name belongs to; the judge and the report use the rest.
Plain data only: no torch, no pytest.
"""
from collections import namedtuple

# (A named tuple, not a dataclass: the child imports this table, and dataclasses costs every
# child 8 ms of imports.)
_Fields = namedtuple("_Fields", "number slug title thing files depends own_file points",
                     defaults=((), None, 0))


class Stage(_Fields):
    """number, slug, title; thing: what the learner builds, for sentences ("your Neuron");
    files; depends: earlier stages whose code this stage's checks run through; own_file: a
    file only this stage writes (it can be graded on the reference code of every earlier
    stage, to tell whose fault a failure is); points: course mode's whole-stage points
    (Gradescope and Classroom alike)."""
    __slots__ = ()

    @property
    def name(self):
        return f"stage{self.number}"

    @property
    def check_module(self):
        return f"test_{self.name}_{self.slug}.py"


STAGES = (
    Stage(0, "derivative", "Derivatives by definition", "derivative", ("derivative.py",),
          points=5),
    Stage(1, "forward", "Value: forward pass", "Value", ("value.py",), points=15),
    Stage(2, "local_backward", "Value: local derivatives", "Value", ("value.py",), (1,),
          points=15),
    Stage(3, "backprop", "build_topo and backward()", "build_topo and backward()",
          ("topo.py", "value.py"), (1, 2), points=15),
    Stage(4, "neuron", "Neuron", "Neuron", ("neuron.py",), (1, 2, 3), "neuron.py", 10),
    Stage(5, "layer", "Layer", "Layer", ("layer.py",), (1, 2, 3, 4), "layer.py", 10),
    Stage(6, "mlp", "MLP", "MLP", ("mlp.py",), (1, 2, 3, 4, 5), "mlp.py", 10),
    Stage(7, "train", "Training loop", "training loop", ("train.py",), (1, 2, 3, 4, 5, 6),
          "train.py", 20),
)
BY_NAME = {s.name: s for s in STAGES}
TOTAL_POINTS = sum(s.points for s in STAGES)  # 100: the course's points table is the column above

# The first stage that needs each learner module, and each public name the learner writes.
MODULE_STAGE = {"derivative": 0, "value": 1, "topo": 3, "neuron": 4, "layer": 5,
                "mlp": 6, "train": 7}
NAME_STAGE = {
    "derivative.derivative": 0, "derivative.partial": 0,
    "value.Value": 1, "Value.backward": 3, "topo.build_topo": 3,
    "neuron.Neuron": 4, "layer.Layer": 5, "mlp.MLP": 6,
    "train.squared_error": 7, "train.zero_grad": 7, "train.sgd_step": 7, "train.train": 7,
}


def stage_by_name(text):
    """'stage3', '3' or 'Stage3' -> Stage, or None when there is no such stage."""
    text = text.strip().lower()
    if text.startswith("stage"):
        text = text[len("stage"):]
    if text.isdigit() and int(text) < len(STAGES):
        return STAGES[int(text)]
    return None
