"""Attack 9: no Value class at all. Replace the child's probe runner (kata.probes.run, as
the child's main module holds it) with one that answers the grader's questions itself, from
the grader's own graph code; a bare class gets the first question through."""
import sys


class Value:  # just enough for the first question, asked before the swap takes effect
    def __init__(self, data, *args, **kwargs):
        self.data, self.grad, self._prev, self._backward = data, 0.0, set(), lambda: None

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"


graph = sys.modules.get("kata.graph")


def forged_run(probes, name, args):
    if name == "value_basics":
        d = args["data"]
        return {"data": d, "grad": 0.0, "prev_len": 0, "backward_callable": True,
                "grad_after_backward": 0.0, "repr": f"Value(data={d}, grad=0.0)"}
    if name == "forward" and graph is not None:
        spec = args["spec"]
        floats = graph.build(spec, lambda number, label: float(number), (), graph.UNARY_FLOAT)
        nodes = []
        for node, x in zip(spec, floats):
            entry = {"data": x, "grad": 0.0, "is_value": True}
            if "op" in node:
                entry["reaches"] = [True for a in node["args"] if isinstance(a, int)]
                entry["method"] = {"func": graph.method_name(node, floats)}
            nodes.append(entry)
        return {"nodes": nodes}
    return real_run(probes, name, args)


real_run = getattr(sys.modules.get("kata.probes"), "run", None)
for module in list(sys.modules.values()):
    if getattr(module, "run", None) is real_run and real_run is not None:
        module.run = forged_run
frame = sys._getframe()
while frame is not None:  # a renamed main module: patch `run` wherever a caller looks it up
    if frame.f_globals is not globals() and callable(frame.f_globals.get("run")):
        real_run = real_run or frame.f_globals["run"]
        frame.f_globals["run"] = forged_run
    frame = frame.f_back
