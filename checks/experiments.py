"""Control experiments that tell the classic Neuron, Layer and MLP mistakes apart.

When a network check fails, the grader does what a teaching assistant would: it builds
fresh networks of the learner's own classes in a few sizes, sets every weight through
parameters() to chosen numbers, runs them on chosen inputs, and compares each count and
each output with what every classic mistake would give (worked out here, in plain Python).
A mistake is named only when it alone reproduces every trial and the correct network does
not; otherwise the check says only what differs.
"""
import math
import random
from dataclasses import dataclass

import misconceptions as mc
import mirror


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z > -700 else 0.0


ACTIVATIONS = {"tanh": math.tanh, "none": lambda z: z, "relu": lambda z: max(0.0, z),
               "sigmoid": sigmoid, "tanh twice": lambda z: math.tanh(math.tanh(z))}


@dataclass(frozen=True)
class Variant:
    """One way of building the network: correct, or with one classic mistake."""
    mistake: str = None         # key of MISTAKES (None: the correct network)
    detail: str = None          # passed to the mistake's message
    extra_weights: int = 0      # weights per neuron beyond nin (-1: one short)
    bias: str = "last"          # last | first (in parameters()) | unused | none | after
    #                             (last in parameters(), added after the activation)
    activation: str = "tanh"
    last_activation: str = None  # the last layer's, when it differs (None: the same)
    layers: str = "correct"     # how the sizes become layers: see layer_pairs()
    feed: str = "chain"         # chain: each layer gets the one before; input: every one x

    def per_neuron(self, nin):
        return nin + self.extra_weights + (self.bias != "none")


def layer_pairs(layers, sizes):
    """[(weights per neuron, neurons), ...] of a network whose sizes list is [nin] + nouts."""
    pairs = list(zip(sizes, sizes[1:]))
    if layers == "correct":
        return pairs
    if layers == "swapped":           # Layer(nout, nin), or [Neuron(nout) for _ in range(nin)]
        return [(b, a) for a, b in pairs]
    if layers == "last lost":         # range(len(nouts) - 1)
        return pairs[:-1]
    if layers == "first lost":        # the sizes without nin: zip(nouts, nouts[1:])
        return pairs[1:]
    kind, _, k = layers.partition(" ")
    assert kind == "repeated", layers  # sizes[k] listed twice: one layer too many
    k = int(k)
    return layer_pairs("correct", sizes[:k + 1] + sizes[k:]) if k < len(sizes) else None


def sizes_of(kind, args):
    return [args[0], 1] if kind == "neuron" else list(args) if kind == "layer" else \
        [args[0]] + list(args[1])


def simulate(variant, kind, args, weights, inputs):
    """(parameter count, outputs or "error") of the variant on these weights and inputs."""
    pairs = layer_pairs(variant.layers, sizes_of(kind, args))
    if pairs is None:
        return None, None  # the variant does not exist for these sizes
    total = sum(neurons * variant.per_neuron(nin) for nin, neurons in pairs)
    if inputs is None or total > len(weights):
        return total, None  # (more parameters than weights set: outputs not predictable)
    if not pairs:
        return total, "error"
    k, h = 0, list(inputs)
    for li, (nin, neurons) in enumerate(pairs):
        given = list(inputs) if variant.feed == "input" else h
        activation = variant.last_activation if variant.last_activation and \
            li == len(pairs) - 1 else variant.activation
        if not isinstance(given, list):
            return total, "error"  # a single Value where a list belongs: not iterable
        outs = []
        for _ in range(neurons):
            p = weights[k:k + variant.per_neuron(nin)]
            k += variant.per_neuron(nin)
            b, w = (p[0], p[1:]) if variant.bias == "first" else (p[-1], p[:-1]) \
                if variant.bias != "none" else (0.0, p)
            z = sum(wi * xi for wi, xi in zip(w, given)) + (b if variant.bias in ("first",
                                                                                  "last") else 0)
            outs.append(ACTIVATIONS[activation](z) + (b if variant.bias == "after" else 0))
        h = outs[0] if len(outs) == 1 and kind != "neuron" else outs  # a Layer unwraps one
    return total, [h] if not isinstance(h, list) else h


NEURON_VARIANTS = [
    Variant("missing_bias", "unused", bias="unused"),
    Variant("missing_bias", "none", bias="none"),
    Variant("activation", "none", activation="none"),
    Variant("activation", "relu", activation="relu"),
    Variant("activation", "sigmoid", activation="sigmoid"),
    Variant("activation", "tanh twice", activation="tanh twice"),
    Variant("bias_after_activation", bias="after"),
    Variant("parameters_order", bias="first"),
    Variant("weight_count", "short", extra_weights=-1),
    Variant("weight_count", "extra", extra_weights=1),
]
STRUCTURE_VARIANTS = {
    "neuron": [],
    "layer": [Variant("swapped", "layer", layers="swapped")],
    "mlp": [Variant("swapped", "mlp", layers="swapped"),
            Variant("layer_lost", "last", layers="last lost"),
            Variant("layer_lost", "first", layers="first lost"),
            *(Variant("layer_repeated", layers=f"repeated {k}") for k in range(4)),
            Variant("fed_input", feed="input"),
            # micrograd's own nn.py: relu in hidden layers, a linear last layer
            Variant("layer_activation", "micrograd", activation="relu", last_activation="none"),
            Variant("layer_activation", "hidden none", activation="none",
                    last_activation="tanh"),
            Variant("layer_activation", "last none", last_activation="none"),
            Variant("layer_activation", "hidden relu", activation="relu",
                    last_activation="tanh")],
}
# Sizes the experiments use: nin and nout differ, so a swap shows; no hidden layer of one
# neuron (the lecture's Layer returns that one Value itself, which the next layer can't
# take).
CONFIGS = {"neuron": ([2], [3], [5]), "layer": ([3, 2], [2, 4], [4, 3]),
           "mlp": ([3, [4, 2]], [2, [3, 4, 2]], [4, [5, 3]])}
TRIALS_PER_CONFIG = 3
MISTAKES = {"missing_bias": mc.missing_bias, "activation": mc.wrong_activation,
            "parameters_order": mc.parameters_order, "swapped": mc.nin_nout_swapped,
            "layer_lost": mc.layer_lost, "layer_repeated": mc.layer_repeated,
            "fed_input": mc.every_layer_fed_input,
            "bias_after_activation": mc.bias_after_activation,
            "layer_activation": mc.layer_activation}


def diagnosis(mistake, detail, kind):
    if mistake == "weight_count":  # in Layer or MLP, the size handed to Neuron may be off
        return mc.wrong_weight_count(detail, kind)
    return MISTAKES[mistake](detail)


def variants(kind):
    return [Variant()] + NEURON_VARIANTS + STRUCTURE_VARIANTS[kind]


def trials(kind):
    """Fixed, seeded trials: weights and inputs rounded to 3 places, never 0 or 1 exactly."""
    draw = random.Random(f"experiments-{kind}")

    def number(scale):
        return round(draw.choice((-1, 1)) * draw.uniform(0.1, 0.95) * scale, 3)
    return [{"args": args, "weights": [number(1) for _ in range(120)],
             "inputs": [number(1.5) for _ in range(args[0])]}
            for args in CONFIGS[kind] for _ in range(TRIALS_PER_CONFIG)]


def fits(variant, kind, asked, answers):
    """Does the variant give every count and output the learner's network gave?"""
    for trial, got in zip(asked, answers):
        if got["count"] is None:
            return False
        want_count, want = simulate(variant, kind, trial["args"], trial["weights"],
                                    trial["inputs"])
        if got["count"] != want_count or want_count > len(trial["weights"]):
            return False
        if want == "error":
            if got["error"] is None:
                return False
            continue
        outs = got["outputs"]
        if got["error"] is not None or outs is None or len(outs) != len(want) or \
                not all(isinstance(o, (int, float)) and mirror.close(o, w)
                        for o, w in zip(outs, want)):
            return False
    return True


def explain(learner, kind):
    """The one classic mistake that reproduces the learner's network, or None."""
    found = learner.child.memo  # the same experiment serves every failing check of the stage
    key = ("network experiment", kind)
    if key not in found:
        asked = trials(kind)
        report = learner.experiment("network_trials", kind=kind, trials=asked)
        found[key] = report and singled_out(kind, asked, report["trials"])
    return found[key]


def singled_out(kind, asked, answers):
    found = {(v.mistake, v.detail) for v in variants(kind) if fits(v, kind, asked, answers)}
    names = {mistake for mistake, _ in found}
    if len(names) != 1 or None in names:
        return None
    details = {detail for _, detail in found}
    return diagnosis(names.pop(), details.pop() if len(details) == 1 else None, kind)
