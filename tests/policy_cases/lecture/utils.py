"""A learner's own helper file, and ordinary Python the policy must leave alone."""
from __future__ import annotations

import collections.abc
import functools
import itertools
import operator
from dataclasses import dataclass, field
from typing import List, Optional

VERBOSE = False


def report(step, loss):
    if VERBOSE:
        print(f"step {step}: loss {loss:.4f}", "{:>6}|{!r}".format(step, loss))


@dataclass
class History:
    losses: List[float] = field(default_factory=list)
    best: Optional[float] = None

    def add(self, loss: float) -> "History":
        self.losses.append(loss)
        self.best = min(self.losses)
        return self


class Scalar:
    __slots__ = ("x",)

    def __init__(self, x):
        super().__init__()
        self.x = x

    def __repr__(self):
        return f"{type(self).__name__}({self.x})"

    def __mul__(self, other):
        return Scalar(self.x * (other.x if isinstance(other, Scalar) else other))

    def __rmul__(self, other):
        return self.__mul__(other)

    def __call__(self):
        return self.__class__(self.x)


class Opaque:
    def __getattribute__(self, name):  # defining it is fine; reading it is not
        raise AttributeError(f"{name}: nothing to see")


def total(xs):
    return functools.reduce(operator.add, itertools.chain(xs, [0]))


def is_sequence(x):
    return isinstance(x, collections.abc.Sequence)


def counter(start=0):
    count = start

    def step():
        nonlocal count
        count += 1
        return count
    return step


square = lambda v: v * v  # noqa: E731

match [1, 2]:
    case [a, b]:
        pass
    case {"k": v}:
        pass
    case (int() | float()) as n:
        pass
    case Scalar(x=0):
        pass
