"""Wiring for the checks: one child process per run, handed to each check as `learner`.

The checks can run under grader.py (the usual way) or straight under pytest:
    pytest checks/test_stage3_backprop.py --kata-target solutions
"""
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if not os.path.isdir(os.path.join(ROOT, "kata")):  # installed: checks/ is inside kata/
    ROOT = os.path.dirname(ROOT)
sys.path.insert(0, ROOT)

from kata import isolation  # noqa: E402
from kata import client  # noqa: E402
from kata.client import Child  # noqa: E402
from kata.stages import ALL_STAGES, NAME_STAGE  # noqa: E402
import verdicts  # noqa: E402
from verdicts import result  # noqa: E402

DEFAULT_SEED = 20240917


def pytest_addoption(parser):
    group = parser.getgroup("kata")
    group.addoption("--kata-target", default=os.path.join(ROOT, "exercises"),
                    help="folder with the learner's files")
    group.addoption("--kata-shown", default=None,
                    help="how messages name the target folder (default: as given)")
    group.addoption("--kata-stage-target", action="append", metavar="STAGE=DIR",
                    help="grade one stage on another folder (blame isolation)")
    group.addoption("--kata-verbose", action="store_true",
                    help="every frame of the learner's code in tracebacks")
    group.addoption("--kata-seed", type=int, default=DEFAULT_SEED, help="seed of random graphs")
    group.addoption("--kata-timeout", type=float, default=5.0,
                    help="seconds one probe of learner code may take")
    group.addoption("--kata-blame", action="store_true",
                    help="set by grader.py, which grades a stage's own file on the reference "
                         "code when a stage it builds on fails (blame isolation)")
    group.addoption("--kata-course", default=None, metavar="JSON",
                    help="course mode: the sandbox layers, the paths to keep out of reach "
                         "and the files the course policy rejects (set by grader.py)")


@pytest.fixture(scope="session")
def children(request):
    """One child process per target folder, started when a check first needs it."""
    verdicts.FRAMES_SHOWN = None if request.config.getoption("kata_verbose") else 3
    verdicts.TARGET = request.config.getoption("kata_shown")
    started = {}
    yield started
    for process in started.values():
        process.close()


def target_of(config, stage):
    """The folder a stage is graded on: --kata-target, or its --kata-stage-target."""
    for item in config.getoption("kata_stage_target") or []:
        name, _, folder = item.partition("=")
        if name == stage:
            return folder
    return config.getoption("kata_target")


@pytest.fixture(scope="session")
def seed(request):
    return request.config.getoption("kata_seed")


TIMEOUTS_PER_STAGE = 2  # after this many probes of a stage hang, the rest are not run
FAILED_STAGES = set()  # numbers of the stages with a failed check in this pytest session


def pytest_sessionstart(session):
    FAILED_STAGES.clear()  # a warm grader runs many sessions in one process


def pytest_runtest_logreport(report):
    if report.failed:
        module = report.nodeid.split("::")[0].rsplit("/", 1)[-1]
        FAILED_STAGES.update(s.number for s in ALL_STAGES if s.check_module == module)


class Learner:
    """A check's view of the learner: run a probe, get its result or the right verdict."""

    def __init__(self, child, stage, blame=False):
        self.child = child
        self.stage = stage
        self.blame = blame  # kata.runner will grade this stage's own file on the reference
        self.printed = []  # what the learner's code printed, shown beside a failure

    @property
    def timeouts(self):
        """How many probes of this stage ran out of time on this child."""
        return self.child.memo.get(("timed out", self.stage), 0)

    def require_started(self):
        """For a check of an optional challenge that runs none of the challenge's own code
        (say, backward() on a deep chain): "not started" while the learner has not begun the
        challenge (its stubs all there, or none of its names written), rather than a verdict
        on code the learner wrote for the core stages."""
        stage = ALL_STAGES[self.stage]
        files = "" if self.child.sources else f" ({', '.join(stage.files)})"  # a notebook's
        if client.untouched(self.stage, self.child.stub_stages):
            raise verdicts.NotStarted(f"the stubs of {stage.name} are all still there{files}")
        names = [n for n, number in NAME_STAGE.items() if number == self.stage]
        missing = self.run(f"looking for {', '.join(n.split('.')[-1] for n in names)}",
                           "defined", names=names)["missing"]
        if len(missing) == len(names):
            raise verdicts.NotStarted(f"{stage.name} needs "
                                      + " and ".join(f"`{n.split('.')[-1]}`" for n in names)
                                      + f", not written yet{files}")

    def run(self, what, probe, limit=None, **args):
        """The probe's result, or the verdict that ends the check. `limit`: seconds this
        probe may take, when its work needs more than --timeout (a deep graph)."""
        if self.timeouts >= TIMEOUTS_PER_STAGE:
            # An endless loop in, say, Value.__init__ would cost every later check its full
            # time limit: minutes of waiting to learn the same thing.
            reply = {"ok": False, "kind": "timeout", "message": (
                f"not run: your code already ran out of time {self.timeouts} times in this "
                "stage (see the checks above). Fix that first.")}
            return result(reply, self.stage, self.child.stub_stages, what)
        reply = self.child.call(probe, limit=limit, **args)
        if reply.get("kind") == "timeout":
            self.child.memo[("timed out", self.stage)] = self.timeouts + 1
        if reply.get("printed"):
            self.printed.append(reply["printed"])
        return result(reply, self.stage, self.child.stub_stages, what)

    @property
    def naming_deferred(self):
        """True when a stage this one builds on has failed in this session and the grader
        will grade this stage's own file on the reference code (kata.runner): a name found
        here, through broken code, is then kept only if that run finds it too, and that
        run looks for it itself. Looking here as well would be paid for and thrown away."""
        stage = ALL_STAGES[self.stage]
        return self.blame and bool(stage.own_file) and isolation.available() and \
            any(d in FAILED_STAGES for d in stage.depends)

    def experiment(self, probe, **args):
        """A probe run only to diagnose a failure already found: its result, or None when
        the learner's code failed it (that failure is not the check's to report)."""
        if self.timeouts or self.naming_deferred:
            return None  # one endless loop is enough waiting for this stage
        reply = self.child.call(probe, **args)
        return reply["result"] if reply.get("ok") else None


@pytest.fixture
def learner(children, request):
    module = request.module.__name__.rsplit(".", 1)[-1]
    stage = next(s for s in ALL_STAGES if s.check_module == module + ".py")
    config = request.config
    target = os.path.abspath(target_of(config, stage.name))
    if target not in children:
        course = config.getoption("kata_course")
        course = json.loads(course) if course else None
        if course and target != os.path.abspath(config.getoption("kata_target")):
            # Blame isolation: only this stage's own file is the learner's here; the
            # reference files beside it are not rejected by the learner's policy findings.
            course["poisoned"] = {m: why for m, why in course["poisoned"].items()
                                  if f"{m}.py" == stage.own_file}
        shown = config.getoption("kata_shown") or target
        timeout = config.getoption("kata_timeout")
        children[target] = client.claim(target, shown, timeout, course) or \
            Child(target, shown, timeout=timeout, course=course)
    return Learner(children[target], stage.number, config.getoption("kata_blame"))
