"""The table of stages: what each one grades, which files and names it owns.

Shared by both sides of the grader: the child (learner code) uses the ownership tables to
say which stage a missing file or name belongs to; the judge and the report use the rest.
Plain data only: no torch, no pytest.
"""
from collections import namedtuple

# (A named tuple, not a dataclass: the child imports this table, and dataclasses costs every
# child 8 ms of imports.)
_Fields = namedtuple("_Fields", "number slug title thing files depends own_file points "
                     "label seconds", defaults=((), None, 0, None, 0))


class Stage(_Fields):
    """number, slug, title; thing: what the learner builds, for sentences ("your Neuron");
    files; depends: earlier stages whose code this stage's checks run through; own_file: a
    file only this stage writes (it can be graded on the reference code of every earlier
    stage, to tell whose fault a failure is); points: course mode's whole-stage points
    (Gradescope and Classroom alike); label: an optional challenge's name (challenge1);
    seconds: what its checks' own time limits add to a grading's time budget."""
    __slots__ = ()

    @property
    def name(self):
        return self.label or f"stage{self.number}"

    @property
    def optional(self):
        return self.label is not None

    @property
    def spoken(self):
        """How sentences name it: 'stage 3', 'challenge 2'."""
        return f"challenge {self.label[len('challenge'):]}" if self.optional else \
            f"stage {self.number}"

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
# Optional challenges: graded only when named (`grader.py challenge1`) or with --all, never
# by a plain `grader.py`, so a learner who stops at stage 7 has finished the kata. Numbered
# on from the core stages (the number orders them and says which stub is whose); worth no
# points unless a course gives them some here. (Challenges 3 and 4 need challenge 2's log
# only, not all of it: a missing or unfinished log says so where it is called, so challenge
# 2 is not among the stages they depend on, whose failure would be blamed whatever it is.)
CHALLENGES = (
    Stage(8, "deep", "Deep and wide graphs", "backward() on deep graphs",
          ("value.py", "topo.py"), (1, 2, 3), label="challenge1", seconds=40),
    Stage(9, "stable", "Numerically stable ops", "Value", ("value.py",), (1, 2, 3),
          label="challenge2"),
    Stage(10, "softmax", "Softmax and cross-entropy", "softmax and cross_entropy",
          ("softmax.py",), (1, 2, 3), "softmax.py", label="challenge3"),
    Stage(11, "classifier", "A multi-class classifier", "Classifier",
          ("classifier.py",), (1, 2, 3, 4, 5, 6, 7, 10), "classifier.py", label="challenge4",
          seconds=30),
)
ALL_STAGES = STAGES + CHALLENGES  # ALL_STAGES[n].number == n
BY_NAME = {s.name: s for s in ALL_STAGES}
TOTAL_POINTS = sum(s.points for s in ALL_STAGES)  # 100: the points table is the column above

# The first stage that needs each learner module, and each public name the learner writes.
MODULE_STAGE = {"derivative": 0, "value": 1, "topo": 3, "neuron": 4, "layer": 5,
                "mlp": 6, "train": 7, "softmax": 10, "classifier": 11}
NAME_STAGE = {
    "derivative.derivative": 0, "derivative.partial": 0,
    "value.Value": 1, "Value.backward": 3, "topo.build_topo": 3,
    "neuron.Neuron": 4, "layer.Layer": 5, "mlp.MLP": 6,
    "train.squared_error": 7, "train.zero_grad": 7, "train.sgd_step": 7, "train.train": 7,
    "value.sum_values": 8, "Value.log": 9, "Value.sigmoid": 9, "Value.__rpow__": 9,
    "softmax.softmax": 10, "softmax.cross_entropy": 10,
    "classifier.Classifier": 11, "classifier.train_classifier": 11,
}


def stage_by_name(text):
    """'stage3', '3', 'Stage3' or 'challenge2' -> Stage, or None when there is no such
    stage."""
    text = text.strip().lower()
    if text.startswith("challenge"):
        return BY_NAME.get(text)
    if text.startswith("stage"):
        text = text[len("stage"):]
    if text.isdigit() and int(text) < len(STAGES):
        return STAGES[int(text)]
    return None


def stub_owner(word, digit):
    """The stage number a stub's message names: ('stage', '3') -> 3, ('challenge', '2') ->
    9; None for a challenge there is not."""
    if word.lower() == "stage":
        return int(digit)
    stage = BY_NAME.get(f"challenge{digit}")
    return stage.number if stage else None


def course_stages():
    """The stages a course grades: the core ones, and a challenge the points table gives
    points to."""
    return [s for s in ALL_STAGES if not s.optional or s.points]


def extra_seconds(names):
    """What the checks' own time limits of these stages add to a grading's time budget."""
    return sum(BY_NAME[n].seconds for n in names)
