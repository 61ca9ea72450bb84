"""How a check ends, and how a failed probe becomes a message a beginner can act on.

A check ends in one of four ways, each an exception the grader maps to a status:
passed (no exception), CheckFailed -> "failed", NotStarted -> "not started",
LearnerError -> "error" (the learner's module does not even import).
"""
import re

import misconceptions as mc
from kata.places import at
from kata.stages import ALL_STAGES, NAME_STAGE, stub_owner


class CheckFailed(AssertionError):
    """The learner's code ran and gave a wrong answer (or raised)."""

    def __init__(self, message, diagnosis=None, picture=None):
        if diagnosis is not None and "\nHint: " in message:
            # The diagnosis carries its own fix: the check's general hint would say it again.
            message = message[:message.index("\nHint: ")]
        super().__init__(message)
        self.diagnosis = diagnosis
        self.picture = picture  # checks/pictures.py: what `grader.py graph` draws


class NotStarted(Exception):
    """The check stopped on a stub (NotImplementedError) or a name not written yet."""


class LearnerError(Exception):
    """The learner's module could not be imported at all."""


STUB_MESSAGE = re.compile(r"^\s*(stage|challenge)\s*(\d)", re.I)


def stub_stage(message):
    match = STUB_MESSAGE.match(message or "")
    return stub_owner(match.group(1), match.group(2)) if match else None


FRAMES_SHOWN = 3  # None (--verbose): every frame of the learner's code
TARGET = None  # what is graded, as messages name it (conftest sets it from --kata-shown)


def stage_command(number):
    """How to grade stage `number` of the same target: with --target, or check() in a
    notebook's kernel (kata.report.command)."""
    from kata.report import command
    return command(ALL_STAGES[number].name, TARGET)


def where_text(frames):
    """The learner's own frames, innermost last, as 'file:line in func: code' lines. A long
    chain keeps its outermost frame (the call the grader made, where a wrong argument is
    often passed on: x = layer(x) in MLP) and its innermost ones (where it raised)."""
    lines = []
    shown = frames
    if FRAMES_SHOWN and len(frames) > FRAMES_SHOWN + 1:  # hide two or more, never one
        shown = frames[:1] + [None] + frames[-(FRAMES_SHOWN - 1):]
    for f in shown:
        if f is None:
            skipped = len(frames) - FRAMES_SHOWN
            lines.append(f"  ... {skipped} more calls (--verbose shows every one) ...")
            continue
        lines.append(f"  {at(f['file'], f['line'])} in {f['func']}")
        if f.get("code"):
            lines.append(f"      {f['code']}")
    return "\n".join(lines)


def unfinished(owner, stage, stub_stages, what, detail):
    """A check of `stage` stopped at something that belongs to stage `owner`."""
    if owner == stage:
        raise NotStarted(detail)
    spoken = ALL_STAGES[owner].spoken if owner is not None and owner < len(ALL_STAGES) \
        else None
    if owner is not None and owner < stage and stage in stub_stages:
        # This stage's own stubs are still there too: the learner has not begun it yet.
        raise NotStarted(f"needs {spoken} first ({detail})")
    if owner is not None and owner < stage:
        raise CheckFailed(f"{what} stopped at unfinished {spoken} code ({detail}).\n"
                          f"Finish {spoken} first: {stage_command(owner)}")
    raise CheckFailed(f"{what} stopped at: {detail}")


def result(reply, stage, stub_stages, what):
    """The probe's result, or the exception that ends the check, with a readable message.

    `what` says in a few words what was being run, e.g. "computing 1 - a".
    """
    if reply["ok"]:
        return reply["result"]
    kind = reply["kind"]
    if kind == "raised":
        error = reply["error"]
        if error["type"] == "NotImplementedError":
            unfinished(stub_stage(error["message"]), stage, stub_stages, what,
                       f"NotImplementedError: {error['message']}")
        # Say which of the learner's calls raised: "making Neuron(1)" runs __init__ and
        # parameters() both, and the error belongs to the one it came from.
        outer = error["frames"][0]["func"] if error["frames"] else None
        if reply.get("node") is not None and not what.startswith("computing"):
            # the graph a probe runs _backward, build_topo or backward() on broke while it
            # was being built: what the check wanted to run never ran
            what += " (it broke while its graph was being built, before that could run)"
        text = f"{what}: {outer}() raised" if outer and "<" not in outer else f"{what} raised"
        text += f" {error['type']}: {error['message']}"
        if error["frames"]:
            text += "\n" + where_text(error["frames"])
        missing = re.fullmatch(r"'Value' object has no attribute '(\w+)'", error["message"])
        owner = NAME_STAGE.get(f"Value.{missing.group(1)}") if missing else None
        if error["type"] == "AttributeError" and owner is not None:  # say, Value.log
            unfinished(owner, stage, stub_stages, what,
                       f"Value has no {missing.group(1)} method yet")
        named = diagnose_exception(error)
        raise CheckFailed(text + ("" if named else recursion_hint(error)), named)
    if kind == "missing":
        unfinished(reply.get("stage"), stage, stub_stages, what, reply["message"])
    if kind == "import":
        text = reply["message"]
        frames = reply.get("error", {}).get("frames")
        if frames:
            text += "\n" + where_text(frames)
        raise LearnerError(text)
    if kind in ("timeout", "died", "shape"):
        raise CheckFailed(f"{what}: {reply['message']}")
    raise RuntimeError(f"grader bug: unexpected probe reply {reply!r}")


REFLECTED_BY_SYMBOL = {"+": "__radd__", "-": "__rsub__", "*": "__rmul__", "/": "__rtruediv__"}


def diagnose_exception(error):
    """A Python error in Value code that names a classic mistake, or None."""
    message, kind = error["message"], error["type"]
    if kind == "TypeError" and "unsupported operand" in message:
        match = re.search(r"for (\S+): '(\w+)' and '(\w+)'", message)
        if match and match.group(1) in REFLECTED_BY_SYMBOL and match.group(3) == "Value" \
                and match.group(2) in ("int", "float"):
            return mc.missing_reflected(REFLECTED_BY_SYMBOL[match.group(1)], match.group(1))
    line = (error["frames"][-1].get("code") or "") if error["frames"] else ""
    number_attribute = kind == "AttributeError" and re.search(
        r"'(int|float)' object has no attribute '(data|grad|_prev|_backward)'", message)
    if number_attribute and re.search(r"\.grad\s*\.\s*data\b", line):
        return mc.grad_is_a_number()  # p.grad.data: a PyTorch habit
    # Only inside an operator (or a _backward it made) is the number its `other` operand.
    operator = [part for part in innermost_func(error).split(".")
                if part.startswith("__") and part != "__init__"]
    if number_attribute and operator:
        return mc.not_wrapped(f"Value.{operator[-1]}")
    funcs = [f["func"].split(".")[-1] for f in error["frames"]]  # innermost last
    if kind in ("OverflowError", "ZeroDivisionError"):
        # exp of a large number (or 0 / 0 after exp of very negative ones): the optional
        # challenges' large inputs; the core stages' graphs stay far from both
        for where in ("cross_entropy", "softmax"):
            if where in funcs:
                return mc.overflow(where)
        for where in ("tanh", "sigmoid"):  # itself, or a helper it calls (self.exp())
            if kind == "OverflowError" and where in funcs[-3:]:
                return mc.overflow(where)
    if kind == "ValueError" and message == "math domain error" and "cross_entropy" in funcs:
        return mc.log_of_zero()  # -log(softmax(...)[t]) where p_t underflowed
    if kind == "RecursionError":
        # The methods the endless recursion goes round: the innermost frames repeat them.
        loop = sorted({f["func"].split(".")[-1] for f in error["frames"][-30:]})
        if len(error["frames"]) > 10 and loop and all(m.startswith("__") for m in loop):
            if len(loop) == 1 and loop[0] in mc.WRITTEN_WITH_WHAT_YOU_HAVE:
                return mc.operator_calls_itself(loop[0])
            if 1 < len(loop) <= 3 and any(m in mc.WRITTEN_WITH_WHAT_YOU_HAVE for m in loop):
                return mc.operators_call_each_other(loop)
    if kind == "TypeError" and "'tuple' object does not support item assignment" in message \
            and any(f["func"] == "partial" for f in error["frames"]):
        # args[i] += h changes args itself; bumped = args[:] then bumped[i] += h is a copy,
        # but a copy of a tuple is a tuple
        return mc.partial_in_place() if re.search(r"\bargs\s*\[", line) else \
            mc.tuple_copy()
    if kind == "TypeError" and "unhashable type: 'Value'" in message:
        return mc.unhashable_value()
    if kind == "AttributeError" and "module 'random' has no attribute 'normal'" in message:
        return mc.random_normal()
    if kind == "TypeError" and "object of type 'int' has no len()" in message \
            and re.search(r"range\(\s*len\(", line):
        return mc.len_of_a_number()
    missing = re.search(r"object has no attribute '(\w+)'", message)
    if kind == "AttributeError" and missing and re.search(  # Value(..., (self. other), ..)
            r"Value\(.*\(\s*self\s*\.\s*" + missing.group(1) + r"\s*\)", line):
        return mc.dot_for_comma(missing.group(1))  # (self. other): a dot for the comma
    if LIST_IN_PRODUCT.search(message) and any(
            f["func"] == "train" and re.search(r"\w\(\s*xs\s*\)", f.get("code") or "")
            for f in error["frames"]):
        return mc.called_on_many()  # train() handed the model every example at once
    innermost = innermost_func(error)
    if kind == "TypeError" and "bad operand type for abs(): 'Value'" in message \
            and innermost.split(".")[-1] in ("squared_error", "<genexpr>") \
            and any(f["func"] == "squared_error" for f in error["frames"]):
        return mc.loss_not_squared("absolute")  # abs() in the loss, where ** 2 belongs
    if kind == "TypeError" and "must be real number, not Value" in message \
            and MATH_CALL.search(line):
        # math.tanh(self) only happens inside a Value method: there the fix is self.data
        return mc.math_on_value(inside_value_method=bool(re.search(r"\(\s*self\s*\)", line)))
    return None


def innermost_func(error):
    return error["frames"][-1]["func"] if error["frames"] else ""


# A weight times a whole example (a list): x held lists, not numbers.
LIST_IN_PRODUCT = re.compile(r"can't multiply sequence by non-int of type|"
                             r"unsupported operand type\(s\) for \*: '\w+' and 'list'|"
                             r"'list' object has no attribute 'data'")

# `math.tanh(act)` or `tanh(act)` after `from math import tanh`; not the method `act.tanh()`
# (the same TypeError comes from two different Value classes meeting, e.g. a module
# imported twice, and naming math then would mislead).
MATH_CALL = re.compile(r"\bmath\.\w+\s*\(|(?<![\w.])(tanh|exp|log|sqrt|pow)\s*\(")


def recursion_hint(error):
    if error["type"] == "RecursionError":
        return ("\nA function calls itself without end: is an operator defined in terms of "
                "itself (e.g. __sub__ using `-` on the same types), or does _prev loop back?")
    return ""
