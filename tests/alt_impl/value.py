"""Stages 1-3 in a different style: tuple edges, int-preserving data, neg as a primitive."""
import math


def _lift(x):
    return x if isinstance(x, Value) else Value(x)


class Value:

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data  # left as given: Value(2) keeps the int 2
        self.grad = 0  # an int zero; the first float contribution makes it a float
        self._prev = tuple(_children)  # may hold a node twice (a + a): the visited set copes
        self._op = _op
        self.label = label
        self._backward = lambda: None

    def __repr__(self):
        name = f"{self.label}=" if self.label else ""
        return f"<Value {name}{self.data:.4g} grad={self.grad:.4g}>"  # 2.0 shows as 2

    def __add__(self, other):
        other = _lift(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _lift(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += out.grad * other.data
            other.grad += out.grad * self.data
        out._backward = _backward
        return out

    def __neg__(self):
        # Its own primitive rather than self * -1: one node fewer, and it proves the
        # grader does not assume negation is built from multiplication.
        out = Value(-self.data, (self,), 'neg')

        def _backward():
            self.grad -= out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        if isinstance(k, Value):
            raise TypeError("only plain int or float exponents are supported")
        out = Value(self.data ** k, (self,), f'^{k}')

        def _backward():
            self.grad += out.grad * k * self.data ** (k - 1)
        out._backward = _backward
        return out

    def tanh(self):
        # The lecture's formula (e^2x - 1) / (e^2x + 1), top and bottom divided by e^2|x|:
        # exp then only sees numbers <= 0, so |x| = 1000 (challenge2) cannot overflow it.
        e = math.exp(-2 * abs(self.data))
        t = (1 - e) / (1 + e) if self.data >= 0 else (e - 1) / (e + 1)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += out.grad * (1 - t ** 2)
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), 'exp')

        def _backward():
            self.grad += out.grad * out.data
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(0, self.data), (self,), 'relu')

        def _backward():
            # Slope 1 at exactly 0: any value in [0, 1] is a valid subgradient there,
            # and this is the other choice from torch's 0.
            self.grad += out.grad * (self.data >= 0)
        out._backward = _backward
        return out

    def __sub__(self, other):
        return self + (-_lift(other))

    def __truediv__(self, other):
        return self * _lift(other) ** -1

    def __radd__(self, other):
        return self.__add__(other)

    def __rmul__(self, other):
        return self.__mul__(other)

    def __rsub__(self, other):
        return Value(other) - self

    def __rtruediv__(self, other):
        return Value(other) / self

    def backward(self):
        # Its own ordering rather than topo.build_topo, so stage 3 is checked through
        # backward() itself and not only through build_topo. Kahn's algorithm, no recursion
        # (challenge1 goes 100,000 deep): count each node's incoming edges from the nodes
        # that use it; a node passes its gradient on once every user has passed theirs.
        users = {self: 0}
        pending = [self]
        while pending:
            node = pending.pop()
            for child in node._prev:  # a child listed twice (a + a) counts twice
                if child not in users:
                    users[child] = 0
                    pending.append(child)
                users[child] += 1
        self.grad = 1
        ready = [self]
        while ready:
            node = ready.pop()
            node._backward()
            for child in node._prev:
                users[child] -= 1
                if users[child] == 0:
                    ready.append(child)

    # Optional challenges - not part of stages 0-7 (python grader.py challenge2).

    def log(self):
        out = Value(math.log(self.data), (self,), 'ln')

        def _backward():
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def sigmoid(self):
        # sigmoid(a) = (1 + tanh(a / 2)) / 2: math.tanh never overflows, whatever the sign.
        s = 0.5 * (1 + math.tanh(0.5 * self.data))
        out = Value(s, (self,), 'sigmoid')

        def _backward():
            self.grad += out.grad * s * (1 - s)
        out._backward = _backward
        return out

    def __rpow__(self, base):
        if isinstance(base, Value) or not base > 0:
            raise TypeError("only a plain positive number raised to a Value is supported")
        ln_base = math.log(base)
        out = Value(base ** self.data, (self,), f'{base}^')

        def _backward():
            self.grad += out.grad * out.data * ln_base
        out._backward = _backward
        return out


# Optional challenge - not part of stages 0-7 (python grader.py challenge1).

def sum_values(values):
    terms = tuple(_lift(v) for v in values)
    # _prev is a tuple here, so a Value listed twice is in it twice: looping over the
    # edges themselves gives it out.grad twice.
    out = Value(sum(term.data for term in terms), terms, 'sum')

    def _backward():
        for term in out._prev:
            term.grad += out.grad
    out._backward = _backward
    return out
