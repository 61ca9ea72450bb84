"""Stages 1-3: a Value is a number that remembers how it was made.

Stage 1 (forward): make the operators build new Values that remember their children,
    so that an expression such as (a * b + c).tanh() becomes a graph you can walk.
Stage 2 (local derivatives): give each primitive operator a _backward that passes the
    gradient of its output back to its inputs - the chain rule, one node at a time.
Stage 3: backward() runs every _backward in the right order (it needs topo.py).

Grade it with `python grader.py stage1`, then `stage2`, then `stage3`.

In each primitive operator the first `raise` is stage 1: replace it with the code that
builds `out`. The second, inside _backward, is stage 2: leave it until then.
"""
import math

from .topo import build_topo


class Value:
    """One number in a computation graph, with the gradient of the final output w.r.t. it.

    Wherever `other` may be a plain number (v + 1, v * 2.0), wrap it into a Value first,
    so that every input of an operation has .data and .grad.
    """

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0  # d(output)/d(self): nothing is known until backward() runs
        self._prev = set(_children)  # the edges backward() follows towards the leaves
        self._op = _op  # the operation that made this Value, to read a graph when debugging
        self.label = label
        # A leaf (a Value you make by hand) has no children to pass its gradient to,
        # so by default there is nothing to do; each operation replaces this.
        self._backward = lambda: None

    def __repr__(self):
        """Stage 1: what print(v) shows, e.g. Value(data=2.0, grad=0.0).

        It must show the data; showing the grad too will help you from stage 2 on.
        """
        # TODO(stage 1): return a readable string that includes self.data
        raise NotImplementedError("stage 1: Value.__repr__")

    # --- the primitive operations: stage 1 (forward), stage 2 (their _backward) ---

    def __add__(self, other):
        """Stage 1: return a new Value for self + other, with children (self, other).
        (other may be a plain number: wrap it.)

        Stage 2: its _backward adds the local derivative times out.grad into each child:
            d(a + b)/da = 1,  d(a + b)/db = 1
        Use +=, never =: a node used twice (a + a) must get both contributions.
        """
        # TODO(stage 1): build `out`, remembering its children (self, other)
        raise NotImplementedError("stage 1: Value.__add__")

        def _backward():
            # TODO(stage 2): pass out.grad back to self and other
            raise NotImplementedError("stage 2: backward of +")
        out._backward = _backward
        return out

    def __mul__(self, other):
        """Stage 1: return a new Value for self * other, with children (self, other).
        (other may be a plain number: wrap it.)

        Stage 2: d(a * b)/da = b,  d(a * b)/db = a
        Each child gets its local derivative times out.grad, added with +=.
        """
        # TODO(stage 1): build `out`, remembering its children (self, other)
        raise NotImplementedError("stage 1: Value.__mul__")

        def _backward():
            # TODO(stage 2): pass out.grad back to self and other, each times the other's data
            raise NotImplementedError("stage 2: backward of *")
        out._backward = _backward
        return out

    def __pow__(self, k):
        """Stage 1: return a new Value for self ** k, with the single child self.
        k is a plain int or float, never a Value, so it has no gradient of its own.

        Stage 2: d(a ** k)/da = k * a ** (k - 1)
        """
        # TODO(stage 1): build `out` from self.data ** k
        raise NotImplementedError("stage 1: Value.__pow__")

        def _backward():
            # TODO(stage 2): pass out.grad back to self
            raise NotImplementedError("stage 2: backward of **")
        out._backward = _backward
        return out

    def tanh(self):
        """Stage 1: return a new Value for tanh(self); math.tanh gives the number t.

        Stage 2: d tanh(a)/da = 1 - tanh(a) ** 2 = 1 - t ** 2
        Reuse the output t rather than computing tanh again.
        """
        # TODO(stage 1): compute t, then build `out` from it
        raise NotImplementedError("stage 1: Value.tanh")

        def _backward():
            # TODO(stage 2): pass out.grad back to self
            raise NotImplementedError("stage 2: backward of tanh")
        out._backward = _backward
        return out

    def exp(self):
        """Stage 1: return a new Value for e ** self (math.exp).

        Stage 2: d exp(a)/da = exp(a), which is already there: out.data
        """
        # TODO(stage 1): build `out`
        raise NotImplementedError("stage 1: Value.exp")

        def _backward():
            # TODO(stage 2): pass out.grad back to self
            raise NotImplementedError("stage 2: backward of exp")
        out._backward = _backward
        return out

    def relu(self):
        """Stage 1: return a new Value for relu(self) = self if self > 0 else 0.

        Stage 2: d relu(a)/da = 1 if a > 0 else 0
        """
        # TODO(stage 1): build `out`
        raise NotImplementedError("stage 1: Value.relu")

        def _backward():
            # TODO(stage 2): pass out.grad back to self where it was positive
            raise NotImplementedError("stage 2: backward of relu")
        out._backward = _backward
        return out

    # --- stage 1: operations built from the primitives above ---
    # Written with the primitives, these need no _backward of their own: the gradient
    # flows back through the primitives they are made of.
    # The reflected ones (__r...__) exist because for `1 - v` Python first asks the int
    # (1).__sub__(v), which does not know Values, and then calls v.__rsub__(1): there
    # `self` is v and `other` is the plain number that stood on the left.

    def __neg__(self):
        """-self, which is self * -1."""
        # TODO(stage 1): write it with *
        raise NotImplementedError("stage 1: Value.__neg__")

    def __sub__(self, other):
        """self - other, which is self + (-other)."""
        # TODO(stage 1): write it with + and unary -
        raise NotImplementedError("stage 1: Value.__sub__")

    def __truediv__(self, other):
        """self / other, which is self * other ** -1."""
        # TODO(stage 1): write it with * and **
        raise NotImplementedError("stage 1: Value.__truediv__")

    def __radd__(self, other):
        """other + self, for `1 + v`: addition does not care about order."""
        # TODO(stage 1): write it with +
        raise NotImplementedError("stage 1: Value.__radd__")

    def __rsub__(self, other):
        """other - self, for `1 - v`: the number comes first, so it is other + (-self)."""
        # TODO(stage 1): write it with + and unary -
        raise NotImplementedError("stage 1: Value.__rsub__")

    def __rmul__(self, other):
        """other * self, for `2 * v`: multiplication does not care about order."""
        # TODO(stage 1): write it with *
        raise NotImplementedError("stage 1: Value.__rmul__")

    def __rtruediv__(self, other):
        """other / self, for `1 / v`: that is other * self ** -1."""
        # TODO(stage 1): write it with * and **
        raise NotImplementedError("stage 1: Value.__rtruediv__")

    # --- stage 3 ---

    def backward(self):
        """Stage 3: fill in the .grad of every Value this one was computed from.

        d(self)/d(self) = 1, so set self.grad = 1.0 first. Then call _backward on every
        node in reverse topological order (build_topo from topo.py gives the forward
        order), so each node has received all of its gradient before passing it on.
        """
        # TODO(stage 3): seed self.grad, then run each node's _backward, root first
        raise NotImplementedError("stage 3: Value.backward")

    # --- Optional challenges - not part of stages 0-7; grade with python grader.py challenge2 ---
    # Numerically stable operations. Each is a primitive like those above: build `out`,
    # then give it a _backward that adds the local derivative times out.grad into self.
    # challenge2 also checks your tanh above at |x| = 1000: math.tanh is fine there; the
    # formula (e**2x - 1)/(e**2x + 1) overflows.

    def log(self):
        """Challenge 2: return a new Value for the natural log of self (math.log).
        self.data must be > 0: the log of 0 or of a negative number does not exist.

            d log(a)/da = 1 / a
        """
        # TODO(challenge2): build `out` from math.log(self.data), with the single child self
        raise NotImplementedError("challenge2: Value.log")

        def _backward():
            # TODO(challenge2): pass out.grad back to self
            raise NotImplementedError("challenge2: backward of log")
        out._backward = _backward
        return out

    def sigmoid(self):
        """Challenge 2: return a new Value for sigmoid(self) = 1 / (1 + e ** -a).

        Written as it stands, math.exp(-a) overflows for a = -1000 (e ** 1000 is too big
        for a float). Pick the form whose exp only ever sees a number <= 0:
            a >= 0:  1 / (1 + exp(-a))        a < 0:  exp(a) / (1 + exp(a))
        Both are the same function; each is safe on its own side.

            d sigmoid(a)/da = s * (1 - s), where s = sigmoid(a) is the output
        """
        # TODO(challenge2): compute s the safe way for the sign of self.data, then build `out`
        raise NotImplementedError("challenge2: Value.sigmoid")

        def _backward():
            # TODO(challenge2): pass out.grad back to self, reusing s
            raise NotImplementedError("challenge2: backward of sigmoid")
        out._backward = _backward
        return out

    def __rpow__(self, k):
        """Challenge 2: k ** self, for `2 ** v` with k a plain number > 0.

        Python first asks (2).__pow__(v), which does not know Values, then calls
        v.__rpow__(2): here self is v, the exponent, and k the number on the left.
        Make it a primitive with the single child self (not exp(self * ln k)).

            d(k ** a)/da = k ** a * ln(k), and k ** a is already out.data
        """
        # TODO(challenge2): build `out` from k ** self.data
        raise NotImplementedError("challenge2: Value.__rpow__")

        def _backward():
            # TODO(challenge2): pass out.grad back to self (math.log(k) is ln k)
            raise NotImplementedError("challenge2: backward of k ** a")
        out._backward = _backward
        return out


# --- Optional challenge - not part of stages 0-7; grade with python grader.py challenge1 ---

def sum_values(values):
    """Challenge 1: return ONE new Value for values[0] + values[1] + ... + values[n-1].

    values is a list of Values (wrap any plain number into a Value). Adding them one by
    one with + makes a chain n nodes deep; this makes a single node with op 'sum' and
    every Value of the list as a child, its data the sum of their data.

        d(v_1 + ... + v_n)/dv_i = 1, so each child gets out.grad, added with +=

    In _backward, loop over the list, not over out._prev: _prev is a set, so a Value
    listed twice is in it once, but must get out.grad twice (as in a + a).
    """
    # TODO(challenge1): build `out` with every Value of the list as a child
    raise NotImplementedError("challenge1: sum_values")

    def _backward():
        # TODO(challenge1): pass out.grad back to every Value of the list
        raise NotImplementedError("challenge1: backward of sum_values")
    out._backward = _backward
    return out
