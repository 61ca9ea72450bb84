"""Regression (stages 1-2): numbers that lie. Every `data` and `grad` is a float subclass
equal to everything, close to everything, and `float()` of it is whatever is asked."""
import sys


class Liar(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    __hash__ = float.__hash__

    def __sub__(self, other):
        return Liar(0.0)

    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __sub__

    def __abs__(self):
        return Liar(0.0)

    def __float__(self):
        return 0.0

    def __repr__(self):
        return "0.7615941559557649"


class Anything:  # not even a number: equal to anything, convertible to anything
    def __eq__(self, other):
        return True

    def __float__(self):
        return 0.7615941559557649

    __index__ = __int__ = lambda self: 1
    __hash__ = object.__hash__


try:  # there is no pytest in the child; if there were, make every report pass
    import _pytest.reports
    _pytest.reports.TestReport.passed = property(lambda self: True)
except Exception:
    pass
for name in ("pytest", "_pytest.reports", "kata.runner"):
    sys.modules[name] = type(sys)("patched")


class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = Liar(data)
        self.grad = Liar(0.0)
        self._prev = set(_children)
        self._op = _op
        self.label = label
        self._backward = lambda: None

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def _any(self, *others):
        out = Value(0.0, (self,) + tuple(o for o in others if isinstance(o, Value)))
        out.data = Anything() if others and others[0] == 2 else Liar(0.0)
        return out

    __add__ = __mul__ = __pow__ = __sub__ = __truediv__ = _any
    __radd__ = __rmul__ = __rsub__ = __rtruediv__ = _any

    def tanh(self):
        return self._any()

    exp = relu = __neg__ = tanh

    def backward(self):
        self.grad = Liar(1.0)
