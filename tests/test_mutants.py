"""Every check can fail: each learner-style bug is caught at its own stage, and only there
first (every earlier stage still passes)."""
import atexit
import pathlib
import shutil
import tempfile

import pytest

from kata.stages import STAGES
from mutants import MUTANTS, Mutant, apply
from support import SOLUTIONS, check, copy_of, grade_side_by_side, statuses

pytestmark = pytest.mark.background  # graded from the session's start (tests/conftest.py)


def mutant_folder(mutant, folder):
    folder = copy_of(SOLUTIONS, folder)
    apply(mutant, folder)
    return folder


BACKGROUND = []  # the graded mutants' Future, once started


def start_in_background(items):
    """Called by tests/conftest.py as the session starts, with this module's tests."""
    from concurrent.futures import ThreadPoolExecutor
    root = pathlib.Path(tempfile.mkdtemp(prefix="kata-mutants-"))  # only its owner reads it
    atexit.register(shutil.rmtree, root, True)
    # One lane: the rest of the self-tests run meanwhile, and need the other core.
    BACKGROUND.append(ThreadPoolExecutor(1).submit(grade_all, wanted(items), root, 1))


@pytest.fixture(scope="module")
def graded(request, tmp_path_factory):
    if BACKGROUND:
        return BACKGROUND[0].result()
    return grade_all(wanted(request.session.items), tmp_path_factory.mktemp("mutants"))


def wanted(items):
    """The mutants the selected tests ask about."""
    return list({item.callspec.params["mutant"].name: item.callspec.params["mutant"]
                 for item in items
                 if item.originalname in ("test_mutant_is_caught_first_at_its_stage",
                                          "test_advice_works_when_typed_as_written")
                 }.values())


def grade_all(wanted, root, lanes=None):
    """Every mutant graded up to its own stage, `lanes` at a time (default: one per core);
    each with the grader's advice applied too, where it has one."""
    jobs = [(mutant_folder(m, root / str(i) / "solutions"),
             *[s.name for s in STAGES][:int(m.stage[-1]) + 1]) for i, m in enumerate(wanted)]
    keys = [m.name for m in wanted]
    for i, m in enumerate(wanted):
        if m.fix:
            file, old, new, _ = m.fix
            folder = mutant_folder(m, root / f"{i}-fixed" / "solutions")
            apply(Mutant(m.name, file, old, new, m.stage, m.check), folder)
            jobs.append((folder, m.stage))
            keys.append(m.name + " (advice applied)")
    return dict(zip(keys, grade_side_by_side(jobs, lanes)))


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_mutant_is_caught_first_at_its_stage(mutant, graded):
    result = graded[mutant.name]
    upto = [s.name for s in STAGES][:int(mutant.stage[-1]) + 1]
    got = {s["name"]: s["status"] for s in result["stages"]}
    assert got == {**{name: "passed" for name in upto[:-1]}, mutant.stage: "failed"}
    caught = check(result, mutant.stage, mutant.check)
    assert caught["status"] == "failed", caught
    assert caught["message"]
    named = caught["diagnosis"]["name"] if caught["diagnosis"] else None
    assert named == mutant.diagnosis, caught
    if named:  # the diagnosis carries the fix: the check's general hint is not said again
        assert "Hint:" not in caught["message"], caught
    assert result["exit_code"] == 1


ADVISED = [m for m in MUTANTS if m.fix]


@pytest.mark.parametrize("mutant", ADVISED, ids=[m.name for m in ADVISED])
def test_advice_works_when_typed_as_written(mutant, graded):
    """The grader's hint, typed as it stands into the learner's buggy file, makes the stage
    pass: `other - self` in __rsub__ would recurse forever, so no hint may say just that."""
    file, old, new, said = mutant.fix
    hint = " ".join(check(graded[mutant.name], mutant.stage, mutant.check)["diagnosis"]["hint"]
                    .split())
    assert said in new and said in hint, (said, hint)
    result = graded[mutant.name + " (advice applied)"]
    assert statuses(result) == {mutant.stage: "passed"}, result
