"""The graphs the checks use keep the rules that let every correct implementation pass."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "checks"))

import graphs  # noqa: E402


def depth(spec):
    """Longest path counting up to 3 extra nodes a composite op may add (a / b)."""
    d = []
    for node in spec:
        below = [d[a] for a in node.get("args", []) if isinstance(a, int)]
        d.append(0 if "leaf" in node else 3 + max(below, default=0))
    return max(d)


def test_random_graphs_keep_the_rules():
    for seed in range(5):
        for spec in graphs.random_dags(seed, 25):
            assert graphs.relu_inputs_clear_of_zero(spec)
            assert depth(spec) <= 300


def test_deep_chain_stays_within_300():
    # only + and * with a number and tanh: primitives everywhere, one level per op
    spec = graphs.deep_chain()
    assert {n.get("op") for n in spec} <= {None, "add", "mul", "tanh"}
    assert len(spec) <= 300


def test_same_seed_same_graphs():
    assert graphs.random_dags(3, 5) == graphs.random_dags(3, 5)
    assert graphs.random_dags(3, 5) != graphs.random_dags(4, 5)
