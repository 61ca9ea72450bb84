"""Stages 1-3: a scalar that remembers how it was made, so gradients can flow back."""
import math

from .topo import build_topo


class Value:
    """One number in a computation graph, with the gradient of the output w.r.t. it."""

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._prev = set(_children)
        self._op = _op
        self.label = label
        self._backward = lambda: None  # a leaf has nobody to pass its gradient to

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    # --- stage 1 (forward) and stage 2 (the local derivative in each _backward) ---

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            # d(a + b)/da = 1 and d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            # d(a * b)/da = b and d(a * b)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        assert isinstance(k, (int, float)), "only plain int or float powers"
        out = Value(self.data ** k, (self,), f'**{k}')

        def _backward():
            # d(a ** k)/da = k * a ** (k - 1)
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), 'tanh')

        def _backward():
            # d tanh(a)/da = 1 - tanh(a) ** 2
            self.grad += (1 - t ** 2) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), 'exp')

        def _backward():
            # d exp(a)/da = exp(a), which is out.data
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0 else 0, (self,), 'relu')

        def _backward():
            # d relu(a)/da = 1 where a > 0, else 0
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    # Everything else is built from the operations above, so it needs no _backward.

    def __neg__(self):         # -a
        return self * -1

    def __sub__(self, other):  # a - b
        return self + (-other)

    def __truediv__(self, other):  # a / b
        return self * other ** -1

    def __radd__(self, other):  # 1 + a
        return self + other

    def __rsub__(self, other):  # 1 - a
        return other + (-self)

    def __rmul__(self, other):  # 2 * a
        return self * other

    def __rtruediv__(self, other):  # 1 / a
        return other * self ** -1

    # --- stage 3 ---

    def backward(self):
        """Fill in .grad of every node this Value depends on."""
        self.grad = 1.0  # d(self)/d(self)
        for node in reversed(build_topo(self)):
            node._backward()

    # --- Optional challenges - not part of stages 0-7; grade with python grader.py challenge2 ---
    # tanh above is already right at |x| = 1000: math.tanh gives exactly +-1.0 there.

    def log(self):
        out = Value(math.log(self.data), (self,), 'log')

        def _backward():
            # d log(a)/da = 1 / a
            self.grad += (1 / self.data) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        # exp only ever sees a number <= 0, so it cannot overflow whatever the sign of a.
        if self.data >= 0:
            s = 1 / (1 + math.exp(-self.data))
        else:
            e = math.exp(self.data)
            s = e / (1 + e)
        out = Value(s, (self,), 'sigmoid')

        def _backward():
            # d sigmoid(a)/da = s * (1 - s)
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward
        return out

    def __rpow__(self, k):  # 2 ** a
        assert isinstance(k, (int, float)) and k > 0, "only a plain positive number as base"
        out = Value(k ** self.data, (self,), f'{k}**')

        def _backward():
            # d(k ** a)/da = k ** a * ln(k), and k ** a is out.data
            self.grad += out.data * math.log(k) * out.grad
        out._backward = _backward
        return out


# --- Optional challenge - not part of stages 0-7; grade with python grader.py challenge1 ---

def sum_values(values):
    """v1 + v2 + ... + vn as ONE node with n children, not a chain of n - 1 additions."""
    values = [v if isinstance(v, Value) else Value(v) for v in values]
    out = Value(sum(v.data for v in values), values, 'sum')

    def _backward():
        # d(v1 + ... + vn)/dvi = 1
        for v in values:  # the list, not out._prev (a set): a Value listed twice gets it twice
            v.grad += out.grad
    out._backward = _backward
    return out
