"""Regression (stage 5): a recursion bomb at import."""
import sys

sys.setrecursionlimit(10 ** 8)


def deeper(n):
    return deeper(n + 1) + 1


deeper(0)
