"""Stage 3: build_topo(root) orders the whole graph; backward() fills every grad.

build_topo may return any valid order (recursive or iterative), and backward() is judged
only by the gradients it leaves, compared with torch on lecture graphs and random DAGs.
"""
import first_wrong_node
import graphs
import misconceptions as mc
import mirror
import pictures
from kata.graph import show
from verdicts import CheckFailed

RANDOM_GRAPHS = 25


def node_name(spec, report, i):
    """A walk node as the learner would recognise it."""
    j = report["spec_index"][i]
    if j is not None:
        return f"`{short(show(spec, j))}`"
    return f"the node with data {mirror.show_number(report['data'][i])}"


def short(text, limit=60):
    return text if len(text) <= limit else text[:limit - 3] + "..."


def check_topo(learner, spec, title):
    root = len(spec) - 1
    report = learner.run(f"calling build_topo on {title}", "topo", spec=spec, root=root)
    if report["returned"] != "list":
        raise CheckFailed(f"build_topo({title}) returned a {report['returned']}, not a list.")
    order, edges, n = report["order"], report["edges"], len(report["edges"])
    context = f"build_topo on {title} ({n} nodes):"
    if -1 in order:
        raise CheckFailed(f"{context} it returned something that is not a node of the graph "
                          "(a copy, a number, or a node of another graph).")
    seen = {}
    for position, i in enumerate(order):
        if i in seen:
            raise CheckFailed(f"{context} {node_name(spec, report, i)} appears twice "
                              f"(positions {seen[i]} and {position}).\nHint: mark a node "
                              "visited before you walk into its children, and skip visited ones.",
                              mc.topo_node_twice())
        seen[i] = position
    missing = [i for i in range(n) if i not in seen]
    if missing:
        raise CheckFailed(f"{context} {len(missing)} of {n} nodes are missing, e.g. "
                          f"{node_name(spec, report, missing[0])}.",
                          mc.topo_misses_nodes(missing_hint(missing, edges, report["root"])))
    backwards = {i: n - 1 - k for i, k in seen.items()}  # the list read from its end
    reversed_list = all(backwards[kid] < backwards[parent]
                        for parent, kids in enumerate(edges) for kid in kids)
    for parent, kids in enumerate(edges):
        for kid in kids:
            if seen[kid] > seen[parent]:
                raise CheckFailed(f"{context} {node_name(spec, report, parent)} comes before "
                                  f"its child, {node_name(spec, report, kid)}.\nHint: append a "
                                  "node only after all its children are in the list.",
                                  mc.topo_parent_first(root_first=reversed_list))
    if order[-1] != report["root"]:
        raise CheckFailed(f"{context} the root is not last.", mc.topo_root_not_last())


def missing_hint(missing, edges, root):
    if root in missing:
        return "The root itself belongs in the list too, as its last node."
    if all(not edges[i] for i in missing):
        return "Leaves (nodes with no children, such as the inputs) belong in the list too."
    return None


def check_backward(learner, spec, title):
    out = len(spec) - 1
    report = learner.run(f"calling backward() on {title}", "backward", spec=spec, out=out)
    data, grads = mirror.gradients(spec, out)
    got_out = report["nodes"][out]
    wrong = [i for i, node in enumerate(spec)
             if "leaf" in node and not mirror.close(report["nodes"][i]["grad"], grads[i])]
    if not wrong and mirror.close(got_out["data"], data[out]):
        return
    lines = [mirror.mismatch_line(f"{show(spec, i)}.grad", grads[i],
                                  report["nodes"][i]["grad"]) for i in wrong[:6]]
    if not mirror.close(got_out["data"], data[out]):
        lines.insert(0, mirror.mismatch_line("output data", data[out], got_out["data"]))
    more = f"\n  ... and {len(wrong) - 6} more" if len(wrong) > 6 else ""
    detail, diagnosis = first_wrong_node.explain(learner, spec, out, report)
    raise CheckFailed(f"backward() on {title}, out = {short(show(spec, out), 80)}:\n"
                      + "\n".join(lines) + more + (f"\n{detail}" if detail else ""),
                      diagnosis, pictures.graph(spec, out, report["nodes"], data, grads))


def test_topo_on_lecture_graphs(learner):
    for title, make in graphs.HAND_WRITTEN.items():
        check_topo(learner, make(), title)


def test_topo_on_random_graphs(learner, seed):
    for k, spec in enumerate(graphs.random_dags(seed, RANDOM_GRAPHS)):
        check_topo(learner, spec, f"random graph #{k} (seed {seed})")


def test_backward_lecture_expression(learner):
    check_backward(learner, graphs.lecture_expression(), "the lecture's expression")


def test_backward_lecture_neuron(learner):
    check_backward(learner, graphs.lecture_neuron(), "the lecture's neuron")


def test_backward_diamond_and_reuse(learner):
    check_backward(learner, graphs.diamond(), "a diamond")
    check_backward(learner, graphs.reused_many_times(), "a node used many times")


def test_backward_deep_chain(learner):
    check_backward(learner, graphs.deep_chain(), "a chain 240 ops long")


def test_backward_random_graphs(learner, seed):
    for k, spec in enumerate(graphs.random_dags(seed, RANDOM_GRAPHS)):
        check_backward(learner, spec, f"random graph #{k} (seed {seed})")


def test_backward_adds_to_grads_already_there(learner):
    """backward() adds into .grad, as torch does: a leaf that holds a grad already ends with
    that much more. A backward() that first clears every grad passes each single backward
    but hides a training loop without zero_grad (stage 7 would never see it)."""
    spec = graphs.lecture_expression()
    out = len(spec) - 1
    before = {i: 0.25 * (k + 1) for k, i in enumerate(i for i, n in enumerate(spec)
                                                      if "leaf" in n)}
    report = learner.run("calling backward() on the lecture's expression, its leaves holding "
                         "grads already", "backward", spec=spec, out=out,
                         pre_grads={str(i): g for i, g in before.items()})
    data, grads = mirror.gradients(spec, out)
    got = {i: report["nodes"][i]["grad"] for i in before}
    wrong = [i for i in before if not mirror.close(got[i], before[i] + grads[i])]
    if not wrong:
        return
    cleared = all(mirror.close(got[i], grads[i]) for i in before)
    lines = [mirror.mismatch_line(f"{show(spec, i)}.grad", before[i] + grads[i], got[i])
             for i in wrong]
    raise CheckFailed(
        "backward() on the lecture's expression, out = (a*b + c)*f, with "
        + ", ".join(f"{show(spec, i)}.grad = {g:g}" for i, g in before.items())
        + " already:\n" + "\n".join(lines),
        mc.backward_clears_grads() if cleared else None,
        pictures.graph(spec, out, report["nodes"], data,
                       [g + before.get(i, 0.0) for i, g in enumerate(grads)]))
