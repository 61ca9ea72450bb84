"""The optional challenges: graded only when named or with --all, never against a learner
who stops at stage 7; the reference passes them, the stubs are "not started", and each
learner-style bug is caught at its challenge with the misconception named."""
import json
import os
import sys

import pytest

from kata import gradebook, stages
from kata.stages import CHALLENGES, STAGES
from correct_variants import CHALLENGE_VARIANTS
from mutants import CHALLENGE_MUTANTS, RECURSIVE_TOPO, Mutant, apply
from support import (ALT_IMPL, ROOT, SOLUTIONS, check, copy_of, grade, grade_side_by_side,
                     run_grader, statuses)

EXERCISES = os.path.join(ROOT, "exercises")
CORE = {s.name: "passed" for s in STAGES}
MARKERS = {"value.py": "    # --- Optional challenges", "topo.py": "# --- Optional challenge"}


def read(folder, name):
    with open(os.path.join(folder, name)) as f:
        return f.read()


def stopped_at_stage7(folder, stubs=True):
    """The reference's stages 0-7 with the challenges as a learner who never began them
    has them: the stubs' optional sections and files (`stubs`), or none at all (an older
    copy of the kata, or the lecture's own code), with a recursive build_topo."""
    copy_of(SOLUTIONS, folder)
    for name, marker in MARKERS.items():
        core = read(folder, name).split(marker)[0]
        rest = marker + read(EXERCISES, name).split(marker, 1)[1] if stubs else ""
        (folder / name).write_text(core + rest)
    for name in ("softmax.py", "classifier.py"):
        if stubs:
            (folder / name).write_text(read(EXERCISES, name))
        else:
            os.remove(folder / name)
    if not stubs:
        apply(Mutant("lecture", "topo.py", "", RECURSIVE_TOPO, "", ""), folder)
    return folder


@pytest.mark.parametrize("stubs", [True, False], ids=["with the stubs", "without them"])
def test_a_learner_who_stopped_at_stage7_has_finished(tmp_path, stubs):
    folder = stopped_at_stage7(tmp_path / "learner", stubs)
    done = run_grader("--target", str(folder))
    assert done.returncode == 0, done.stdout
    assert "challenge1" not in done.stdout.split("Well done!")[0]  # not graded, not listed
    assert "That is the kata. 4 optional challenges go beyond it" in done.stdout
    assert f"python grader.py challenge1 --target {folder}" in done.stdout

    result = grade(folder, extra=["--all"])
    assert statuses(result) == {**CORE, **{c.name: "not started" for c in CHALLENGES}}
    assert result["exit_code"] == 1
    assert [s["optional"] for s in result["stages"]] == [False] * 8 + [True] * 4

    listed = run_grader("list", "--target", str(folder))
    assert listed.returncode == 0, listed.stdout
    assert listed.stdout.count("not graded (list --all)") == 4
    assert "8/8 stages passed. That is the kata. Optional challenges, when you want more: " \
           "python grader.py challenge1" in listed.stdout
    listed = run_grader("list", "--all", "--target", str(folder))
    assert listed.returncode == 1, listed.stdout
    assert "8/8 stages passed. Optional: 0/4 challenges passed. Next: python grader.py " \
           "challenge1" in listed.stdout


def test_the_reference_and_another_style_pass_every_challenge():
    for target in (SOLUTIONS, ALT_IMPL):
        result = grade(target, *(c.name for c in CHALLENGES))
        failing = [(s["name"], c["name"], c["message"]) for s in result["stages"]
                   for c in s["checks"] if c["status"] != "passed"]
        assert failing == [] and result["exit_code"] == 0
        assert [c["diagnosis"] for s in result["stages"] for c in s["checks"]] == \
            [None] * sum(len(s["checks"]) for s in result["stages"])


def test_named_challenges_count_for_the_exit_code(tmp_path):
    folder = copy_of(SOLUTIONS, tmp_path / "learner")
    apply(CHALLENGE_MUTANTS[-1], folder)  # the classifier's loss summed
    assert grade(folder, "stage0")["exit_code"] == 0
    result = grade(folder, "challenge4", "stage0")
    assert statuses(result) == {"stage0": "passed", "challenge4": "failed"}
    assert result["exit_code"] == 1
    assert [s["optional"] for s in result["stages"]] == [False, True]


def core_stages_sharing(mutant):
    return [s.name for s in STAGES if any(f in s.files for f, _, _ in mutant.edits)]


def graded_changes(root, changes, stages):
    """{name: result} of each change (a Mutant or a Rewrite) made to a copy of the
    reference and graded on stages(change), several side by side."""
    jobs = []
    for i, change in enumerate(changes):
        folder = copy_of(SOLUTIONS, root / str(i) / "solutions")
        apply(change, folder)
        jobs.append((folder, *stages(change)))
    return dict(zip((c.name for c in changes), grade_side_by_side(jobs)))


@pytest.fixture(scope="module")
def mutants_graded(tmp_path_factory):
    return graded_changes(tmp_path_factory.mktemp("challenge-mutants"), CHALLENGE_MUTANTS,
                          lambda m: [*core_stages_sharing(m), m.stage])


@pytest.mark.parametrize("mutant", CHALLENGE_MUTANTS, ids=[m.name for m in CHALLENGE_MUTANTS])
def test_challenge_mutant_is_caught_at_its_challenge(mutant, mutants_graded):
    result = mutants_graded[mutant.name]
    # the core stages that share the mutated file still pass: the challenge alone fails
    assert statuses(result) == {**{n: "passed" for n in core_stages_sharing(mutant)},
                                mutant.stage: "failed"}
    caught = check(result, mutant.stage, mutant.check)
    assert caught["status"] == "failed" and caught["message"], caught
    assert (caught["diagnosis"] or {}).get("name") == mutant.diagnosis, caught
    assert result["exit_code"] == 1


def test_a_challenge_the_points_table_gives_points_is_graded_and_gets_a_column(monkeypatch):
    assert [s.name for s in stages.course_stages()] == [s.name for s in STAGES]
    worth = stages.CHALLENGES[2]._replace(points=10)
    monkeypatch.setattr(stages, "ALL_STAGES", STAGES + (CHALLENGES[0], CHALLENGES[1], worth,
                                                        CHALLENGES[3]))
    assert [s.name for s in stages.course_stages()] == [s.name for s in STAGES] + ["challenge3"]
    monkeypatch.setattr(gradebook, "course_stages", stages.course_stages)
    row = {"student": "ada", "score": 110, "max": 110, "status": "ok",
           "points": {**{s.name: s.points for s in STAGES}, "challenge3": 10}}
    head = gradebook.csv_text([row]).splitlines()[0]
    assert head == "student,score,max,stage0,stage1,stage2,stage3,stage4,stage5,stage6," \
                   "stage7,challenge3,status"


def test_course_mode_grades_no_challenge_the_points_table_leaves_out(tmp_path):
    out = tmp_path / "results.json"
    done = run_grader("--target", SOLUTIONS, "--gradescope", str(out))
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())
    assert [t["name"].split(":")[0] for t in results["tests"]] == [s.name for s in STAGES]
    assert results["score"] == 100


def test_usage_errors_name_the_challenges():
    done = run_grader("challenge9")
    assert done.returncode == 2
    assert "choose stage0 ... stage7 or challenge1 ... challenge4" in done.stderr
    done = run_grader("stage2", "--all")
    assert done.returncode == 2 and "--all" in done.stderr
    helped = run_grader("--help")
    assert "challenge4" in helped.stdout and "--all" in helped.stdout
    hinted = run_grader("hint", "challenge3")
    assert hinted.returncode == 0 and "softmax" in hinted.stdout


@pytest.fixture(scope="module")
def variants_graded(tmp_path_factory):
    return graded_changes(tmp_path_factory.mktemp("challenge-variants"), CHALLENGE_VARIANTS,
                          lambda v: [*core_stages_sharing(v), *(c.name for c in CHALLENGES)])


@pytest.mark.parametrize("variant", CHALLENGE_VARIANTS,
                         ids=[v.name for v in CHALLENGE_VARIANTS])
def test_a_challenge_written_another_way_passes(variant, variants_graded):
    result = variants_graded[variant.name]
    failing = [(s["name"], c["name"], c["message"]) for s in result["stages"]
               for c in s["checks"] if c["status"] != "passed"]
    assert failing == [] and result["exit_code"] == 0


def test_the_long_chain_is_judged_by_torchs_own_numbers():
    """A chain of 100,000 ops is judged against the same recurrence in float64 (torch takes
    seconds to build that graph): the two give the very same numbers."""
    sys.path.insert(0, os.path.join(ROOT, "checks"))
    import test_challenge1_deep as deep
    by_hand = deep.chain_by_hand(0.3, deep.LONG_CYCLE, deep.LONG)
    in_torch = deep.torch_chain(0.3, deep.LONG_CYCLE, deep.LONG)
    assert by_hand == tuple(in_torch)


def without_method(folder, name):
    """The reference with one of challenge 2's methods of Value left out."""
    text = read(folder, "value.py")
    start = text.index(f"    def {name}(self")
    end = text.index("\n    def ", start + 1)
    (folder / "value.py").write_text(text[:start] + text[end + 1:])


def test_softmax_needs_challenge2s_log_only(tmp_path):
    """Challenge 3 calls Value.log: without it, it says so and where; a challenge 2 that
    fails elsewhere (no sigmoid) is none of its business."""
    no_sigmoid = copy_of(SOLUTIONS, tmp_path / "no_sigmoid")
    without_method(no_sigmoid, "sigmoid")
    result = grade(no_sigmoid, "challenge2", "challenge3")
    assert statuses(result) == {"challenge2": "failed", "challenge3": "passed"}

    no_log = copy_of(SOLUTIONS, tmp_path / "no_log")
    without_method(no_log, "log")
    result = grade(no_log, "challenge3")
    failed = check(result, "challenge3", "cross_entropy_on_large_logits")
    assert "stopped at unfinished challenge 2 code (Value has no log method yet)" in \
        failed["message"], failed
    assert f"Finish challenge 2 first: python grader.py challenge2 --target {no_log}" in \
        failed["message"]
    assert check(result, "challenge3", "softmax_on_large_logits")["status"] == "passed"
