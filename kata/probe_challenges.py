"""Probes of the optional challenges: deep and wide graphs, softmax and cross-entropy, and
the classifier. Like every probe they report plain numbers (and how long the learner's code
took), never whether that is right."""
import contextlib
import gc
import sys
import time

from . import graph
from .learner import LearnerProblem
from .nodes import children, plain, where
from .probe_network import weighed

# Python's recursion limit before any learner code ran: challenge 1 is about graphs deeper
# than it, which sys.setrecursionlimit(10**6) would only pretend to solve.
RECURSION_LIMIT = sys.getrecursionlimit()


@contextlib.contextmanager
def no_collector():
    """Python's cycle collector off while a big graph is built and walked: every Value is
    in a cycle with its _backward closure, so the collector runs again and again over the
    whole growing graph, two thirds of the time on a 100,000-node chain (measured). What
    the learner's code computes is the same; only the grader's clock is fairer."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class ChallengeProbes:
    """Mixed into Probes; uses EngineProbes' value_class(), operations() and describe(),
    and NetworkProbes' make_network() and parameters()."""

    def defined(self, names):
        """Which of `names` ("value.sum_values", "Value.log") the learner has not written."""
        missing = []
        for name in names:
            owner, attr = name.split(".")
            if owner == "Value":
                found = hasattr(self.value_class(), attr)
            else:
                try:
                    found = hasattr(self.code.module(owner), attr)
                except LearnerProblem as problem:
                    if problem.kind != "missing":
                        raise
                    found = False
            if not found:
                missing.append(name)
        return {"missing": missing}

    # --- challenge 1 -------------------------------------------------------------------

    def chain(self, start, cycle, n):
        """x = Value(start), then n ops, each the next of `cycle` (graph op nodes whose node
        operand 0 is the chain so far); backward() from the end. Returns the end's data,
        x.grad and the seconds each half took."""
        Value = self.value_class()
        operations = self.operations()
        x = Value(start)
        with no_collector():
            began = time.perf_counter()
            v = x
            for k in range(n):
                node = cycle[k % len(cycle)]
                try:
                    v = graph.apply(node, [v if isinstance(a, int) else a["num"]
                                           for a in node["args"]], operations)
                except BaseException as exc:
                    exc.kata_node = k  # the chain broke while being built
                    raise
            built = time.perf_counter()
            v.backward()
            done = time.perf_counter()
        return {"data": plain(getattr(v, "data", None)), "grad": plain(x.grad),
                "build_seconds": built - began, "backward_seconds": done - built,
                "recursion_limit": sys.getrecursionlimit(), "limit_before": RECURSION_LIMIT}

    def wide_sum(self, data, n, picks):
        """sum_values of n squares x_i * x_i, x_i = Value(data[i % len(data)]); backward().
        Returns the sum's data, the grads of the leaves at `picks`, the total of every
        leaf's grad, and the seconds each half took."""
        Value = self.value_class()
        sum_values = self.code.need("value", "sum_values")
        with no_collector():
            began = time.perf_counter()
            leaves = [Value(data[i % len(data)]) for i in range(n)]
            terms = [x * x for x in leaves]
            out = sum_values(list(terms))
            built = time.perf_counter()
            if not isinstance(out, Value):
                return {"is_value": False, "data": plain(out)}
            out.backward()
            done = time.perf_counter()
        grads = [plain(x.grad) for x in leaves]
        total = sum(g for g in grads if isinstance(g, (int, float)))
        terms = {id(t) for t in terms}
        return {"is_value": True, "data": plain(out.data), "picked": [grads[i] for i in picks],
                "children": sum(id(c) in terms for c in children(out)),  # one node? then n
                "total": plain(total), "numbers": sum(isinstance(g, (int, float))
                                                      for g in grads),
                "build_seconds": built - began, "backward_seconds": done - built}

    # --- challenge 3 -------------------------------------------------------------------

    def softmax(self, logits, coefficients):
        """softmax(logits) on Values; then backward() from sum(c_i * p_i)."""
        Value = self.value_class()
        softmax = self.code.need("softmax", "softmax")
        xs = [Value(v) for v in logits]
        out = softmax(xs)
        if not isinstance(out, (list, tuple)):
            return {"returned": type(out).__name__[:60]}
        outs = list(out)
        report = {"returned": "list", "outputs": self.describe(outs),
                  "at": where(softmax, self.code)}
        if len(outs) == len(xs) and all(isinstance(o, Value) for o in outs):
            weighed(outs, coefficients).backward()
            report["grads"] = [plain(x.grad) for x in xs]
        return report

    def cross_entropy(self, logits, target):
        Value = self.value_class()
        cross_entropy = self.code.need("softmax", "cross_entropy")
        xs = [Value(v) for v in logits]
        loss = cross_entropy(xs, target)
        at = where(cross_entropy, self.code)
        if not isinstance(loss, Value):
            return {"is_value": False, "data": plain(loss), "at": at}
        loss.backward()
        return {"is_value": True, "data": plain(loss.data),
                "grads": [plain(x.grad) for x in xs], "at": at}

    # --- challenge 4 -------------------------------------------------------------------

    def _classifier(self, sizes, seed, weights):
        """A new Classifier(sizes[0], sizes[1:]) and its parameters(), set to `weights`
        through them when given."""
        model = self.make_network("classifier", [sizes[0], list(sizes[1:])], seed)
        params = self.parameters(model)
        for p, w in zip(params, weights or ()):
            p.data = w
        return model, params

    def classifier(self, sizes, seed, inputs, weights=None):
        """Classifier(sizes[0], sizes[1:]): its parameters, and its outputs on each input
        (with `weights` set through parameters() first, when given)."""
        Value = self.value_class()
        model, params = self._classifier(sizes, seed, weights)
        report = {"count": len(params), "data": [plain(p.data) for p in params],
                  "returned": "list", "outputs": [], "all_values": True,
                  "call_at": where(getattr(type(model), "__call__", None), self.code)}
        for x in inputs:
            out = model(list(x))
            if not isinstance(out, (list, tuple)):
                return {**report, "returned": type(out).__name__[:60], "outputs": None}
            report["all_values"] &= all(isinstance(o, Value) for o in out)
            report["outputs"].append([plain(o.data) if isinstance(o, Value) else plain(o)
                                      for o in out])
        return report

    def classifier_train(self, sizes, seed, xs, ys, steps, lr, weights=None):
        """train_classifier on a new Classifier (its weights set through parameters() first,
        when given): weights before and after, the losses, the logits of every example
        after training, and the seconds training took."""
        train = self.code.need("classifier", "train_classifier")
        model, params = self._classifier(sizes, seed, weights)
        before = [plain(p.data) for p in params]
        with no_collector():
            began = time.perf_counter()
            losses = train(model, [list(x) for x in xs], list(ys), steps, lr)
            seconds = time.perf_counter() - began
        returned = type(losses).__name__[:60]
        losses = [plain(v) for v in losses] if isinstance(losses, (list, tuple)) else None
        logits = []
        for x in xs:
            out = model(list(x))
            outs = list(out) if isinstance(out, (list, tuple)) else [out]
            logits.append([plain(getattr(o, "data", o)) for o in outs])
        return {"returned": returned, "losses": losses, "before": before,
                "after": [plain(p.data) for p in params], "logits": logits,
                "seconds": seconds, "train_at": where(train, self.code)}
