"""The shape of every reply the child may send, checked in the grader before any check
reads it.

Learner code runs in the same process as the probes, so a submission can write its own
reply on the channel or make a probe return something odd. A reply that does not have
exactly the shape its probe gives must never reach the checks: there a bool where a number
belongs could pass a comparison, and a missing key would crash the grader. The schemas are
plain data below; `check_reply` is the one validator. Bounds are generous: they must never
reject what a correct (or an honestly wrong) implementation sends.
"""
from dataclasses import dataclass

# --- the schema language --------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """An int or a float (not a bool), as kata.nodes.plain() reports one: ints stay below
    2**53, so the checks' float arithmetic on them cannot overflow."""


@dataclass(frozen=True)
class Int:
    low: int = 0
    high: int = 2 ** 31


@dataclass(frozen=True)
class Bool:
    only: bool = None    # when given, the one value allowed


@dataclass(frozen=True)
class Null:
    """Only null: a key the probe sets to None in this case."""


@dataclass(frozen=True)
class Str:
    max_len: int
    one_of: tuple = ()   # when given, the only strings allowed
    not_one_of: tuple = ()


@dataclass(frozen=True)
class Optional:
    schema: object       # or null


@dataclass(frozen=True)
class List:
    item: object
    max_len: int = None
    length: int = None   # exactly this many items


@dataclass(frozen=True)
class Items:
    """A list with one schema per position (e.g. a node report per node of the spec)."""
    items: tuple


@dataclass(frozen=True)
class Dict:
    required: dict
    optional: dict = None
    rules: tuple = ()    # (what is wrong, test of the whole dict) once every key fits


@dataclass(frozen=True)
class AnyOf:
    options: tuple


def dict_(required, optional=None, rules=()):
    return Dict(required, optional or {}, tuple(rules))


# --- the validator --------------------------------------------------------------------------

def describe(value):
    """What a value is, in a few words, without showing it (it may be huge)."""
    if isinstance(value, bool):
        return "a bool"
    if value is None:
        return "null"
    if isinstance(value, (str, list, dict)):
        return f"a {type(value).__name__} of {len(value)}"
    return f"a {type(value).__name__}"


def short_key(key):
    text = repr(key)
    return text if len(text) <= 40 else text[:37] + "..."


def problem(schema, value, path):
    """None when `value` fits `schema`, else 'where: what is wrong'."""
    if fits(schema, value):
        return None  # the usual case, at speed: no paths written out, no message built
    return what_is_wrong(schema, value, path)


def fits(schema, value):
    """Does `value` fit `schema`? The same rules as what_is_wrong, saying only yes or no
    (tests/test_schema.py holds the two to the same answers)."""
    if isinstance(schema, Optional):
        return value is None or fits(schema.schema, value)
    if isinstance(schema, Number):
        return isinstance(value, float) or (type(value) is int and abs(value) < 2 ** 53)
    if isinstance(schema, Int):
        return type(value) is int and schema.low <= value <= schema.high
    if isinstance(schema, Null):
        return value is None
    if isinstance(schema, Bool):
        return isinstance(value, bool) and (schema.only is None or value is schema.only)
    if isinstance(schema, Str):
        return isinstance(value, str) and len(value) <= schema.max_len and not (
            (schema.one_of and value not in schema.one_of) or value in schema.not_one_of)
    if isinstance(schema, List):
        return isinstance(value, list) and \
            (schema.length is None or len(value) == schema.length) and \
            (schema.max_len is None or len(value) <= schema.max_len) and \
            (all_plain_fit(schema.item, value) or all(fits(schema.item, v) for v in value))
    if isinstance(schema, Items):
        return isinstance(value, list) and len(value) == len(schema.items) and \
            all(fits(s, v) for s, v in zip(schema.items, value))
    if isinstance(schema, Dict):
        if not isinstance(value, dict):
            return False
        optional = schema.optional or {}
        return all(k in schema.required or k in optional for k in value) and \
            all(k in value and fits(s, value[k]) for k, s in schema.required.items()) and \
            all(fits(s, value[k]) for k, s in optional.items() if k in value) and \
            all(holds(value) for _, holds in schema.rules)
    if isinstance(schema, AnyOf):
        return any(fits(s, value) for s in schema.options)
    raise TypeError(f"not a schema: {schema!r}")  # a bug in the table below


def what_is_wrong(schema, value, path):
    """'where: what is wrong' for a `value` that does not fit `schema` (None if it does)."""
    if isinstance(schema, Optional):
        return None if value is None else problem(schema.schema, value, path)
    if isinstance(schema, Number):
        if isinstance(value, float) or (type(value) is int and abs(value) < 2 ** 53):
            return None
        return f"{path} is {describe(value)}, where a number belongs"
    if isinstance(schema, Int):
        if type(value) is int and schema.low <= value <= schema.high:
            return None
        return f"{path} is {describe(value)}, where a whole number from {schema.low} to " \
               f"{schema.high} belongs"
    if isinstance(schema, Null):
        return None if value is None else f"{path} is {describe(value)}, where null belongs"
    if isinstance(schema, Bool):
        if not isinstance(value, bool):
            return f"{path} is {describe(value)}, not true/false"
        if schema.only is not None and value is not schema.only:
            return f"{path} is {str(value).lower()}, where only {str(schema.only).lower()} fits"
        return None
    if isinstance(schema, Str):
        if not isinstance(value, str):
            return f"{path} is {describe(value)}, where a string belongs"
        if len(value) > schema.max_len:
            return f"{path} is a string of {len(value)} characters, more than {schema.max_len}"
        if (schema.one_of and value not in schema.one_of) or value in schema.not_one_of:
            return f"{path} is an unexpected string"
        return None
    if isinstance(schema, List):
        return list_problem(schema, value, path)
    if isinstance(schema, Items):
        if not isinstance(value, list) or len(value) != len(schema.items):
            return f"{path} is {describe(value)}, where a list of {len(schema.items)} belongs"
        return first(problem(s, v, f"{path}[{i}]")
                     for i, (s, v) in enumerate(zip(schema.items, value)))
    if isinstance(schema, Dict):
        return dict_problem(schema, value, path)
    if isinstance(schema, AnyOf):
        problems = [problem(s, value, path) for s in schema.options]
        if None in problems:
            return None
        # Say what is wrong against the option that looks meant: the dict whose fixed
        # values (returned: "list", is_value: true) the reply has, else the first.
        for option, found in zip(schema.options, problems):
            if isinstance(option, Dict) and isinstance(value, dict) and all(
                    k in value and not problem(s, value[k], path)
                    for k, s in option.required.items() if is_fixed(s)):
                return found
        return problems[0]
    raise TypeError(f"not a schema: {schema!r}")  # a bug in the table below


def is_fixed(schema):
    return (isinstance(schema, Bool) and schema.only is not None) or \
        (isinstance(schema, Str) and bool(schema.one_of))


def list_problem(schema, value, path):
    if not isinstance(value, list):
        return f"{path} is {describe(value)}, where a list belongs"
    if schema.length is not None and len(value) != schema.length:
        return f"{path} has {len(value)} items, where {schema.length} belong"
    if schema.max_len is not None and len(value) > schema.max_len:
        return f"{path} has {len(value)} items, more than {schema.max_len}"
    if all_plain_fit(schema.item, value):
        return None
    return first(problem(schema.item, v, f"{path}[{i}]") for i, v in enumerate(value))


def is_number(v):
    return type(v) is float or (type(v) is int and -2 ** 53 < v < 2 ** 53)


def all_plain_fit(item, values):
    """The common case at speed: a long list of numbers, bools or indices that all fit
    (False means: look item by item, to say which one does not)."""
    if item is NUMBER or item is PLAIN:
        return all(map(is_number, values))
    if item is BOOL:
        return all(type(v) is bool for v in values)
    if isinstance(item, Int):
        return all(type(v) is int and item.low <= v <= item.high for v in values)
    if isinstance(item, Optional):  # e.g. where each node's _backward is, None for leaves
        return all_plain_fit(item.schema, [v for v in values if v is not None])
    if isinstance(item, Str):  # file and function names, many of them the same
        return all(isinstance(v, str) and len(v) <= item.max_len for v in values) and not (
            item.one_of and any(v not in item.one_of for v in values)) and not (
            item.not_one_of and any(v in item.not_one_of for v in values))
    if isinstance(item, Dict) and not item.optional and not item.rules:  # e.g. NODE
        keys = item.required.keys()
        return all(type(v) is dict and v.keys() == keys for v in values) and all(
            all_plain_fit(s, [v[k] for v in values]) for k, s in item.required.items())
    return False


def dict_problem(schema, value, path):
    if not isinstance(value, dict):
        return f"{path} is {describe(value)}, where an object with " \
               f"{', '.join(schema.required)} belongs"
    optional = schema.optional or {}
    for key in value:
        if key not in schema.required and key not in optional:
            return f"{path} has an unknown key {short_key(key)}"
    for key in schema.required:
        if key not in value:
            return f"{path} has no {key!r}"
    found = first(problem(s, value[k], f"{path}.{k}")
                  for k, s in {**schema.required, **optional}.items() if k in value)
    if found:
        return found
    for what, holds in schema.rules:
        if not holds(value):
            return f"{path}: {what}"
    return None


def first(problems):
    return next((p for p in problems if p), None)


# --- the pieces of replies --------------------------------------------------------------------

NAME = Str(1000)       # a type, function or module name
PATH = Str(10_000)     # a file as the learner knows it
TEXT = Str(100_000)    # an error message or a line of source
PRINTED = Str(2000)    # the child keeps the last 2000 characters
MANY = 1_000_000       # a learner's list (a build_topo without a visited set can be long)
NODE_LIMIT = 100_001   # kata.nodes.walk stops beyond this many nodes (and the root)

NUMBER = Number()
BOOL = Bool()
NULL = Null()
COUNT = Int(0, 2 ** 62)
NOT_A_NUMBER = dict_({"not_a_number": NAME, "callable": BOOL})
PLAIN = AnyOf((NUMBER, NOT_A_NUMBER))          # what kata.nodes.plain() gives
WHERE = dict_({"file": PATH, "line": Optional(Int(0)), "func": NAME})
MADE = dict_(WHERE.required, {"via": WHERE})  # a line that made a Value, and the operator around
METHOD = AnyOf((MADE, dict_({"func": Optional(NAME)})))  # where the learner's op method is
RAN = dict_({**WHERE.required, "default": BOOL})  # a _backward that ran; a leaf's default?
NODE = dict_({"data": PLAIN, "grad": PLAIN, "is_value": BOOL})
FRAME = dict_({"file": PATH, "line": Optional(Int(0)), "func": NAME, "code": TEXT})
ERROR = dict_({"type": NAME, "message": TEXT, "frames": List(FRAME, 100_000)})


def indexes(limit, allow_none=False):
    return Optional(Int(0, limit - 1)) if allow_none else Int(0, limit - 1)


def op_args(node):
    return [a for a in node.get("args", []) if isinstance(a, int)]


def parameters():
    """kata.probe_network describe_parameters: `data` is one number per parameter."""
    return dict_({"count": COUNT, "all_values": BOOL, "distinct": COUNT,
                  "data": List(PLAIN, MANY)},
                 rules=[("data does not hold `count` numbers",
                         lambda d: len(d["data"]) == d["count"] >= d["distinct"])])


# --- one schema per probe, from the probe's own arguments ---------------------------------------

def derivative(fn, x, h=None):
    return dict_({"value": PLAIN})


def partial(fn, args, i, h=None, as_tuple=False):
    return dict_({"value": PLAIN, "args_after": List(PLAIN, MANY)})  # the learner may append


def value_basics(data):
    return dict_({"data": PLAIN, "grad": PLAIN, "prev_len": Optional(COUNT),
                  "prev_kind": Str(60), "children_elsewhere": Optional(Str(40)),
                  "backward_callable": BOOL, "grad_after_backward": PLAIN, "repr": Str(200)})


def forward(spec):
    def node(n):  # an op node also says which operands its _prev reaches, and its method
        if "op" not in n:
            return NODE
        return dict_({**NODE.required, "reaches": List(BOOL, length=len(op_args(n))),
                      "method": METHOD}, {"cut_at": MADE})
    return dict_({"nodes": Items(tuple(node(n) for n in spec))})


def local_backward(spec, out, out_grad, pre_grads=None):
    return dict_({"nodes": List(NODE, length=len(spec)), "grad_after_forward": PLAIN,
                  "backward_at": List(RAN, NODE_LIMIT), "method": METHOD,
                  "reached": List(BOOL, length=len(spec))})


def topo(spec, root):
    def in_walk(report):
        n = len(report["edges"])
        return len(report["spec_index"]) == len(report["data"]) == n and report["root"] < n \
            and all(i < n for i in report["order"]) \
            and all(k < n for kids in report["edges"] for k in kids)
    listed = dict_({"returned": Str(4, one_of=("list",)),
                    "edges": List(List(Int(0, NODE_LIMIT), MANY), NODE_LIMIT),
                    "root": Int(0, NODE_LIMIT), "order": List(Int(-1, NODE_LIMIT), MANY),
                    "spec_index": List(indexes(len(spec), allow_none=True), NODE_LIMIT),
                    "data": List(PLAIN, NODE_LIMIT)},
                   rules=[("its indices do not fit the graph it describes", in_walk)])
    return AnyOf((listed, dict_({"returned": Str(1000, not_one_of=("list",))})))


def backward(spec, out, pre_grads=None):
    return dict_({"nodes": List(NODE, length=len(spec)), "shadowed": BOOL,
                  "reached": List(BOOL, length=len(spec)),
                  "calls": Optional(List(indexes(len(spec)), MANY)),
                  "backward_at": List(Optional(WHERE), length=len(spec)),
                  "method": Items(tuple(METHOD if "op" in n else NULL for n in spec))})


def network_init(kind, args, seed):
    return dict_({"first": parameters(), "second": parameters(), "shared": COUNT,
                  "again": dict_({"count": COUNT, "same": BOOL})})


def network(kind, args, seed, inputs, inputs_as_values=False, weights=None, coefficients=None):
    def grads_when_all_values(report):
        """The probe goes on to backward() exactly when every output is a Value."""
        all_values = all(o["is_value"] for o in report["outputs"])
        count = report["parameters"]["count"]
        if not all_values:
            return not {"reaches_parameters", "parameter_grads", "input_grads"} & set(report)
        return "parameter_grads" in report and len(report["parameter_grads"]) == count \
            and len(report.get("reaches_parameters", ())) == count and "input_grads" in report
    backward_ran = {"reaches_parameters": List(BOOL, MANY),
                    "parameter_grads": List(PLAIN, MANY),
                    "input_grads": List(PLAIN, length=len(inputs)) if inputs_as_values
                    else NULL}
    return dict_({"single": BOOL, "outputs": List(NODE, MANY), "parameters": parameters(),
                  "call_at": Optional(WHERE)}, backward_ran,
                 rules=[("the gradients do not match the outputs and parameters",
                         grads_when_all_values)])


def network_trials(kind, trials, seed=0):
    trial = dict_({"count": Optional(COUNT), "single": Optional(BOOL),
                   "outputs": Optional(List(PLAIN, MANY)), "error": Optional(NAME)})
    return dict_({"trials": List(trial, length=len(trials))})


def squared_error(ypred, ys):
    return AnyOf((dict_({"is_value": Bool(only=True), "data": PLAIN,
                         "grads": List(PLAIN, length=len(ypred))}),
                  dict_({"is_value": Bool(only=False), "data": PLAIN})))


def zero_grad(grads):
    return dict_({"grads": List(PLAIN, length=len(grads)), "data": List(PLAIN, length=len(grads))})


def sgd_step(data, grads, lr):
    n = min(len(data), len(grads))
    return dict_({"data": List(PLAIN, length=n), "grads": List(PLAIN, length=n)})


def losses_bound(steps, xs):
    """An honest train() returns one loss per step; a wrong one perhaps one per example."""
    return max(steps, 0) * (len(xs) + 1) + 1000


def train(sizes, seed, xs, ys, steps, lr):
    return dict_({"returned": NAME, "losses": Optional(List(PLAIN, losses_bound(steps, xs))),
                  "before": List(PLAIN, MANY), "after": List(PLAIN, MANY),
                  "train_at": Optional(WHERE)},
                 rules=[("before and after differ in length",
                         lambda r: len(r["before"]) == len(r["after"]))])


def demo(sizes, seed, xs, ys, steps, lr):
    return dict_({"losses": List(PLAIN, losses_bound(steps, xs)),
                  "predictions": List(PLAIN, length=len(xs)),
                  "before": Optional(List(PLAIN, MANY))})


# --- the optional challenges' probes (kata.probe_challenges) ----------------------------------

def defined(names):
    return dict_({"missing": List(Str(200, one_of=tuple(names)), len(names))})


SECONDS = NUMBER


def chain(start, cycle, n):
    return dict_({"data": PLAIN, "grad": PLAIN, "build_seconds": SECONDS,
                  "backward_seconds": SECONDS, "recursion_limit": COUNT,
                  "limit_before": COUNT})


def wide_sum(data, n, picks):
    return AnyOf((dict_({"is_value": Bool(only=True), "data": PLAIN,
                         "picked": List(PLAIN, length=len(picks)), "total": PLAIN,
                         "numbers": Int(0, max(n, 0)), "children": Int(0, max(n, 0)),
                         "build_seconds": SECONDS,
                         "backward_seconds": SECONDS}),
                  dict_({"is_value": Bool(only=False), "data": PLAIN})))


def softmax(logits, coefficients):
    listed = dict_({"returned": Str(4, one_of=("list",)), "outputs": List(NODE, MANY),
                    "at": Optional(WHERE)}, {"grads": List(PLAIN, length=len(logits))})
    return AnyOf((listed, dict_({"returned": Str(60, not_one_of=("list",))})))


def cross_entropy(logits, target):
    return AnyOf((dict_({"is_value": Bool(only=True), "data": PLAIN,
                         "grads": List(PLAIN, length=len(logits)), "at": Optional(WHERE)}),
                  dict_({"is_value": Bool(only=False), "data": PLAIN,
                         "at": Optional(WHERE)})))


def classifier(sizes, seed, inputs, weights=None):
    return dict_({"count": COUNT, "data": List(PLAIN, MANY), "returned": NAME,
                  "outputs": Optional(List(List(PLAIN, MANY), len(inputs))),
                  "all_values": BOOL, "call_at": Optional(WHERE)},
                 rules=[("data does not hold `count` numbers",
                         lambda r: len(r["data"]) == r["count"])])


def classifier_train(sizes, seed, xs, ys, steps, lr, weights=None):
    return dict_({"returned": NAME, "losses": Optional(List(PLAIN, losses_bound(steps, xs))),
                  "before": List(PLAIN, MANY), "after": List(PLAIN, MANY),
                  "logits": List(List(PLAIN, MANY), length=len(xs)), "seconds": SECONDS,
                  "train_at": Optional(WHERE)},
                 rules=[("before and after differ in length",
                         lambda r: len(r["before"]) == len(r["after"]))])


RESULTS = {f.__name__: f for f in (derivative, partial, value_basics, forward, local_backward,
                                   topo, backward, network_init, network, network_trials,
                                   squared_error, zero_grad, sgd_step, train, demo,
                                   defined, chain, wide_sum, softmax, cross_entropy,
                                   classifier, classifier_train)}

# --- replies -------------------------------------------------------------------------------------

ENVELOPE = {"ok": BOOL, "id": Int(0, 2 ** 62), "printed": PRINTED}
FAILURES = {  # kind -> what comes with it; as kata.child sends them (LearnerProblem details)
    "raised": {"error": ERROR, "node": Optional(Int(0, 2 ** 31))},
    "missing": {"message": TEXT, "name": NAME, "stage": Optional(Int(0, 100))},
    "import": {"message": TEXT, "module": NAME},
    "shape": {"message": TEXT},
}
FAILURES_OPTIONAL = {"import": {"error": ERROR}}
UNKNOWN_PROBE = {"message": TEXT}  # kind "internal": only when the grader asks a wrong probe
EVENTS = ("importing", "imported")
EVENT = AnyOf((dict_({"event": Str(20, one_of=EVENTS), "module": NAME}),
               # course mode's first line (kata.client reads it at start); here only when
               # it came too late on a busy machine, and then Child.call passes it by
               dict_({"event": Str(20, one_of=("sandbox",)), "layers": List(NAME, 100),
                      "exposed": List(PATH, 10_000)})))


def check_reply(probe, args, reply):
    """None when the child's reply fits `probe` called with `args`, else what is wrong."""
    if not isinstance(reply, dict):
        return f"the reply is {describe(reply)}, not an object"
    if reply.get("ok") is True:
        if probe not in RESULTS:
            return f"a result for {probe!r}, which is no probe"
        schema = dict_({**ENVELOPE, "result": RESULTS[probe](**args)})
    elif reply.get("ok") is False:
        kind = reply.get("kind")
        if not isinstance(kind, str):
            return f"reply.kind is {describe(kind)}, where a string belongs"
        if kind == "internal" and probe not in RESULTS:
            details, optional = UNKNOWN_PROBE, {}
        elif kind in FAILURES:
            details, optional = FAILURES[kind], FAILURES_OPTIONAL.get(kind, {})
        else:
            return f"a failure of unknown kind {short_key(kind)}"
        schema = dict_({**ENVELOPE, "kind": NAME, **details}, optional)
    else:
        return "the reply has no ok: true/false"
    return problem(schema, reply, "reply")


def check_event(message):
    """None when `message` is an import event the child sends, else what is wrong."""
    return problem(EVENT, message, "event")


UNUSABLE = ("the grader could not use what came back from your code ({problem}). Your code "
            "must only compute: it may not write to the grader's channel (file descriptors it "
            "did not open) or replace the grader's own functions.")


def unusable_reply(probe, args, message, expected_id):
    """For Child.call: the failure to report instead of `message` when it is a forged event,
    a reply that does not fit this probe, or a reply to another question, else None.

    The child answers one question at a time, and a child that is not answered (timed out,
    died) is killed: an honest reply always carries the id of the question being asked."""
    if "event" in message:
        found = check_event(message)
    elif type(message.get("id")) is int and message["id"] == expected_id:
        found = check_reply(probe, args, message)
    else:
        found = f"a reply to question {short_key(message.get('id'))} came while question " \
                f"{expected_id} was being asked"
    return {"ok": False, "kind": "died", "message": UNUSABLE.format(problem=found)} \
        if found else None
