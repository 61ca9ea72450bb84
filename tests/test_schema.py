"""Replies from the child are checked against their probe's shape before any check reads
them: real replies of the reference fit, forged or odd ones are refused with a reason, and
a submission that forges replies fails its checks instead of crashing the grader."""
import copy
import inspect
import os
import subprocess
import sys
import textwrap

import pytest

from kata.client import Child
from kata.probes import Probes
from kata.schema import MANY, RESULTS, check_event, check_reply, unusable_reply
from support import ALT_IMPL, SOLUTIONS, copy_of, grade

A, B = {"leaf": 2.0, "label": "a"}, {"leaf": -3.0, "label": "b"}
LECTURE = [A, B, {"leaf": 10.0, "label": "c"}, {"leaf": -2.0, "label": "f"},
           {"op": "mul", "args": [0, 1]}, {"op": "add", "args": [4, 2]},
           {"op": "mul", "args": [5, 3]}]
OPS = [A, B, {"op": "sub", "args": [{"num": 1}, 0]}, {"op": "pow", "args": [0, {"num": 2}]},
       {"op": "div", "args": [2, 1]}, {"op": "tanh", "args": [4]}, {"op": "mul", "args": [5, 5]},
       {"op": "exp", "args": [6]}, {"op": "relu", "args": [7]}, {"op": "neg", "args": [8]},
       {"op": "log", "args": [1]}]  # log(-3): a probe error, not a crash
CUBE = [{"arg": 0}, {"op": "pow", "args": [0, {"num": 3}]}]
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]

# Every probe with the arguments the checks (and the demo) give it, some in several ways.
CALLS = [
    ("derivative", dict(fn=CUBE, x=0.5)),
    ("derivative", dict(fn=CUBE, x=1.0, h=0.5)),
    ("partial", dict(fn=[{"arg": 0}, {"arg": 1}, {"op": "mul", "args": [0, 1]}],
                     args=[2.0, -3.0], i=1)),
    ("value_basics", dict(data=3)),
    ("forward", dict(spec=LECTURE)),
    ("forward", dict(spec=OPS[:-1])),
    ("local_backward", dict(spec=[A, B, {"op": "div", "args": [0, 1]}], out=2, out_grad=1.5,
                            pre_grads={"0": 0.25})),
    ("local_backward", dict(spec=[A, {"op": "sub", "args": [{"num": 3}, 0]}], out=1,
                            out_grad=1.5, pre_grads={})),
    ("topo", dict(spec=LECTURE, root=6)),
    ("backward", dict(spec=LECTURE, out=6)),
    ("backward", dict(spec=OPS[:-1], out=9)),
    ("network_init", dict(kind="mlp", args=[3, [4, 4, 1]], seed=1)),
    ("network", dict(kind="neuron", args=[2], seed=1, inputs=[2.0, 0.0], inputs_as_values=True,
                     weights=[-3.0, 1.0, 6.88], coefficients=None)),
    ("network", dict(kind="layer", args=[3, 4], seed=1, inputs=[0.5, -1.0, 2.0],
                     inputs_as_values=False, weights=None, coefficients=[1.0, 1.5, 2.0, 2.5])),
    ("network_trials", dict(kind="mlp", trials=[  # the second one raises: a hidden layer
        {"args": [2, [3, 1]], "weights": [0.5] * 20, "inputs": [0.3, -0.2]},  # of one gives
        {"args": [2, [1, 3]], "weights": None, "inputs": [0.3, -0.2]},        # a Value, not
        {"args": [3, [4, 4, 1]], "weights": None, "inputs": None}])),         # a list
    ("squared_error", dict(ypred=[0.5, -0.2, 0.9], ys=[1.0, -1.0, -1.0])),
    ("zero_grad", dict(grads=[1.5, -2.0, 0.25])),
    ("sgd_step", dict(data=[0.5, -0.3, 1.0], grads=[0.2, -1.0, 0.5], lr=0.1)),
    ("train", dict(sizes=[3, 4, 4, 1], seed=1, xs=XS, ys=YS, steps=3, lr=0.05)),
    ("demo", dict(sizes=[3, 4, 4, 1], seed=1, xs=XS, ys=YS, steps=5, lr=0.05)),
    # the optional challenges'
    ("defined", dict(names=["value.sum_values", "Value.log", "softmax.softmax"])),
    ("backward", dict(spec=[A, B, {"op": "sum", "args": [0, 1, 0]}, {"op": "log", "args": [0]},
                            {"op": "sigmoid", "args": [1]}, {"op": "pow", "args": [{"num": 2}, 0]},
                            {"op": "add", "args": [2, 3]}, {"op": "mul", "args": [6, 4]},
                            {"op": "add", "args": [7, 5]}], out=8)),
    ("chain", dict(start=0.3, cycle=[{"op": "mul", "args": [0, {"num": 1.5}]},
                                     {"op": "tanh", "args": [0]}], n=50)),
    ("wide_sum", dict(data=[0.5, -1.0, 2.0], n=100, picks=[0, 1, 99])),
    ("softmax", dict(logits=[1.0, -0.5, 2.0], coefficients=[1.0, 2.0, 3.0])),
    ("cross_entropy", dict(logits=[1000.0, 3.0, -2.0], target=1)),
    ("classifier", dict(sizes=[2, 4, 3], seed=1, inputs=[[0.5, -1.0], [2.0, 1.5]])),
    ("classifier", dict(sizes=[2, 3], seed=1, inputs=[[0.5, -1.0]], weights=[0.1] * 9)),
    ("classifier_train", dict(sizes=[2, 4, 3], seed=1, xs=[[0.5, -1.0], [2.0, 1.5]],
                              ys=[0, 2], steps=2, lr=0.5)),
]


@pytest.fixture(scope="module")
def reference():
    """What the reference sends for each call of CALLS (and a few failures): real replies."""
    child = Child(SOLUTIONS)
    try:
        replies = [(probe, args, child.call(probe, **args)) for probe, args in CALLS]
        failures = [(probe, args, child.call(probe, **args)) for probe, args in [
            ("forward", dict(spec=OPS)),                                      # raised
            ("forward", dict(spec=[{"leaf": 0.0}, {"op": "div", "args": [{"num": 1}, 0]}])),
            ("no_such_probe", {}),                                            # internal
        ]]
    finally:
        child.close()
    return {"ok": replies, "failed": failures}


def reply_to(reference, probe, index=0):
    found = [(p, a, r) for p, a, r in reference["ok"] if p == probe]
    probe, args, reply = found[index]
    return probe, args, copy.deepcopy(reply)


def test_every_probe_has_a_schema():
    probes = {name for name, _ in inspect.getmembers(Probes, inspect.isfunction)
              if not name.startswith("_")}
    helpers = {"value_class", "build", "describe", "method_where", "make_network",
               "parameters", "describe_parameters", "operations"}
    assert probes - helpers == set(RESULTS)
    assert {probe for probe, _ in CALLS} == set(RESULTS)


def test_the_reference_replies_fit(reference):
    for probe, args, reply in reference["ok"]:
        assert reply["ok"], (probe, reply)
        assert check_reply(probe, args, reply) is None, probe


def test_another_correct_implementations_replies_fit():
    child = Child(ALT_IMPL)
    try:
        for probe, args in CALLS:
            reply = child.call(probe, **args)  # a reply that did not fit would be "died"
            assert reply["ok"] and check_reply(probe, args, reply) is None, (probe, reply)
    finally:
        child.close()


def test_real_failures_fit(reference):
    kinds = []
    for probe, args, reply in reference["failed"]:
        assert not reply["ok"] and reply["kind"] != "died", reply
        assert check_reply(probe, args, reply) is None, reply
        kinds.append(reply["kind"])
    assert kinds == ["raised", "raised", "internal"]


BROKEN = {
    "value.py": """
        class Value:
            def __init__(self, data, _children=(), _op=''):
                self.data, self.grad, self._prev = data, 0, set(_children)
                self._backward = lambda: None
            def __add__(self, other):
                return Value(self.data + other.data, (self, 3))   # a number in _prev
            def __mul__(self, other):
                raise NotImplementedError("stage 1: __mul__")
        """,
    "derivative.py": "raise RuntimeError('boom at import')\n",
    "neuron.py": "import sys\nsys.exit(2)\n",
}


def test_every_kind_of_failure_the_child_sends_fits(tmp_path):
    for name, text in BROKEN.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    calls = [("forward", dict(spec=[A, B, {"op": "add", "args": [0, 1]}]), "shape"),
             ("forward", dict(spec=[A, B, {"op": "mul", "args": [0, 1]}]), "raised"),
             ("derivative", dict(fn=CUBE, x=1.0), "import"),          # with its error
             ("network_init", dict(kind="neuron", args=[2], seed=1), "import"),  # sys.exit
             ("topo", dict(spec=[A], root=0), "missing"),
             ("backward", dict(spec=[A], out=0), "missing")]
    child = Child(str(tmp_path))
    try:
        for probe, args, kind in calls:
            reply = child.call(probe, **args)
            assert reply["kind"] == kind, reply
            assert check_reply(probe, args, reply) is None, reply
    finally:
        child.close()


def problem_of(probe, args, reply, change):
    change(reply)
    return check_reply(probe, args, reply)


def test_forged_numbers_are_refused(reference):
    probe, args, reply = reply_to(reference, "derivative")
    for forged, said in [(True, "a bool, where a number belongs"),
                         ("0.75", "a str of 4, where a number belongs"),
                         ({"__class__": "float"}, "unknown key '__class__'"),
                         ([0.75], "a number belongs"),
                         (2 ** 60, "a number belongs"),   # plain() never sends such an int
                         (None, "null, where a number belongs")]:
        found = problem_of(probe, args, copy.deepcopy(reply),
                           lambda r: r["result"].update(value=forged))
        assert found and said in found and "reply.result.value" in found, (forged, found)


def test_missing_and_unknown_keys_are_refused(reference):
    probe, args, reply = reply_to(reference, "forward")
    found = problem_of(probe, args, copy.deepcopy(reply),
                       lambda r: r["result"]["nodes"][4].pop("is_value"))
    assert found == "reply.result.nodes[4] has no 'is_value'"
    found = problem_of(probe, args, copy.deepcopy(reply),
                       lambda r: r["result"].update(passed=True))
    assert found == "reply.result has an unknown key 'passed'"
    found = problem_of(probe, args, copy.deepcopy(reply), lambda r: r.pop("printed"))
    assert found == "reply has no 'printed'"
    found = problem_of(probe, args, copy.deepcopy(reply),
                       lambda r: r["result"]["nodes"].pop())   # one node per node of the spec
    assert "a list of 7 belongs" in found


def test_lists_far_too_long_are_refused(reference):
    probe, args, reply = reply_to(reference, "partial")
    found = problem_of(probe, args, reply,
                       lambda r: r["result"].update(args_after=[0.0] * (MANY + 1)))
    assert found == f"reply.result.args_after has {MANY + 1} items, more than {MANY}"
    probe, args, reply = reply_to(reference, "zero_grad")
    found = problem_of(probe, args, reply, lambda r: r["result"]["grads"].append(0.0))
    assert found == "reply.result.grads has 4 items, where 3 belong"
    probe, args, reply = reply_to(reference, "value_basics")
    found = problem_of(probe, args, reply, lambda r: r["result"].update(repr="V" * 201))
    assert "more than 200" in found
    found = problem_of(probe, args, reply, lambda r: r.update(printed="x" * 2001))
    assert "reply.printed" in found


def test_indices_must_fit_the_graph(reference):
    probe, args, reply = reply_to(reference, "topo")
    found = problem_of(probe, args, copy.deepcopy(reply),
                       lambda r: r["result"]["order"].append(99))
    assert "indices do not fit" in found
    found = problem_of(probe, args, copy.deepcopy(reply),
                       lambda r: r["result"]["spec_index"].__setitem__(0, len(LECTURE)))
    assert "spec_index[0]" in found
    found = problem_of(probe, args, copy.deepcopy(reply),
                       lambda r: r["result"].pop("edges"))   # "returned": "list" needs them
    assert found == "reply.result has no 'edges'"
    probe, args, reply = reply_to(reference, "backward")
    found = problem_of(probe, args, reply, lambda r: r["result"].update(calls=[0, len(LECTURE)]))
    assert "calls[1]" in found


def test_each_probes_own_shape(reference):
    probe, args, reply = reply_to(reference, "network", 0)
    found = problem_of(probe, args, copy.deepcopy(reply),
                       lambda r: r["result"].pop("parameter_grads"))
    assert "gradients do not match" in found
    found = problem_of(probe, args, copy.deepcopy(reply),
                       lambda r: r["result"].update(input_grads=None))  # inputs as Values
    assert "input_grads" in found
    probe, args, reply = reply_to(reference, "squared_error")
    found = problem_of(probe, args, reply, lambda r: r["result"].pop("grads"))
    assert found == "reply.result has no 'grads'"  # is_value: true, so grads belong
    probe, args, reply = reply_to(reference, "train")
    found = problem_of(probe, args, reply, lambda r: r["result"]["after"].pop())
    assert "before and after differ" in found


def test_forged_failures_are_refused(reference):
    probe, args, raised = next((p, a, r) for p, a, r in reference["failed"]
                               if r["kind"] == "raised" and r["error"]["frames"])
    cases = [
        (lambda r: r.update(error="boom"), "reply.error is a str of 4"),
        (lambda r: r["error"].update(frames={"file": "x"}), "reply.error.frames is a dict"),
        (lambda r: r["error"]["frames"][0].update(line="92"), "frames[0].line is a str"),
        (lambda r: r["error"]["frames"][0].pop("func"), "has no 'func'"),
        (lambda r: r.update(node="2"), "reply.node is a str"),
        (lambda r: r.update(kind="passed"), "unknown kind 'passed'"),
        (lambda r: r.update(kind="internal"), "unknown kind 'internal'"),  # for a real probe
        (lambda r: r.update(ok=1), "no ok: true/false"),
        (lambda r: r.update(id=True), "reply.id is a bool"),
    ]
    for change, said in cases:
        found = problem_of(probe, args, copy.deepcopy(raised), change)
        assert found and said in found, (said, found)
    missing = {"ok": False, "kind": "missing", "message": "m", "name": "topo.py", "stage": "3",
               "id": 1, "printed": ""}
    assert "reply.stage is a str" in check_reply("topo", {"spec": [A], "root": 0}, missing)
    imported = {"ok": False, "kind": "import", "message": "m", "module": "value", "error": None,
                "id": 1, "printed": ""}
    assert "reply.error is null" in check_reply("forward", {"spec": [A]}, imported)
    assert check_reply("forward", {"spec": [A]}, ["ok"]) == \
        "the reply is a list of 1, not an object"
    assert "reply.kind is a list" in check_reply("topo", {}, {"ok": False, "kind": ["shape"]})


ODD = [True, False, None, "3", 2 ** 60, -1, 1.5, [], [1], {}, {"__class__": "float"}]


def mutations(value):
    """Every copy of `value` with one part replaced by something odd, or one key dropped."""
    for odd in ODD:
        yield odd
    if isinstance(value, dict):
        for key in value:
            yield {k: v for k, v in value.items() if k != key}
            for changed in mutations(value[key]):
                yield {**value, key: changed}
    if isinstance(value, list) and value:
        for i in {0, len(value) - 1}:
            for changed in mutations(value[i]):
                yield value[:i] + [changed] + value[i + 1:]


def test_odd_replies_never_crash_the_validator(reference):
    tried = refused = 0
    for probe, args, reply in reference["ok"] + reference["failed"]:
        for forged in mutations(reply):
            found = check_reply(probe, args, forged)
            assert found is None or isinstance(found, str)
            tried, refused = tried + 1, refused + (found is not None)
    assert refused > 0.85 * tried  # the rest fit: 1.5 for a number, null where it may be


def test_the_fast_validator_agrees_with_the_one_that_explains(reference, monkeypatch):
    """schema.fits (the yes/no the grader asks first, at speed) and schema.what_is_wrong
    (the message) must give the same verdicts: a reply fits may not pass what the other
    refuses. Every reference reply and every odd one made from them, both ways."""
    from kata import schema
    cases = [(probe, args, forged) for probe, args, reply in
             reference["ok"] + reference["failed"] for forged in [reply, *mutations(reply)]]
    fast = [check_reply(probe, args, forged) for probe, args, forged in cases]
    monkeypatch.setattr(schema, "fits", lambda _schema, _value: False)  # always explain
    assert [check_reply(probe, args, forged) for probe, args, forged in cases] == fast
    assert len(cases) > 200 and sum(found is not None for found in fast) > 100


def test_events_and_the_failure_call_returns():
    assert check_event({"event": "importing", "module": "value"}) is None
    assert check_event({"event": "importing"}) == "event has no 'module'"
    assert "event.module is a list" in check_event({"event": "imported", "module": []})
    assert "unexpected string" in check_event({"event": "passed", "module": "value"})
    assert check_event({"event": "sandbox", "layers": ["uid"], "exposed": []}) is None
    for other in (3, 5, True, "4", None):  # only the question being asked is answered
        failure = unusable_reply("topo", {}, {"ok": True, "result": 1, "id": other}, 4)
        assert "came while question 4 was being asked" in failure["message"], other
    failure = unusable_reply("derivative", {"fn": CUBE, "x": 1.0},
                             {"ok": True, "result": {"value": True}, "id": 4, "printed": ""}, 4)
    assert failure["kind"] == "died"
    assert "(reply.result.value is a bool, where a number belongs)" in failure["message"]


FAKE_CHILD = """
import json
import os, sys, time
request = json.loads(sys.stdin.readline())
for line in sys.argv[1:]:
    sys.stdout.write(line.replace("ID", str(request["id"])) + "\\n")
sys.stdout.flush()
time.sleep(30)
"""


@pytest.mark.parametrize("lines", [
    ['{"event": "importing"}'],                                          # no module: KeyError
    ['{"event": "imported", "module": "value"}',
     '{"ok": true, "result": {"value": {"not_a_number": 1}}, "id": ID, "printed": ""}'],
    ['{"ok": false, "kind": "raised", "error": null, "node": null, "id": ID, "printed": ""}'],
    ['{"ok": true, "result": {"value": 1.0}, "id": 99, "printed": ""}'],  # not this question
])
def test_call_stops_a_child_that_sends_a_forged_message(lines, tmp_path):
    """Child.call on a stand-in child that sends exactly `lines`: a failure, no crash."""
    child = Child(SOLUTIONS)

    def start():
        child.errors = open(tmp_path / "errors", "w+b")
        child.process = subprocess.Popen([sys.executable, "-c", FAKE_CHILD, *lines],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         start_new_session=True)
        child.listen()
    child.start = start
    try:
        reply = child.call("derivative", fn=CUBE, x=1.0)
        assert reply["kind"] == "died" and "could not use what came back" in reply["message"]
        assert child.process is None  # stopped: its next probe gets a fresh child
    finally:
        child.close()


FORGER = """

# A submission that writes its own replies on the grader's channel when it is imported.
import gc as _gc, io as _io, json as _json
for _f in _gc.get_objects():
    if isinstance(_f, _io.TextIOWrapper) and "w" in _f.mode and not _f.closed \\
            and _f.fileno() > 2:
        for _id in range(1, 300):
            _f.write(_json.dumps({"ok": True, "result": {"data": 2.0, "grad": 0,
                                  "nodes": [], "value": True}, "id": _id, "printed": ""}) + "\\n")
        _f.flush()
"""


def test_a_submission_that_forges_replies_fails_cleanly(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    with open(folder / "value.py", "a") as f:
        f.write(FORGER)
    result = grade(folder, "stage1")
    checks = result["stages"][0]["checks"]
    assert result["exit_code"] == 1 and result["stages"][0]["status"] == "failed"
    for check in checks:
        assert check["status"] == "failed", check
        assert "could not use what came back from your code" in check["message"], check
        assert "internal grader error" not in check["message"]


PATCHER = """

# A submission that makes the grader's own probe code report what it likes.
import sys as _sys
_sys.modules["kata.probe_engine"].plain = lambda x: True     # every number a pass
_sys.modules["kata.probe_network"].plain = lambda x: True
_sys.modules["kata.probe_challenges"].plain = lambda x: True
"""


def test_a_submission_that_patches_the_probes_gets_no_reply_through(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "submission")
    with open(folder / "value.py", "a") as f:
        f.write(PATCHER)
    child = Child(str(folder))
    try:
        for probe, args in CALLS:
            reply = child.call(probe, **args)
            if probe in ("derivative", "partial", "defined"):  # derivative.py does not
                assert reply["ok"], reply      # import value.py; `defined` sends no numbers
                continue
            assert reply["kind"] == "died", (probe, reply)
            assert "could not use what came back" in reply["message"]
    finally:
        child.close()


def test_the_reader_of_a_child_owns_its_pipe(tmp_path):
    """The thread that reads a child's replies keeps its own descriptor: when the grader
    drops a stopped child's Popen (closing its stdout), that number may become the next
    child's stdout, and a reader still using it would steal the next child's replies (a CI
    run saw a reply-less 5 s "timeout")."""
    child = Child(str(copy_of(SOLUTIONS, tmp_path / "submission")))
    try:
        assert child.call("derivative", fn=CUBE, x=0.5)["ok"]
        number = child.process.stdout.fileno()
        read_end, write_end = os.pipe()
        child.process.stdout.close()  # what dropping the Popen does to its number
        os.dup2(read_end, number)  # as when the next child's pipe takes the freed number
        try:
            os.write(write_end, b"not the child's reply\n")
            for x in (1.0, 2.0):
                assert child.call("derivative", fn=CUBE, x=x)["ok"]
        finally:
            for fd in (number, read_end, write_end):
                os.close(fd)
    finally:
        child.close()
