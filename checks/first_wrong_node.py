"""Stage 3's detective work: which node of the graph went wrong first, and why.

Walking from the output towards the leaves, the first node whose gradient differs from
torch while every node that uses it is still right: the mistake is in the _backward of
those users. Their ops come from the check's own graph, never from the learner's _op.
"""
import diagnose
import misconceptions as mc
import mirror
from kata.graph import show
from kata.places import at

FORMULA_LIMIT = 70


def short(text, limit=FORMULA_LIMIT):
    return text if len(text) <= limit else text[:limit - 3] + "..."


def users(spec):
    """node index -> indices of the op nodes that take it as an operand."""
    found = {i: [] for i in range(len(spec))}
    for j, node in enumerate(spec):
        for a in node.get("args", []):
            if isinstance(a, int) and j not in found[a]:
                found[a].append(j)
    return found


def place(where):
    return f" ({where['func']} at {at(where['file'], where['line'])})" if where and \
        where.get("file") else ""


def explain(learner, spec, out, report):
    """(text, diagnosis) about the first wrong node of a failed backward(), or (None, None)."""
    data, grads = mirror.gradients(spec, out)
    nodes = report["nodes"]
    got_grads = [n["grad"] for n in nodes]
    if diagnose.is_function(got_grads[out]):
        return None, mc.grad_is_function()
    if report.get("shadowed"):
        return None, mc.backward_shadowed()
    if got_grads[out] == 0:
        return None, mc.backward_not_seeded()
    calls = report.get("calls") or []
    if len(calls) != len(set(calls)):  # before the shapes below: a root _backward run twice
        twice = {i for i in calls if calls.count(i) > 1}  # can leave 1s
        return None, topo_at_fault(learner, spec, out) or mc.backward_twice(twice == {out})
    inner = [i for i in reach(spec, out) if "op" in spec[i] and i != out]
    if inner and all(mirror.close(got_grads[i], 1.0) for i in inner) and \
            not all(mirror.close(grads[i], 1.0) for i in inner):
        return None, mc.every_node_seeded()  # node.grad = 1.0 inside the walk
    others = [i for i in reach(spec, out) if i != out]
    if calls and others and \
            all(isinstance(got_grads[i], (int, float)) and got_grads[i] == 0 for i in others) \
            and not all(grads[i] == 0 for i in others) and "op" in spec[out] \
            and works_alone(learner, spec, out, grads):
        # seeded after the walk, so it all ran with 0; or a build_topo without the root
        return None, topo_at_fault(learner, spec, out) or mc.backward_not_seeded()
    for i, node in enumerate(spec):  # forward first: a wrong value spoils every gradient
        if "op" in node and not mirror.close(nodes[i]["data"], data[i]):
            text = (f"First wrong value: {short(show(spec, i))}\n"
                    + mirror.mismatch_line("data", data[i], nodes[i]["data"])
                    + place((report.get("method") or [None] * len(spec))[i]))
            return text, diagnose.forward_data(spec, i, nodes[i]["data"])
    cut = [i for i in reach(spec, out) if not report["reached"][i]]
    if cut:  # a Value made without its children: gradients stop there, whatever the walk
        return (f"{short(show(spec, cut[-1]))} cannot be reached from the output through "
                "_prev, so backward() never gets there: the graph is cut above it."), \
            mc.graph_cut()
    text, diagnosis = call_order(spec, out, report.get("calls"))
    if diagnosis is not None and diagnosis.name in WALK_NAMES:
        # backward() may walk just as the lecture does, over a list build_topo got wrong
        diagnosis = topo_at_fault(learner, spec, out) or diagnosis
    if text or diagnosis:
        return text, diagnosis
    used_by = users(spec)
    reachable = reach(spec, out)
    for i in sorted(reachable, reverse=True):
        if i == out or mirror.close(got_grads[i], grads[i]):
            continue
        if all(mirror.close(got_grads[j], grads[j]) for j in used_by[i] if j in reachable):
            return blame(learner, spec, i, [j for j in used_by[i] if j in reachable],
                         report, got_grads, grads)
    return None, None


def reach(spec, out):
    seen, stack = set(), [out]
    while stack:
        i = stack.pop()
        if i not in seen:
            seen.add(i)
            stack.extend(a for a in spec[i].get("args", []) if isinstance(a, int))
    return seen


WALK_NAMES = {mc.only_root_backward().name, mc.backward_walks_forward().name,
              mc.no_backward_called().name}


def topo_at_fault(learner, spec, out):
    """The learner's build_topo on this very graph, when it leaves nodes out or puts a
    parent first: then that, not backward(), is the mistake to name."""
    report = learner.experiment("topo", spec=spec, root=out)
    if not report or report.get("returned") != "list":
        return None
    order, edges = report["order"], report["edges"]
    listed = {i for i in order if i >= 0}
    if len(listed) < len(order):
        return mc.topo_node_twice()
    if len(listed) < len(edges):
        return mc.topo_misses_nodes(
            f"backward() walks the list build_topo returns, and on this graph it holds "
            f"{len(listed)} of its {len(edges)} nodes: fix build_topo first (its own check, "
            "topo_on_lecture_graphs, shows which are missing).")
    place = {i: k for k, i in enumerate(order)}
    pairs = [(parent, kid) for parent, kids in enumerate(edges) for kid in kids]
    if any(place.get(kid, -1) > place.get(parent, -1) for parent, kid in pairs):
        return mc.topo_parent_first(root_first=all(place[kid] > place[parent]
                                                   for parent, kid in pairs))
    return None


def call_order(spec, out, calls):
    """(text, diagnosis) when the order backward() called the ops' _backward in explains
    the failure, else (None, None). `calls` was measured in the child; None: unknown."""
    if calls is None:
        return None, None
    ops = [i for i in reach(spec, out) if "op" in spec[i]]
    if not calls:
        return None, mc.no_backward_called()
    if out not in calls:
        return ("The output's own _backward never ran, so nothing reached its children: "
                "the list backward() walks must include the output itself (build_topo puts "
                "the root last)."), None
    if set(calls) == {out} and len(ops) > 1:
        return None, mc.only_root_backward()
    first = {}
    for k, i in enumerate(calls):
        first.setdefault(i, k)
    edges = [(j, a) for j in ops for a in spec[j]["args"] if isinstance(a, int) and a in ops]
    if edges and all(i in first for i in ops) and all(first[a] < first[j] for j, a in edges):
        return None, mc.backward_walks_forward()
    return None, None


def blame(learner, spec, node, parents, report, got, want):
    """Text on the first wrong node, and the misconception if one op's numbers show it."""
    text = (f"First wrong gradient (nearest the output): {short(show(spec, node))}\n"
            + mirror.mismatch_line("grad", want[node], got[node]) + "\n"
            + "It comes from the _backward of "
            + ", ".join(f"{short(show(spec, p), 50)}{place(report['backward_at'][p])}"
                        for p in parents)
            + (" (every one of them has the right grad itself)." if len(parents) > 1 else
               f" (whose own grad, {mirror.show_number(got[parents[0]])}, is right)."))
    if len(parents) > 1:
        contributions = [mirror.contribution(spec, p, node) * want[p] for p in parents]
        if some_contributions_lost(got[node], contributions):
            return text, mc.overwritten()
        return text, None
    diagnosis = replay_one_op(learner, spec, parents[0], want)
    if diagnosis is None and got[node] == 0:
        text += ("\nRun alone on the same numbers, that _backward passes the gradient on "
                 "correctly: so it was not called, or was called before its own grad was "
                 "complete. Check the order backward() uses (build_topo).")
    return text, diagnosis


def some_contributions_lost(got, contributions):
    """got is the sum of only some of the contributions: an = wiped out the others."""
    if not isinstance(got, (int, float)) or len(contributions) > 12:
        return False
    n = len(contributions)
    for mask in range(1, 2 ** n - 1):
        part = sum(c for k, c in enumerate(contributions) if mask >> k & 1)
        if mirror.close(got, part):
            return True
    return False


def alone(learner, spec, parent, want):
    """The op at `parent` run alone on the same numbers: (mini spec, out_grad, {leaf: grad},
    the probe's report), or None when it failed."""
    data = [n.item() for n in mirror.build(spec)]
    mini, index = [], {}
    for a in spec[parent]["args"]:
        if isinstance(a, int) and a not in index:
            index[a] = len(mini)
            mini.append({"leaf": data[a]})
    args = [index[a] if isinstance(a, int) else a for a in spec[parent]["args"]]
    mini.append({"op": spec[parent]["op"], "args": args})
    out_grad = want[parent] if want[parent] != 0 else 1.0
    report = learner.experiment("local_backward", spec=mini, out=len(mini) - 1,
                                out_grad=out_grad)
    if not report:
        return None
    got = {i: report["nodes"][i]["grad"] for i in range(len(mini) - 1)}
    return mini, out_grad, got, report


def replay_one_op(learner, spec, parent, want):
    """Run the suspect op alone on the same numbers and read its signature."""
    ran = alone(learner, spec, parent, want)
    if ran is None:
        return None
    mini, out_grad, got, report = ran
    found = diagnose.own_derivative(diagnose.local(mini, len(mini) - 1, got, out_grad),
                                    mini[-1]["op"], report["backward_at"])
    return diagnose.confirmed(found, mini, len(mini) - 1, out_grad,
                              diagnose.rerun_with(learner))


def works_alone(learner, spec, parent, want):
    """Does the op's own _backward pass the gradient on right when run by itself?"""
    ran = alone(learner, spec, parent, want)
    if ran is None:
        return False
    mini, out_grad, got, _ = ran
    return diagnose.all_right(mini, out_grad, got)
