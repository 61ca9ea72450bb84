"""Judging Neuron, Layer and MLP: the same network in torch, built from the learner's own
weights as parameters() lists them ([w_0, ..., w_{nin-1}, b] per neuron, neuron by neuron,
layer by layer)."""
from lazy import torch

import experiments
import misconceptions as mc
import mirror
import pictures

from kata.places import at
from verdicts import CheckFailed

TITLE = {"neuron": "Neuron", "layer": "Layer", "mlp": "MLP"}


def layer_sizes(kind, args):
    """[(nin, nout), ...] of a network, and whether it returns one Value (not a list)."""
    if kind == "neuron":
        return [(args[0], 1)], True
    if kind == "layer":
        return [(args[0], args[1])], args[1] == 1
    sizes = [args[0]] + list(args[1])
    return list(zip(sizes, sizes[1:])), sizes[-1] == 1


def parameter_names(kind, args):
    """Names for messages: w0, b / neuron 1: w0 / layer 2, neuron 1: b."""
    names = []
    layers, _ = layer_sizes(kind, args)
    for li, (nin, nout) in enumerate(layers):
        for ni in range(nout):
            where = "" if kind == "neuron" else \
                f"neuron {ni}: " if kind == "layer" else f"layer {li}, neuron {ni}: "
            names += [f"{where}w{i}" for i in range(nin)] + [f"{where}b"]
    return names


def count(kind, args):
    return sum(nout * (nin + 1) for nin, nout in layer_sizes(kind, args)[0])


def forward(layers, params, x):
    """tanh(w . x + b) for every neuron, layer after layer; returns the last layer's list."""
    k, h = 0, x
    for nin, nout in layers:
        outs = []
        for _ in range(nout):
            w, b = params[k:k + nin], params[k + nin]
            k += nin + 1
            act = b
            for wi, hi in zip(w, h):
                act = act + wi * hi
            outs.append(torch.tanh(act))
        h = outs
    return h


@mirror.remembered
def expected(kind, args, weights, inputs, coefficients=None):
    """Outputs, and grads of every weight and input, of the torch twin."""
    layers, _ = layer_sizes(kind, args)
    params = [mirror.leaf(w) for w in weights]
    x = [mirror.leaf(v) for v in inputs]
    outs = forward(layers, params, x)
    total = outs[0] if coefficients is None else sum(o * c for o, c in zip(outs, coefficients))
    total.backward()
    return ([o.item() for o in outs], [p.grad.item() for p in params],
            [v.grad.item() if v.grad is not None else 0.0 for v in x])


def numbers_only(weights, what):
    """The learner's weights, if every one is a plain number torch can take."""
    for i, w in enumerate(weights):
        if isinstance(w, bool) or not isinstance(w, (int, float)):
            raise CheckFailed(f"{what}[{i}].data is {mirror.show_number(w)}, not a number: "
                              "every weight's data must be an int or a float.")
    return weights


def items(n):
    return f"{n} item" if n == 1 else f"{n} items"


def call_text(kind, args):
    return f"{TITLE[kind]}({', '.join(map(str, args))})"


# What repeats one object in each file, and how to make each one anew.
REPEATED_HINT = {
    "neuron": "[Value(random.uniform(-1, 1))] * nin is one Value listed nin times; draw each "
              "weight: [Value(random.uniform(-1, 1)) for _ in range(nin)].",
    "layer": "[Neuron(nin)] * nout repeats one neuron; build each with a list comprehension: "
             "[Neuron(nin) for _ in range(nout)].",
    "mlp": "each layer must be a Layer of its own, built in a loop over the sizes: "
           "[Layer(sz[i], sz[i + 1]) for i in range(len(nouts))].",
}

SHARED_HINT = ("every weight and bias must be a new Value of its own, made in Neuron.__init__ "
               "(a Value made once and handed to several neurons is shared by all of them).")


def check_parameters(learner, kind, args, seed):
    """parameters(): the right count, all Values, each once; weights in [-1, 1], varied,
    and new ones for every new instance."""
    call = call_text(kind, args)
    init = learner.run(f"making {call}", "network_init", kind=kind, args=args, seed=seed)
    first, second = init["first"], init["second"]
    want = count(kind, args)
    if first["count"] != want:
        layout = "[w_0, ..., w_{nin-1}, b]" + (" for each neuron, in order" if kind != "neuron"
                                                else "")
        raise CheckFailed(f"{call}.parameters() has {items(first['count'])}; expected "
                          f"{want}: {layout}.", experiments.explain(learner, kind))
    if not first["all_values"]:
        raise CheckFailed(f"{call}.parameters() holds something that is not a Value: every "
                          "weight and bias must be a Value, so it can get a gradient.")
    if not init["again"]["same"]:  # only now: nested lists are new lists at every call
        raise CheckFailed(f"{call}.parameters() gave {items(first['count'])}, and called "
                          "again on the same one, "
                          + (f"{items(init['again']['count'])}" if init["again"]["count"] !=
                             first["count"] else "other Values")
                          + ": asking for the parameters must not change them.",
                          mc.parameters_change_the_network(kind))
    if first["distinct"] != want:
        # One neuron (or one weight) listed again and again leaves exactly its own count
        # of different Values; anything else (say, one bias shared) is not that.
        one_repeated = {"neuron": 2, "layer": args[0] + 1}.get(kind) == first["distinct"]
        raise CheckFailed(f"{call}.parameters() lists the same Value more than once "
                          f"({first['distinct']} different Values among {want}).\nHint: "
                          + (REPEATED_HINT[kind] if one_repeated or kind == "mlp"
                             else SHARED_HINT),
                          mc.repeated_neuron() if kind == "layer" and one_repeated else None)
    data = first["data"]
    if not all(isinstance(d, (int, float)) and -1 <= d <= 1 for d in data):
        raise CheckFailed(f"{call}: initial weights must lie in [-1, 1]; got "
                          f"{[mirror.show_number(d) for d in data]}.\nHint: "
                          "random.uniform(-1, 1).")
    weights = [d for d, name in zip(data, parameter_names(kind, args)) if name[-1] != "b"]
    if len(weights) >= 24 and all(w >= 0 for w in weights):  # 1 in 16 million for uniform(-1, 1)
        raise CheckFailed(f"{call}: all {len(weights)} initial weights are 0 or more; they "
                          "should spread over [-1, 1], negative ones too.\nHint: "
                          "random.uniform(-1, 1), not random.random() or uniform(0, 1).")
    if len(set(weights)) < len(weights):
        repeated = next(w for w in weights if weights.count(w) > 1)
        raise CheckFailed(f"{call}: {weights.count(repeated)} weights start at the same value "
                          f"{repeated}: draw each weight on its own with random.uniform(-1, 1) "
                          "(equal weights learn the same thing).")
    if init.get("shared"):
        raise CheckFailed(f"two {call}s share {init['shared']} of their {want} parameter "
                          "objects: make every weight a new Value inside __init__, so that "
                          "each instance has its own (a list made once, outside __init__, "
                          "is shared by all of them).")
    if want > 1 and data == second["data"]:
        raise CheckFailed(f"two {call}s got exactly the same weights: draw them in __init__, "
                          "once for every instance (not once for the class).")


def check_network(learner, kind, args, seed, inputs, inputs_as_values=False, weights=None):
    """Forward and backward of one input against torch, with the learner's own weights."""
    call = call_text(kind, args)
    layers, single = layer_sizes(kind, args)
    nout = layers[-1][1]
    coefficients = None if nout == 1 else [1.0 + 0.5 * j for j in range(nout)]
    shown_x = [round(v, 3) for v in inputs]
    context = f"{call} on x = {shown_x}" + (" (as Values)" if inputs_as_values else "")
    report = learner.run(f"calling {context}", "network", kind=kind, args=args, seed=seed,
                         inputs=inputs, inputs_as_values=inputs_as_values, weights=weights,
                         coefficients=coefficients)
    if report["parameters"]["count"] != count(kind, args):
        raise CheckFailed(f"{call}.parameters() has {items(report['parameters']['count'])}"
                          f"; expected {count(kind, args)}.", experiments.explain(learner, kind))
    check_output_shape(report, kind, args, single, nout, context)
    weights_used = numbers_only(report["parameters"]["data"], f"{call}.parameters()")
    outs, grads, input_grads = expected(kind, args, weights_used, inputs, coefficients)
    names = parameter_names(kind, args)
    with pictures.on_failure(
            lambda: pictures.neuron(weights_used, inputs, report, inputs_as_values)
            if kind == "neuron" else
            pictures.parameters(names, weights_used, report.get("parameter_grads"), grads)):
        judge_network(report, kind, args, context, nout, coefficients, inputs_as_values,
                      learner, outs, grads, input_grads)


def judge_network(report, kind, args, context, nout, coefficients, inputs_as_values,
                  learner, outs, grads, input_grads):
    for j, (got, want) in enumerate(zip(report["outputs"], outs)):
        if not mirror.close(got["data"], want):
            name = "output" if nout == 1 else f"output {j}"
            raise CheckFailed(f"{context}, with the weights from parameters():\n"
                              + mirror.mismatch_line(name, want, got["data"])
                              + your_code(report.get("call_at"))
                              + "\nHint: each neuron is tanh(w_0*x_0 + ... + b), with "
                              "parameters() listing [w_0, ..., b] in that order.",
                              experiments.explain(learner, kind))
    check_connected(report, kind, args, context)
    names = parameter_names(kind, args)
    wrong = [mirror.mismatch_line(f"{names[i]}.grad", want, got)
             for i, (got, want) in enumerate(zip(report["parameter_grads"], grads))
             if not mirror.close(got, want)]
    if inputs_as_values:
        wrong += [mirror.mismatch_line(f"x{i}.grad", want, got)
                  for i, (got, want) in enumerate(zip(report["input_grads"], input_grads))
                  if not mirror.close(got, want)]
    if wrong:
        what = "backward() from the output" if nout == 1 else \
            "backward() from " + " + ".join(f"{c:g}*out{j}" for j, c in enumerate(coefficients))
        more = f"\n  ... and {len(wrong) - 6} more" if len(wrong) > 6 else ""
        raise CheckFailed(f"{context}, then {what}:\n" + "\n".join(wrong[:6]) + more
                          + your_code(report.get("call_at")),
                          experiments.explain(learner, kind))  # right outputs by chance?


def your_code(where, made=True):
    """Where the learner's own code returned the value (the return line), or where
    the function is (made=False: train() makes no one value), as a message line."""
    if not where or not where.get("file"):
        return ""
    if not made:
        return f"\n  (your {where['func']}() is at {at(where['file'], where['line'])})"
    return f"\n  (returned by {where['func']} at {at(where['file'], where['line'])})"


def check_output_shape(report, kind, args, single, nout, context):
    outputs = report["outputs"]
    if single and not report["single"]:
        raise CheckFailed(f"{context} returned a list of {len(outputs)}; with one output it "
                          "should return that Value itself (as in the lecture), not a list.",
                          mc.layer_never_unwraps() if kind == "layer" and len(outputs) == 1
                          else None)
    if not single and report["single"]:
        raise CheckFailed(f"{context} returned one value; expected a list of {nout} outputs.")
    if len(outputs) != nout:
        raise CheckFailed(f"{context} returned {len(outputs)} outputs; expected {nout}.")
    if not all(o["is_value"] for o in outputs):
        got = mirror.show_number(next(o["data"] for o in outputs if not o["is_value"]))
        raise CheckFailed(f"{context} returned {got}, not a Value: with plain numbers the "
                          "weights cannot get gradients.\nHint: use Value operations, "
                          "and act.tanh() rather than math.tanh(...).")


def check_connected(report, kind, args, context):
    reach = report.get("reaches_parameters") or []
    cut = [name for name, ok in zip(parameter_names(kind, args), reach) if not ok]
    if cut:
        raise CheckFailed(f"{context}: the output is not connected to {len(cut)} of "
                          f"{len(reach)} parameters through _prev (e.g. {cut[0]}), so "
                          "backward() can never reach them.",
                          mc.graph_cut(CUT_EVERYTHING if len(cut) == len(reach) else CUT_SOME))


CUT_EVERYTHING = ("A new Value made from a number, such as Value(math.tanh(act.data)), has no "
                  "children and cuts the graph. Use act.tanh(), which keeps act as its child.")
CUT_SOME = ("A parameter used through its .data (w.data * x) is a plain number to the "
            "graph: compute with the Values themselves (w * x).")
