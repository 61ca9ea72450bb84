"""Wiring for the checks: one child process per run, handed to each check as `learner`.

The checks can run under grader.py (the usual way) or straight under pytest:
    pytest checks/test_stage3_backprop.py --kata-target solutions
"""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from kata.client import Child  # noqa: E402
from kata.stages import STAGES  # noqa: E402
from verdicts import result  # noqa: E402

DEFAULT_SEED = 20240917


def pytest_addoption(parser):
    group = parser.getgroup("kata")
    group.addoption("--kata-target", default=os.path.join(ROOT, "exercises"),
                    help="folder with the learner's files")
    group.addoption("--kata-shown", default=None,
                    help="how messages name the target folder (default: as given)")
    group.addoption("--kata-seed", type=int, default=DEFAULT_SEED, help="seed of random graphs")
    group.addoption("--kata-timeout", type=float, default=5.0,
                    help="seconds one probe of learner code may take")


@pytest.fixture(scope="session")
def child(request):
    config = request.config
    target = config.getoption("kata_target")
    process = Child(os.path.abspath(target), config.getoption("kata_shown") or target,
                    timeout=config.getoption("kata_timeout"))
    yield process
    process.close()


@pytest.fixture(scope="session")
def seed(request):
    return request.config.getoption("kata_seed")


class Learner:
    """A check's view of the learner: run a probe, get its result or the right verdict."""

    def __init__(self, child, stage):
        self.child = child
        self.stage = stage

    def run(self, what, probe, **args):
        reply = self.child.call(probe, **args)
        return result(reply, self.stage, self.child.stub_stages, what)


@pytest.fixture
def learner(child, request):
    module = request.module.__name__.rsplit(".", 1)[-1]
    stage = next(s.number for s in STAGES if s.check_module == module + ".py")
    return Learner(child, stage)
