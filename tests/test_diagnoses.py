"""A named mistake is never given to correct code, and the signatures names rest on differ.

The other half, that each mistake gets its name, is tests/test_mutants.py.
"""
import itertools
import os
import random
import sys

import pytest

from correct_variants import VARIANTS
from mutants import apply
from support import ALT_IMPL, ROOT, SOLUTIONS, copy_of, grade_side_by_side

sys.path.insert(0, os.path.join(ROOT, "checks"))
import experiments  # noqa: E402
import mirror  # noqa: E402
import training  # noqa: E402
from kata.client import Child  # noqa: E402

KINDS = ("neuron", "layer", "mlp")


@pytest.fixture(scope="module")
def variant_folders(tmp_path_factory):
    folders = {}
    for variant in VARIANTS:
        folder = copy_of(SOLUTIONS, tmp_path_factory.mktemp("variant") / "solutions")
        apply(variant, folder)
        folders[variant.name] = folder
    return folders


@pytest.fixture(scope="module")
def variant_results(variant_folders):
    jobs = [(variant_folders[v.name], "stage4", "stage5", "stage6", "stage7") for v in VARIANTS]
    return dict(zip([v.name for v in VARIANTS], grade_side_by_side(jobs)))


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_correct_variant_passes_and_gets_no_name(variant, variant_results):
    result = variant_results[variant.name]
    failing = [(s["name"], c["name"], c["message"]) for s in result["stages"]
               for c in s["checks"] if c["status"] != "passed"]
    assert failing == []
    assert [c["diagnosis"] for s in result["stages"] for c in s["checks"]
            if c["diagnosis"]] == []


def test_experiments_name_nothing_in_correct_code(variant_folders):
    """Run on correct networks, the control experiments fit the correct network exactly
    (so the arithmetic that names mistakes models real code) and single out nothing."""
    targets = {"solutions": SOLUTIONS, "alt_impl": ALT_IMPL, **variant_folders}
    for name, target in targets.items():
        child = Child(str(target), str(target), timeout=10.0)
        try:
            for kind in KINDS:
                asked = experiments.trials(kind)
                reply = child.call("network_trials", kind=kind, trials=asked)
                assert reply["ok"], (name, kind, reply)
                answers = reply["result"]["trials"]
                assert experiments.fits(experiments.Variant(), kind, asked, answers), \
                    (name, kind)
                assert experiments.singled_out(kind, asked, answers) is None, (name, kind)
        finally:
            child.close()


def same(a, b):
    if a[0] != b[0] or (a[1] == "error") != (b[1] == "error"):
        return False
    if a[1] in (None, "error"):
        return a[1] == b[1]
    return len(a[1]) == len(b[1]) and all(mirror.close(x, y) for x, y in zip(a[1], b[1]))


@pytest.mark.parametrize("kind", KINDS)
def test_network_experiments_tell_every_mistake_apart(kind):
    """No two variants with different names or hints give the same numbers on every trial:
    a name cannot come from a coincidence at the chosen weights and inputs."""
    asked = experiments.trials(kind)
    runs = {v: [experiments.simulate(v, kind, t["args"], t["weights"], t["inputs"])
                for t in asked] for v in experiments.variants(kind)}
    pairs = 0
    for a, b in itertools.combinations(runs, 2):
        if (a.mistake, a.detail) == (b.mistake, b.detail):
            continue
        pairs += 1
        assert not all(same(x, y) for x, y in zip(runs[a], runs[b])), (a, b)
    assert pairs >= len(experiments.NEURON_VARIANTS)


TRAIN_CHECKS = [([3, 4, 4, 1], training.LECTURE_XS, training.LECTURE_YS, 12, 0.05),
                ([2, 3, 1], [[0.5, -1.0], [-0.3, 0.8], [1.2, 0.1]], [0.5, -0.5, 0.2], 8, 0.1)]


@pytest.mark.parametrize("sizes, xs, ys, steps, lr", TRAIN_CHECKS, ids=["lecture", "small"])
def test_every_training_loop_gets_its_first_slip(sizes, xs, ys, steps, lr):
    """Each loop with slips, replayed, is named by its own first slip (the one to fix
    first), though other loops may give the same numbers: only a loop whose weights never
    move is named for that instead, as nothing then shows the order or the step."""
    draw = random.Random(5)
    count = sum(b * (a + 1) for a, b in zip(sizes, sizes[1:]))
    weights = [draw.uniform(-1, 1) for _ in range(count)]
    runs = {loop: training.torch_train(sizes, weights, xs, ys, steps, lr, loop)
            for loop in training.LOOPS}

    def alike(a, b):
        (la, ha), (lb, hb) = runs[a], runs[b]
        return all(mirror.close(x, y) for x, y in zip(la + ha[-1], lb + hb[-1]))
    for loop in training.LOOPS:
        if loop == training.Loop():
            continue
        assert not alike(loop, training.Loop()), loop
        named = training.shared_slips([other for other in training.LOOPS
                                       if other != training.Loop() and alike(loop, other)])
        assert named is not None, loop
        assert named.name in (loop.slips()[0].name, "parameters never change"), loop
        if named.name == "parameters never change":
            assert runs[loop][1][-1] == weights, loop
