"""Stage 2: each op's _backward adds (local derivative) * out.grad into its children.

The probe sets out.grad, then runs the _backward of every node between the output and the
inputs itself, in a valid order, so stage 3's build_topo is not needed yet.
"""
import diagnose
import misconceptions as mc
import mirror
import pictures
from graphs import leaf, num, op
from kata.graph import show
from kata.places import at
from verdicts import CheckFailed

# No input is 1 or equal to out.grad, and out.grad is not 1: at such values different slips
# give the same numbers (p = out.grad = 1.5 made `k * x ** k - 1 * out.grad` look like a
# dropped chain rule). tests/test_collisions.py proves every name apart at these values.
A, B = leaf(2.0, "a"), leaf(-3.0, "b")
P = leaf(1.3, "p")
OUT_GRAD = 1.5  # not 1.0, so that forgetting "* out.grad" shows


def readable(func):
    """'Value.tanh.<locals>._backward' as a learner says it: '_backward inside Value.tanh'."""
    outer, _, inner = func.rpartition(".<locals>.")
    return f"{inner} inside {outer}" if outer else func


def check_local(learner, spec, pre_grads=None, out_grad=OUT_GRAD):
    out = len(spec) - 1
    formula = show(spec, out)
    inputs = ", ".join(f"{show(spec, i)} = {s['leaf']:g}" for i, s in enumerate(spec)
                       if "leaf" in s and s.get("label"))
    setup = f"out = {formula} with {inputs}, out.grad = {out_grad:g}"
    if pre_grads:
        setup += ", and " + ", ".join(f"{show(spec, i)}.grad = {g:g} already"
                                      for i, g in pre_grads.items())
    report = learner.run(f"running the _backward of {formula}", "local_backward",
                         spec=spec, out=out, out_grad=out_grad,
                         pre_grads={str(i): g for i, g in (pre_grads or {}).items()})
    if report["grad_after_forward"] != 0:
        raise CheckFailed(f"{formula}: right after the forward pass, out.grad is "
                          f"{mirror.show_number(report['grad_after_forward'])}, not 0.",
                          mc.grad_is_function() if diagnose.is_function(
                              report["grad_after_forward"]) else None)
    data, expected = mirror.gradients(spec, out, out_grad)
    got_data = report["nodes"][out]["data"]
    if not mirror.close(got_data, data[out]):
        raise CheckFailed(f"{formula} computes the wrong value, so its gradient cannot be "
                          f"checked yet: fix stage 1 first.\n"
                          + mirror.mismatch_line("data", data[out], got_data),
                          diagnose.forward_data(spec, out, got_data))
    wrong = []
    for i, node in enumerate(spec):
        if "leaf" in node:
            want = expected[i] + (pre_grads or {}).get(i, 0.0)
            got = report["nodes"][i]["grad"]
            if not mirror.close(got, want):
                wrong.append(mirror.mismatch_line(f"{show(spec, i)}.grad", want, got))
    if wrong:
        ran = [f"  {at(r['file'], r['line'])} ({readable(r['func'])})"
               for r in report["backward_at"] if not r["default"]]
        where = ("\nThe _backward that ran (where its def starts):\n"
                 + "\n".join(dict.fromkeys(ran))) if ran \
            else "\nNo _backward of yours ran: did you attach it with out._backward = _backward?"
        raise CheckFailed(f"{setup}:\n" + "\n".join(wrong) + where,
                          diagnosis(learner, spec, out, report, out_grad, pre_grads),
                          pictures.graph(spec, out, report["nodes"], data,
                                         [g + (pre_grads or {}).get(i, 0.0)
                                          for i, g in enumerate(expected)]))


def diagnosis(learner, spec, out, report, out_grad, pre_grads):
    """The misconception behind wrong grads of one op, or None when none fits for sure."""
    if not mirror.close(report["nodes"][out]["grad"], out_grad):
        return mc.out_grad_changed(mirror.show_number(out_grad),
                                   mirror.show_number(report["nodes"][out]["grad"]))
    got = {i: report["nodes"][i]["grad"] for i, node in enumerate(spec) if "leaf" in node}
    if not all(report["reached"][i] for i in got):
        # Value(-self.data) and the like: no children, so no _backward can reach them
        return mc.graph_cut()
    op_ran = any(not r["default"] for r in report["backward_at"])  # one rule, as above
    found = diagnose.own_derivative(
        diagnose.local(spec, out, got, out_grad, pre_grads, op_backward_ran=op_ran),
        spec[out]["op"], report["backward_at"])
    if found and found.name == mc.overwritten().name and not right_with_separate_uses(
            learner, spec, out, out_grad):
        return None  # grads lost, but the op is wrong even used once: not an = for +=
    rerun = diagnose.rerun_with(learner)
    if found is None and op_ran and not pre_grads:
        return diagnose.grad_for_data(spec, out, got, out_grad, rerun)
    return diagnose.confirmed(found, spec, out, out_grad, rerun, pre_grads)


def right_with_separate_uses(learner, spec, out, out_grad):
    """The same op with every operand used once and no earlier grads: does it work?"""
    control, _ = diagnose.separate_uses(spec, out)
    rerun = diagnose.rerun_with(learner)
    return diagnose.all_right(control, out_grad, rerun(control, out_grad, None))


def test_add_backward(learner):
    check_local(learner, [A, B, op("add", 0, 1)])


def test_mul_backward(learner):
    check_local(learner, [A, B, op("mul", 0, 1)])


def test_pow_backward(learner):
    for k in (2, 3, -1, 0.5, -1.5):
        check_local(learner, [P, op("pow", 0, num(k))])
    check_local(learner, [leaf(-2.5, "b"), op("pow", 0, num(2))])


def test_tanh_backward(learner):
    for x in (0.5, -1.2):
        check_local(learner, [leaf(x, "a"), op("tanh", 0)])


def test_exp_backward(learner):
    for x in (0.8, -0.7):
        check_local(learner, [leaf(x, "a"), op("exp", 0)])


def test_relu_backward(learner):
    for x in (1.7, -2.0):
        check_local(learner, [leaf(x, "a"), op("relu", 0)])


def test_neg_and_sub_backward(learner):
    check_local(learner, [A, op("neg", 0)])
    check_local(learner, [A, B, op("sub", 0, 1)])


def test_div_backward(learner):
    check_local(learner, [A, B, op("div", 0, 1)])


def test_numbers_on_either_side_backward(learner):
    for name in ("add", "sub", "mul", "div"):
        check_local(learner, [A, op(name, 0, num(2))])
        check_local(learner, [B, op(name, num(5), 0)])


def test_gradients_accumulate(learner):
    """+= not =: a node used twice gets both contributions, and an existing grad stays."""
    check_local(learner, [A, op("add", 0, 0)])
    check_local(learner, [B, op("mul", 0, 0)])
    already = {0: 0.25, 1: -1.0}  # grads a node got earlier, from other uses in a graph
    for name in ("add", "mul", "sub", "div"):
        check_local(learner, [A, B, op(name, 0, 1)], pre_grads=already)
        check_local(learner, [A, op(name, num(5), 0)], pre_grads={0: 0.25})
    check_local(learner, [P, op("pow", 0, num(3))], pre_grads={0: 0.25})
    for name in ("neg", "tanh", "exp", "relu"):
        check_local(learner, [leaf(0.3, "a"), op(name, 0)], pre_grads={0: 2.0})
