"""Regression (stage 3): swallow the time limit. Catch everything, BaseException included,
and keep going."""
import time


def build_topo(root):
    while True:
        try:
            time.sleep(0.05)
        except BaseException:
            pass
