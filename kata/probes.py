"""Probes: run one piece of learner code inside the child and describe what it did.

Every probe returns plain data (numbers, bools, short strings, indices) and never decides
whether that is right: the judge in the grader's process compares it with torch.
"""
from .learner import LearnerProblem
from .probe_challenges import ChallengeProbes
from .probe_engine import EngineProbes
from .probe_network import NetworkProbes


class Probes(EngineProbes, NetworkProbes, ChallengeProbes):
    """Every probe the checks may ask for, by method name."""


def run(probes, name, args):
    if name.startswith("_") or not hasattr(Probes, name):
        raise LearnerProblem("internal", f"no probe named {name}")
    return getattr(probes, name)(**args)
