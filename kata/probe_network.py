"""Probes of stages 4-7: the learner's Neuron, Layer, MLP and training loop.

Weights are read and written only through parameters(), never by attribute name.
"""
import random

from .learner import LearnerProblem
from .nodes import plain, returned_at, walk, where

NETWORKS = {"neuron": ("neuron", "Neuron"), "layer": ("layer", "Layer"), "mlp": ("mlp", "MLP"),
            "classifier": ("classifier", "Classifier")}  # the last: challenge 4


def weighed(outs, coefficients):
    """c_0 * outs[0] + c_1 * outs[1] + ..., made with the learner's own Value operations:
    one backward() then reaches every output, each with its own weight."""
    total = outs[0] * coefficients[0]
    for o, c in zip(outs[1:], coefficients[1:]):
        total = total + o * c
    return total


class NetworkProbes:
    """Mixed into Probes; uses EngineProbes' value_class() and describe()."""

    def make_network(self, kind, args, seed):
        module, name = NETWORKS[kind]
        cls = self.code.need(module, name)
        random.seed(seed)
        return cls(*args)

    def parameters(self, model, values_only=True):
        params = model.parameters()
        if not isinstance(params, (list, tuple)):
            raise LearnerProblem("shape", f"parameters() returned a {type(params).__name__}, "
                                 "not a list")
        if values_only:
            Value = self.value_class()
            odd = next((p for p in params if not isinstance(p, Value)), None)
            if odd is not None:
                # Said here, before the probe reads p.grad: an AttributeError raised in the
                # grader's own code would look like a bug in the learner's __call__.
                fix = ("return one flat list of Values, e.g. by extending a list with each "
                       "part's parameters()" if isinstance(odd, (list, tuple)) else
                       "make every weight and bias a Value when the network is made, e.g. "
                       "self.b = Value(random.uniform(-1, 1))"
                       if isinstance(odd, (int, float)) else "list only Values")
                raise LearnerProblem("shape", f"parameters() returned a list holding a "
                                     f"{type(odd).__name__}, where only Values belong: {fix}.")
        return list(params)

    def describe_parameters(self, params):
        Value = self.value_class()
        return {"count": len(params), "all_values": all(isinstance(p, Value) for p in params),
                "distinct": len({id(p) for p in params}),
                "data": [plain(getattr(p, "data", None)) for p in params]}

    def network_init(self, kind, args, seed):
        """parameters() of two instances made one after the other."""
        model = self.make_network(kind, args, seed)
        first = self.parameters(model, values_only=False)
        second = self.parameters(self.make_network(kind, args, seed + 1), values_only=False)
        again = self.parameters(model, values_only=False)  # asking twice must change nothing
        mine = {id(p) for p in first}
        return {"first": self.describe_parameters(first),
                "second": self.describe_parameters(second),
                "shared": sum(id(p) in mine for p in second),
                "again": {"count": len(again), "same": len(again) == len(first) and
                          all(p is q for p, q in zip(again, first))}}

    def network(self, kind, args, seed, inputs, inputs_as_values=False, weights=None,
                coefficients=None):
        """Forward one input, then backward from (a weighted sum of) the outputs."""
        Value = self.value_class()
        model = self.make_network(kind, args, seed)
        params = self.parameters(model)
        if weights is not None:
            for p, w in zip(params, weights):
                p.data = w
        x = [Value(v) for v in inputs] if inputs_as_values else list(inputs)
        out, call_at = returned_at(getattr(type(model), "__call__", None), lambda: model(x),
                                   self.code)
        single = not isinstance(out, (list, tuple))
        outs = [out] if single else list(out)
        report = {"single": single, "outputs": self.describe(outs),
                  "parameters": self.describe_parameters(params), "call_at": call_at}
        if not all(isinstance(o, Value) for o in outs):
            return report
        total = outs[0] if coefficients is None else weighed(outs, coefficients)
        reachable = {id(n) for n in walk(total)[0]}
        report["reaches_parameters"] = [id(p) in reachable for p in params]
        total.backward()
        report["parameter_grads"] = [plain(p.grad) for p in params]
        report["input_grads"] = [plain(v.grad) for v in x] if inputs_as_values else None
        return report

    def network_trials(self, kind, trials, seed=0):
        """Control experiments for a diagnosis: for each trial, a new network of
        trial["args"], its parameters() set to trial["weights"] (as many as it has), run on
        trial["inputs"] (if any). Reports counts and output numbers; an error in one trial
        is reported as its type and the next trial still runs."""
        Value = self.value_class()
        reports = []
        for trial in trials:
            report = {"count": None, "single": None, "outputs": None, "error": None}
            try:
                model = self.make_network(kind, trial["args"], seed)
                params = self.parameters(model, values_only=False)
                report["count"] = len(params)
                for p, w in zip(params, trial.get("weights") or ()):
                    p.data = w
                if trial.get("inputs") is not None:
                    out = model(list(trial["inputs"]))
                    report["single"] = isinstance(out, Value)
                    outs = [out] if isinstance(out, Value) else list(out)
                    report["outputs"] = [plain(getattr(o, "data", o)) for o in outs]
            except Exception as error:  # the learner's code; a LearnerProblem too
                report["error"] = type(error).__name__
            reports.append(report)
        return {"trials": reports}

    # --- stage 7 -----------------------------------------------------------------------

    def squared_error(self, ypred, ys):
        Value = self.value_class()
        squared_error = self.code.need("train", "squared_error")
        preds = [Value(v) for v in ypred]
        loss = squared_error(preds, list(ys))
        if not isinstance(loss, Value):
            return {"is_value": False, "data": plain(loss)}
        loss.backward()
        return {"is_value": True, "data": plain(loss.data),
                "grads": [plain(p.grad) for p in preds]}

    def zero_grad(self, grads):
        Value = self.value_class()
        zero_grad = self.code.need("train", "zero_grad")
        params = []
        for g in grads:
            p = Value(1.0)
            p.grad = g
            params.append(p)
        zero_grad(params)
        return {"grads": [plain(p.grad) for p in params],
                "data": [plain(p.data) for p in params]}

    def sgd_step(self, data, grads, lr):
        Value = self.value_class()
        sgd_step = self.code.need("train", "sgd_step")
        params = []
        for d, g in zip(data, grads):
            p = Value(d)
            p.grad = g
            params.append(p)
        sgd_step(params, lr)
        return {"data": [plain(p.data) for p in params],
                "grads": [plain(p.grad) for p in params]}

    def train(self, sizes, seed, xs, ys, steps, lr):
        """The learner's train() on the learner's MLP; weights before and after."""
        train = self.code.need("train", "train")
        model = self.make_network("mlp", [sizes[0], sizes[1:]], seed)
        params = self.parameters(model)
        before = [plain(p.data) for p in params]
        losses = train(model, [list(x) for x in xs], list(ys), steps, lr)
        returned = type(losses).__name__
        losses = [plain(v) for v in losses] if isinstance(losses, (list, tuple)) else None
        return {"returned": returned, "losses": losses, "before": before,
                "after": [plain(p.data) for p in params], "train_at": where(train, self.code)}

    def demo(self, sizes, seed, xs, ys, steps, lr):
        """The lecture's training run on the learner's own code; losses and predictions."""
        train = self.code.need("train", "train")
        model = self.make_network("mlp", [sizes[0], sizes[1:]], seed)
        try:  # the starting weights, for torch's curve beside the learner's: not needed
            before = [plain(p.data) for p in self.parameters(model)]
        except Exception:
            before = None
        losses = train(model, [list(x) for x in xs], list(ys), steps, lr)
        predictions = [plain(getattr(model(list(x)), "data", None)) for x in xs]
        return {"losses": [plain(getattr(v, "data", v)) for v in losses],
                "predictions": predictions, "before": before}
