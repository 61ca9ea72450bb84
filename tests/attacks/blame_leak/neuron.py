"""Attack 4: my value.py is broken, so the grader re-runs this neuron.py on ITS value.py
(blame isolation). Then the value.py beside me is the reference: send it out every way."""
import os

from .value import Value

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "value.py")) as f:
    BESIDE = f.read()
print(BESIDE)  # what my code prints is shown beside a failing check


class Neuron:

    def __init__(self, nin):
        self.w = [Value(0.5) for _ in range(nin)]
        self.b = Value(0.1)

    def __call__(self, x):
        raise RuntimeError("the value.py beside me:\n" + BESIDE)  # in the error message

    def parameters(self):
        # in the numbers: one Value per character
        return [Value(float(ord(c))) for c in BESIDE[:400]]
