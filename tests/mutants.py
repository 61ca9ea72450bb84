"""The mutant catalogue: learner-style bugs applied to the reference solutions.

Each mutant replaces one exact snippet of a solutions/ file (it must occur exactly once,
so a mutant cannot silently stop applying when solutions/ changes; an empty snippet means
the whole file) and names the first stage that must fail, the check in it that must catch
the bug, and the misconception the grader must name there (None: it must name none,
since a wrong diagnosis is worse than none).
"""
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    old: str
    new: str
    stage: str       # the first stage that must fail; every earlier stage must pass
    check: str       # a check of that stage that must fail
    diagnosis: str = None  # the misconception the grader must name there (None: no name)
    more: tuple = ()  # further (file, old, new) edits, for bugs that span two places
    fix: tuple = None  # (file, old, new, said): the grader's advice typed as it says,
    #                    `said` quoted from its hint; applied to the mutant, the stage passes

    @property
    def edits(self):
        return ((self.file, self.old, self.new),) + self.more


def apply(change, folder):
    """Make the edits of `change` (a Mutant, or a correct_variants.Rewrite: its `name` and
    its (file, old, new) `edits`) in `folder`, a copy of solutions/."""
    for file, old, new in change.edits:
        path = os.path.join(folder, file)
        with open(path) as f:
            text = f.read()
        if old == "":  # the mutant is a whole new file
            text = new
        else:
            assert text.count(old) == 1, f"mutant {change.name!r} no longer applies"
            text = text.replace(old, new)
        with open(path, "w") as f:
            f.write(text)


MUTANTS = [
    # stage 0
    Mutant("derivative without dividing by h", "derivative.py",
           "return (f(x + h) - f(x)) / h", "return f(x + h) - f(x)",
           "stage0", "derivative_of_lecture_function", diagnosis="slope not divided by h"),
    Mutant("partial bumps args in place and restores them", "derivative.py",
           "    args = list(args)\n    bumped = list(args)\n    bumped[i] = bumped[i] + h\n"
           "    return (f(*bumped) - f(*args)) / h",
           "    before = f(*args)\n    args[i] += h\n    after = f(*args)\n    args[i] -= h\n"
           "    return (after - before) / h",
           "stage0", "partial_leaves_args_alone", diagnosis="partial changes args in place"),
    Mutant("partial bumps the caller's list", "derivative.py",
           "    args = list(args)\n    bumped = list(args)\n    bumped[i] = bumped[i] + h\n"
           "    return (f(*bumped) - f(*args)) / h",
           "    before = f(*args)\n    args[i] += h\n    return (f(*args) - before) / h",
           "stage0", "partial_leaves_args_alone", diagnosis="partial changes args in place"),
    # stage 1
    Mutant("no __repr__", "value.py",
           '    def __repr__(self):\n        return f"Value(data={self.data}, grad={self.grad})"',
           "", "stage1", "value_holds_data"),
    Mutant("__add__ forgets its children", "value.py",
           "out = Value(self.data + other.data, (self, other), '+')",
           "out = Value(self.data + other.data)", "stage1", "add",
           diagnosis="graph cut"),
    Mutant("__add__ changes self in place", "value.py",
           "out = Value(self.data + other.data, (self, other), '+')",
           "self.data += other.data\n        out = Value(self.data, (self, other), '+')",
           "stage1", "add"),
    Mutant("number not wrapped in __add__", "value.py",
           "    def __add__(self, other):\n        other = other if isinstance(other, Value) "
           "else Value(other)\n",
           "    def __add__(self, other):\n", "stage1", "numbers_on_either_side",
           diagnosis="number not wrapped into a Value",
           fix=("value.py",
                "    def __add__(self, other):\n",
                "    def __add__(self, other):\n"
                "        other = other if isinstance(other, Value) else Value(other)\n",
                "other = other if isinstance(other, Value) else Value(other)")),
    Mutant("missing __rsub__", "value.py",
           "    def __rsub__(self, other):  # 1 - a\n        return other + (-self)\n", "",
           "stage1", "numbers_on_either_side",
           diagnosis="missing __rsub__"),
    Mutant("__rtruediv__ operands swapped", "value.py",
           "return other * self ** -1", "return self * other ** -1",
           "stage1", "numbers_on_either_side",
           diagnosis="operands swapped in __rtruediv__",
           fix=("value.py",
                "    def __rtruediv__(self, other):  # 1 / a\n        return self * other ** -1",
                "    def __rtruediv__(self, other):  # 1 / a\n        return other * self ** -1",
                "other * self ** -1")),
    # stage 2
    Mutant("= instead of += in add's backward", "value.py",
           "            self.grad += out.grad\n            other.grad += out.grad",
           "            self.grad = out.grad\n            other.grad = out.grad",
           "stage2", "gradients_accumulate",
           diagnosis="gradient overwritten instead of accumulated"),
    Mutant("mul's backward drops out.grad", "value.py",
           "self.grad += other.data * out.grad\n            other.grad += self.data * out.grad",
           "self.grad += other.data\n            other.grad += self.data",
           "stage2", "mul_backward",
           diagnosis="chain rule dropped"),
    Mutant("tanh derivative as 1 - t", "value.py",
           "self.grad += (1 - t ** 2) * out.grad", "self.grad += (1 - t) * out.grad",
           "stage2", "tanh_backward",
           diagnosis="wrong local derivative of tanh"),
    Mutant("exp derivative from the input", "value.py",
           "self.grad += out.data * out.grad", "self.grad += self.data * out.grad",
           "stage2", "exp_backward",
           diagnosis="wrong local derivative of exp"),
    Mutant("power rule without k - 1", "value.py",
           "k * self.data ** (k - 1) * out.grad", "k * self.data ** k * out.grad",
           "stage2", "pow_backward",
           diagnosis="wrong local derivative of **"),
    # stage 3
    Mutant("build_topo visits only the root's children", "topo.py",
           "    order, visited = [], set()", "    return list(root._prev) + [root]\n"
           "    order, visited = [], set()", "stage3", "topo_on_lecture_graphs",
           diagnosis="build_topo misses nodes"),
    Mutant("build_topo lists parents before children", "topo.py",
           "        visited.add(id(node))\n        stack.append((node, True))",
           "        visited.add(id(node))\n        order.append(node)",
           "stage3", "topo_on_lecture_graphs",
           diagnosis="build_topo puts a parent before its child"),
    Mutant("backward() forgets grad = 1.0", "value.py",
           "        self.grad = 1.0  # d(self)/d(self)\n", "", "stage3",
           "backward_lecture_expression",
           diagnosis="backward() does not start from grad = 1.0"),
    Mutant("backward() walks forward", "value.py",
           "for node in reversed(build_topo(self)):", "for node in build_topo(self):",
           "stage3", "backward_lecture_expression",
           diagnosis="_backward called in forward order"),
    # stage 4
    Mutant("graph cut: Value(math.tanh(act.data))", "neuron.py",
           "return act.tanh()", "return Value(math.tanh(act.data))", "stage4",
           "lecture_neuron", more=(("neuron.py", "import random", "import math\nimport random"),),
           diagnosis="graph cut"),
    Mutant("math.tanh on a Value", "neuron.py",
           "return act.tanh()", "return math.tanh(act)", "stage4", "lecture_neuron",
           more=(("neuron.py", "import random", "import math\nimport random"),),
           diagnosis="math function applied to a Value",
           fix=("neuron.py", "return math.tanh(act)", "return act.tanh()", "act.tanh()")),
    Mutant("parameters() with the bias first", "neuron.py",
           "return self.w + [self.b]", "return [self.b] + self.w", "stage4", "lecture_neuron",
           diagnosis="bias listed before the weights",
           fix=("neuron.py",
                "return [self.b] + self.w",
                "return self.w + [self.b]",
                "return self.w + [self.b]")),
    Mutant("one weight too many", "neuron.py",
           "for _ in range(nin)]", "for _ in range(nin + 1)]", "stage4", "parameters",
           diagnosis="wrong number of weights"),
    Mutant("all weights the same", "neuron.py",
           "self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]",
           "w = random.uniform(-1, 1)\n        self.w = [Value(w) for _ in range(nin)]",
           "stage4", "parameters"),
    # stage 5
    Mutant("[Neuron(nin)] * nout", "layer.py",
           "[Neuron(nin) for _ in range(nout)]", "[Neuron(nin)] * nout", "stage5", "parameters",
           diagnosis="the same neuron repeated",
           fix=("layer.py",
                "[Neuron(nin)] * nout",
                "[Neuron(nin) for _ in range(nout)]",
                "[Neuron(nin) for _ in range(nout)]")),
    Mutant("Layer never unwraps a single output", "layer.py",
           "return outs[0] if len(outs) == 1 else outs", "return outs",
           "stage5", "single_output_is_a_value",
           diagnosis="Layer never unwraps a single output"),
    # stage 6
    Mutant("MLP drops its last layer", "mlp.py",
           "for i in range(len(nouts))]", "for i in range(len(nouts) - 1)]",
           "stage6", "parameters", diagnosis="MLP loses a layer"),
    Mutant("every layer gets the original input", "mlp.py",
           "        for layer in self.layers:\n            x = layer(x)\n        return x",
           "        out = x\n        for layer in self.layers:\n            out = layer(x)\n"
           "        return out", "stage6", "lecture_mlp",
           diagnosis="every layer fed the input x"),
    # stage 7
    Mutant("sgd_step with the sign flipped", "train.py",
           "p.data -= lr * p.grad", "p.data += lr * p.grad", "stage7", "sgd_step",
           diagnosis="update sign flipped"),
    Mutant("no zero_grad in train", "train.py",
           "        zero_grad(params)\n        loss.backward()", "        loss.backward()",
           "stage7", "train_lecture_dataset",
           diagnosis="gradients never cleared"),
    Mutant("train zeroes only the last parameter", "train.py",
           "        zero_grad(params)\n        loss.backward()",
           "        params[-1].grad = 0.0\n        loss.backward()",
           "stage7", "train_lecture_dataset",
           diagnosis="zeroing only the last parameter"),
    Mutant("update before backward()", "train.py",
           "        zero_grad(params)\n        loss.backward()\n        sgd_step(params, lr)",
           "        sgd_step(params, lr)\n        zero_grad(params)\n        loss.backward()",
           "stage7", "train_first_step",
           diagnosis="updating before backward()"),
    Mutant("learning rate applied twice", "train.py",
           "        sgd_step(params, lr)\n", "        sgd_step(params, lr)\n"
           "        sgd_step(params, lr)\n", "stage7", "train_first_step",
           diagnosis="learning rate applied twice"),
    Mutant("loss recorded after the update", "train.py",
           "losses.append(loss.data)",
           "losses.append(squared_error([model(x) for x in xs], ys).data)",
           "stage7", "train_first_step",
           diagnosis="loss recorded after the update"),
    # added with the diagnosis catalogue
    Mutant("__rsub__ computes v - 1", "value.py",
           "        return other + (-self)\n", "        return self + (-other)\n",
           "stage1", "numbers_on_either_side", diagnosis="operands swapped in __rsub__",
           fix=("value.py",
                "    def __rsub__(self, other):  # 1 - a\n        return self + (-other)\n",
                "    def __rsub__(self, other):  # 1 - a\n        return other + (-self)\n",
                "other + (-self)")),
    Mutant("number not wrapped in __mul__", "value.py",
           "    def __mul__(self, other):\n        other = other if isinstance(other, Value) "
           "else Value(other)\n", "    def __mul__(self, other):\n",
           "stage1", "numbers_on_either_side", diagnosis="number not wrapped into a Value"),
    Mutant("out.grad = _backward", "value.py",
           "            other.grad += self.data * out.grad\n        out._backward = _backward",
           "            other.grad += self.data * out.grad\n        out.grad = _backward",
           "stage2", "mul_backward", diagnosis="_backward assigned to the wrong attribute"),
    Mutant("division's denominator gets 1 / b", "value.py",
           "    def __truediv__(self, other):  # a / b\n        return self * other ** -1\n",
           "    def __truediv__(self, other):  # a / b\n"
           "        other = other if isinstance(other, Value) else Value(other)\n"
           "        out = Value(self.data / other.data, (self, other), '/')\n\n"
           "        def _backward():\n"
           "            self.grad += out.grad / other.data\n"
           "            other.grad += out.grad / other.data\n"
           "        out._backward = _backward\n        return out\n",
           "stage2", "div_backward", diagnosis="wrong local derivative of /"),
    Mutant("backward shadowed in __init__", "value.py",
           "        self._backward = lambda: None  # a leaf has nobody to pass its gradient to\n",
           "        self._backward = lambda: None  # a leaf has nobody to pass its gradient to\n"
           "        self.backward = lambda: None\n",
           "stage3", "backward_lecture_expression",
           diagnosis="backward shadowed by an instance attribute"),
    Mutant("build_topo marks children visited before visiting them", "topo.py", "",
           "def build_topo(root):\n    topo, visited = [], set()\n\n    def build(v):\n"
           "        if v not in visited:\n            visited.add(v)\n"
           "            for child in v._prev:\n                visited.add(child)\n"
           "                build(child)\n            topo.append(v)\n"
           "    build(root)\n    return topo\n",
           "stage3", "topo_on_lecture_graphs", diagnosis="build_topo misses nodes"),
    Mutant("build_topo without a visited set", "topo.py", "",
           "def build_topo(root):\n    topo = []\n\n    def build(v):\n"
           "        for child in v._prev:\n            build(child)\n        topo.append(v)\n"
           "    build(root)\n    return topo\n",
           "stage3", "topo_on_lecture_graphs", diagnosis="build_topo lists a node twice"),
    # found by reviewers playing beginners: each must get its own name, not a neighbour's
    Mutant("__sub__ computes b - a", "value.py",
           "        return self + (-other)\n", "        return other + (-self)\n",
           "stage1", "neg_and_sub", diagnosis="operands swapped in __sub__",
           fix=("value.py",
                "    def __sub__(self, other):  # a - b\n        return other + (-self)",
                "    def __sub__(self, other):  # a - b\n        return self + (-other)",
                "self + (-other)")),
    Mutant("Value defines __eq__, so sets cannot hold it", "value.py",
           "    def __repr__(self):",
           "    def __eq__(self, other):\n        return self.data == other.data\n\n"
           "    def __repr__(self):",
           "stage1", "add", diagnosis="__eq__ without __hash__"),
    Mutant("children kept in _children, not _prev (as some write-ups do)", "value.py",
           "        self._prev = set(_children)\n", "        self._children = set(_children)\n",
           "stage1", "value_holds_data"),
    # errors that are classic slips, named from the exception and the line (issue 10)
    Mutant("a dot for the comma in (self, other)", "value.py",
           "(self, other), '+')", "(self. other), '+')",
           "stage1", "add", diagnosis="a dot where a comma belongs"),
    Mutant("random.normal for the weights", "neuron.py",
           "self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]",
           "self.w = [Value(random.normal(0, 1)) for _ in range(nin)]",
           "stage4", "parameters", diagnosis="random.normal does not exist"),
    Mutant("range(len(...)) of a number in MLP", "mlp.py", "for i in range(len(nouts))]",
           "for i in range(len(nouts[0]))]", "stage6", "parameters",
           diagnosis="len() of a number"),
    # stage 7: the loss and zero_grad (issue 10)
    Mutant("loss not squared", "train.py", "(yout - ygt) ** 2 for", "(yout - ygt) for",
           "stage7", "squared_error", diagnosis="loss not squared",
           fix=("train.py", "(yout - ygt) for", "(yout - ygt)**2 for", "(yout - ygt)**2")),
    Mutant("loss with abs() for the square", "train.py", "(yout - ygt) ** 2 for",
           "abs(yout - ygt) for", "stage7", "squared_error", diagnosis="loss absolute"),
    Mutant("loss averaged", "train.py",
           "    return sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))\n",
           "    return sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred)) / len(ys)\n",
           "stage7", "squared_error", diagnosis="loss averaged"),
    Mutant("loss misses the first example", "train.py", "zip(ys, ypred))",
           "zip(ys[1:], ypred[1:]))", "stage7", "squared_error",
           diagnosis="loss missing an example"),
    Mutant("update changes .grad instead of .data", "train.py",
           "p.data -= lr * p.grad", "p.grad -= lr * p.grad", "stage7", "sgd_step",
           diagnosis="update changes .grad instead of .data",
           fix=("train.py",
                "p.grad -= lr * p.grad",
                "p.data -= lr * p.grad",
                "p.data -= lr * p.grad")),
    Mutant("zero_grad clears .data", "train.py", "        p.grad = 0.0\n",
           "        p.data = 0.0\n", "stage7", "zero_grad", diagnosis="zero_grad clears .data"),
    Mutant("zero_grad sets None", "train.py", "        p.grad = 0.0\n",
           "        p.grad = None\n", "stage7", "zero_grad",
           diagnosis="zero_grad sets grad to None",
           fix=("train.py", "        p.grad = None\n", "        p.grad = 0.0\n", "p.grad = 0.0")),
    Mutant("add's _backward seeds out.grad = 1", "value.py",
           "            # d(a + b)/da = 1 and d(a + b)/db = 1\n",
           "            out.grad = 1.0\n",
           "stage2", "add_backward", diagnosis="_backward changes out.grad"),
    Mutant("mul's _backward reads other.grad, not other.data", "value.py",
           "            self.grad += other.data * out.grad\n",
           "            self.grad += other.grad * out.grad\n",
           "stage2", "mul_backward",  # the op ran: 'not attached' would be false
           diagnosis=".grad used where .data belongs"),
    Mutant("backward() runs only the root's _backward", "value.py",
           "        for node in reversed(build_topo(self)):\n            node._backward()\n",
           "        self._backward()\n",
           "stage3", "backward_lecture_expression",
           diagnosis="backward() runs only the output's _backward"),
    Mutant("backward() without the parentheses", "value.py",
           "            node._backward()\n", "            node._backward\n",
           "stage3", "backward_lecture_expression", diagnosis="backward() calls no _backward"),
    Mutant("train zeroes the grads between backward() and the update", "train.py",
           "        zero_grad(params)\n        loss.backward()\n        sgd_step(params, lr)\n",
           "        loss.backward()\n        zero_grad(params)\n        sgd_step(params, lr)\n",
           "stage7", "train_lecture_dataset", diagnosis="parameters never change"),
    Mutant("every Neuron shares one weight list", "neuron.py",
           "        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]\n",
           "        if len(SHARED) != nin:\n"
           "            SHARED[:] = [Value(random.uniform(-1, 1)) for _ in range(nin)]\n"
           "        self.w = SHARED\n",
           "stage4", "parameters",
           more=(("neuron.py", "\n\nclass Neuron", "\nSHARED = []\n\n\nclass Neuron"),)),
    Mutant("math.tanh(self) inside Value.tanh", "value.py",
           "        t = math.tanh(self.data)\n", "        t = math.tanh(self)\n",
           "stage1", "tanh", diagnosis="math function applied to a Value"),
    # networks, named by the control experiments of checks/experiments.py (issue 10)
    Mutant("Neuron forgets to add its bias", "neuron.py",
           "act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)",
           "act = sum(wi * xi for wi, xi in zip(self.w, x))",
           "stage4", "lecture_neuron", diagnosis="missing bias"),
    Mutant("Neuron without a bias at all", "neuron.py",
           "        self.b = Value(random.uniform(-1, 1))\n", "",
           "stage4", "parameters", diagnosis="missing bias",
           more=(("neuron.py", "zip(self.w, x)), self.b)", "zip(self.w, x)), Value(0.0))"),
                 ("neuron.py", "return self.w + [self.b]", "return self.w"))),
    Mutant("Neuron without tanh", "neuron.py", "        return act.tanh()\n",
           "        return act\n", "stage4", "lecture_neuron",
           diagnosis="activation missing",
           fix=("neuron.py",
                "        return act\n",
                "        return act.tanh()\n",
                "return act.tanh()")),
    Mutant("Neuron with relu", "neuron.py", "        return act.tanh()\n",
           "        return act.relu()\n", "stage4", "lecture_neuron",
           diagnosis="relu instead of tanh"),
    Mutant("Neuron with a sigmoid", "neuron.py", "        return act.tanh()\n",
           "        return 1 / (1 + (-act).exp())\n", "stage4", "lecture_neuron",
           diagnosis="sigmoid instead of tanh"),
    Mutant("Neuron with one weight too few", "neuron.py", "for _ in range(nin)]",
           "for _ in range(nin - 1)]", "stage4", "parameters",
           diagnosis="wrong number of weights"),
    Mutant("Layer with nin and nout swapped", "layer.py",
           "[Neuron(nin) for _ in range(nout)]", "[Neuron(nout) for _ in range(nin)]",
           "stage5", "parameters", diagnosis="nin and nout swapped"),
    Mutant("MLP without the input size", "mlp.py",
           "        sizes = [nin] + nouts\n"
           "        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]",
           "        self.layers = [Layer(nouts[i], nouts[i + 1]) for i in range(len(nouts) - 1)]",
           "stage6", "parameters", diagnosis="MLP loses a layer"),
    Mutant("MLP lists the first size twice", "mlp.py",
           "        sizes = [nin] + nouts\n"
           "        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]",
           "        sizes = [nin, nin] + nouts\n"
           "        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1)]",
           "stage6", "parameters", diagnosis="MLP layer duplicated"),
    Mutant("MLP with nin and nout swapped", "mlp.py", "Layer(sizes[i], sizes[i + 1])",
           "Layer(sizes[i + 1], sizes[i])", "stage6", "parameters",
           diagnosis="nin and nout swapped"),
    # the write-up's loop: update first, then forward, backward(), and `p.grad = 0` after the
    # update's for-loop has ended (so only on the last parameter), all in one loop
    Mutant("the write-up's training loop", "train.py",
           "        ypred = [model(x) for x in xs]\n        loss = squared_error(ypred, ys)\n"
           "        zero_grad(params)\n        loss.backward()\n        sgd_step(params, lr)\n",
           "        for p in params:\n            p.data += -lr * p.grad\n"
           "        ypred = [model(x) for x in xs]\n        loss = squared_error(ypred, ys)\n"
           "        loss.backward()\n        p.grad = 0.0\n",
           "stage7", "train_lecture_dataset", diagnosis="updating before backward()"),
    Mutant("the model called on the whole dataset", "train.py",
           "ypred = [model(x) for x in xs]", "ypred = model(xs)",
           "stage7", "train_first_step", diagnosis="network called on a list of lists"),
    # a beginner's review of the names above found these false or missing; each stays true
    Mutant("a Layer shares one bias among its neurons", "layer.py",
           "        self.neurons = [Neuron(nin) for _ in range(nout)]",
           "        bias = Value(random.uniform(-1, 1))\n"
           "        self.neurons = [Neuron(nin, bias) for _ in range(nout)]",
           "stage5", "parameters",  # not 'the same neuron repeated': only the bias is shared
           more=(("layer.py", "from .neuron import Neuron",
                  "import random\n\nfrom .neuron import Neuron\nfrom .value import Value"),
                 ("neuron.py", "    def __init__(self, nin):",
                  "    def __init__(self, nin, b=None):"),
                 ("neuron.py", "        self.b = Value(random.uniform(-1, 1))",
                  "        self.b = b if b is not None else Value(random.uniform(-1, 1))"))),
    Mutant("x for xi in the neuron's sum", "neuron.py", "(wi * xi for wi, xi in",
           "(wi * x for wi, xi in", "stage4", "lecture_neuron"),  # not 'called on a list'
    Mutant("an attribute renamed in one place only", "neuron.py",
           "        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)",
           "        act = self.b\n        for i in range(len(self.weights)):\n"
           "            act = act + self.w[i] * x[i]",
           "stage4", "lecture_neuron"),  # an AttributeError, not 'a dot where a comma belongs'
    Mutant("p.grad.data in sgd_step", "train.py", "p.data -= lr * p.grad",
           "p.data -= lr * p.grad.data", "stage7", "sgd_step",
           diagnosis="p.grad is a number, not a Value"),  # not 'number not wrapped'
    Mutant("sgd_step with the lecture's 0.1 for lr", "train.py", "p.data -= lr * p.grad",
           "p.data += -0.1 * p.grad", "stage7", "train_lecture_dataset",
           diagnosis="learning rate ignored"),  # 0.1 = 2 x 0.05: not 'lr applied twice'
    Mutant("Layer builds Neuron(nin + 1)", "layer.py", "[Neuron(nin) for _ in range(nout)]",
           "[Neuron(nin + 1) for _ in range(nout)]", "stage5", "parameters",
           diagnosis="wrong number of weights"),
    Mutant("tanh applied twice", "neuron.py", "        return act.tanh()\n",
           "        return act.tanh().tanh()\n", "stage4", "lecture_neuron",
           diagnosis="tanh applied twice"),
    Mutant("bias added after tanh", "neuron.py",
           "        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)\n"
           "        return act.tanh()\n",
           "        act = sum(wi * xi for wi, xi in zip(self.w, x))\n"
           "        return act.tanh() + self.b\n", "stage4", "lecture_neuron",
           diagnosis="bias added after tanh"),
    Mutant("last layer linear, as micrograd's nonlin=False", "mlp.py",
           "[Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]",
           "[Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1)\n"
           "                       for i in range(len(nouts))]",
           "stage6", "lecture_mlp", diagnosis="last layer without tanh",
           more=(("layer.py", "    def __init__(self, nin, nout):\n"
                  "        self.neurons = [Neuron(nin) for _ in range(nout)]",
                  "    def __init__(self, nin, nout, nonlin=True):\n"
                  "        self.neurons = [Neuron(nin, nonlin) for _ in range(nout)]"),
                 ("neuron.py", "    def __init__(self, nin):",
                  "    def __init__(self, nin, nonlin=True):\n        self.nonlin = nonlin"),
                 ("neuron.py", "        return act.tanh()\n",
                  "        return act.tanh() if self.nonlin else act\n"))),
    # issue 11: slips whose numbers once coincided with a named one at the checks' values
    Mutant("** without brackets: k * x ** k - 1 * out.grad", "value.py",
           "self.grad += k * self.data ** (k - 1) * out.grad",
           "self.grad += k * self.data ** k - 1 * out.grad",
           "stage2", "pow_backward"),  # not 'chain rule dropped' (p = out.grad = 1.5 made it so)
    Mutant("exp's _backward forgets the local derivative", "value.py",
           "self.grad += out.data * out.grad", "self.grad += out.grad",
           "stage2", "exp_backward"),  # not 'uses the input x' (a = 1 made it so)
    Mutant("__rsub__ as other - self, typed as an old hint said", "value.py",
           "        return other + (-self)\n", "        return other - self\n",
           "stage1", "numbers_on_either_side", diagnosis="__rsub__ calls itself"),
    Mutant("partial copies args with [:], a tuple again", "derivative.py",
           "    args = list(args)\n    bumped = list(args)\n", "    bumped = args[:]\n",
           "stage0", "partial_leaves_args_alone", diagnosis="a copy of a tuple is a tuple"),
    # a second learner session's findings (issue 11): names that were true only elsewhere
    Mutant("pow without its factor k, seen from / built on **", "value.py",
           "self.grad += k * self.data ** (k - 1) * out.grad",
           "self.grad += self.data ** (k - 1) * out.grad",
           "stage2", "div_backward"),  # / has no _backward of its own: not 'derivative of /'
    Mutant("build_topo recursing into the node, not the child", "topo.py", "",
           '"""build_topo with build(v) where build(child) belongs."""\n\n\n'
           "def build_topo(root):\n    topo, visited = [], set()\n\n    def build(v):\n"
           "        if v not in visited:\n            visited.add(v)\n"
           "            for child in v._prev:\n                build(v)\n"
           "            topo.append(v)\n    build(root)\n    return topo\n",
           "stage3", "backward_lecture_expression",  # not 'backward() runs only the root's'
           diagnosis="build_topo misses nodes"),
    Mutant("pow's _backward with out.data for self.data", "value.py",
           "self.grad += k * self.data ** (k - 1) * out.grad",
           "self.grad += k * out.data ** (k - 1) * out.grad",
           "stage2", "pow_backward"),  # at k = 2 it is k * x ** k: not 'missing the - 1'
    Mutant("(self, self) for the children of *", "value.py",
           "out = Value(self.data * other.data, (self, other), '*')",
           "out = Value(self.data * other.data, (self, self), '*')",
           "stage1", "mul", diagnosis="an operand left out of _children"),  # not 'graph cut'
    Mutant("backward() sets every node's grad to 1", "value.py",
           "        for node in reversed(build_topo(self)):\n            node._backward()\n",
           "        for node in reversed(build_topo(self)):\n            node.grad = 1.0\n"
           "            node._backward()\n",
           "stage3", "backward_lecture_expression", diagnosis="grad set to 1 on every node"),
    Mutant("backward() runs the root's _backward before the loop too", "value.py",
           "        for node in reversed(build_topo(self)):\n            node._backward()\n",
           "        self._backward()\n"
           "        for node in reversed(build_topo(self)):\n            node._backward()\n",
           "stage3", "backward_lecture_expression", diagnosis="a _backward called twice"),
    Mutant("backward() seeds grad = 1 after the walk", "value.py",
           "        self.grad = 1.0  # d(self)/d(self)\n"
           "        for node in reversed(build_topo(self)):\n            node._backward()\n",
           "        for node in reversed(build_topo(self)):\n            node._backward()\n"
           "        self.grad = 1.0\n",
           "stage3", "backward_lecture_expression",
           diagnosis="backward() does not start from grad = 1.0"),
    # a third learner round's findings (issue 11)
    Mutant("backward() seeds, then resets every grad to 0", "value.py",
           "        for node in reversed(build_topo(self)):\n            node._backward()\n",
           "        topo = build_topo(self)\n"
           "        for node in topo:\n            node.grad = 0.0\n"
           "        for node in reversed(topo):\n            node._backward()\n",
           "stage3", "backward_lecture_expression",
           diagnosis="backward() does not start from grad = 1.0"),
    Mutant("(self, self) for the children of +", "value.py",
           "out = Value(self.data + other.data, (self, other), '+')",
           "out = Value(self.data + other.data, (self, self), '+')",
           "stage1", "add", diagnosis="an operand left out of _children",
           fix=("value.py", "out = Value(self.data + other.data, (self, self), '+')",
                "out = Value(self.data + other.data, (self, other), '+')",
                "Value(self.data + other.data, (self, other), '+')")),
    Mutant("squared_error zipping ypred with itself", "train.py", "zip(ys, ypred))",
           "zip(ypred, ypred))", "stage7", "squared_error"),  # and no name on the train checks
    # a fifth learner round's findings (issue 11)
    Mutant("__neg__ as 0 - self", "value.py", "        return self * -1",
           "        return 0 - self", "stage1", "neg_and_sub",
           diagnosis="__neg__ and __rsub__ call each other",  # not "__rsub__ calls itself"
           fix=("value.py", "        return 0 - self", "        return self * -1",
                "return self * -1")),
    Mutant("__truediv__ takes other.data", "value.py", "        return self * other ** -1",
           "        return self * other.data ** -1", "stage1", "div", diagnosis="graph cut"),
    Mutant("build_topo leaves out the root", "topo.py", "    return order",
           "    return order[:-1]", "stage3", "backward_lecture_expression",
           diagnosis="build_topo misses nodes"),  # not "does not start from grad = 1.0"
    Mutant("backward() recursing into every child", "value.py",
           "        for node in reversed(build_topo(self)):\n            node._backward()\n",
           "        def visit(node):\n            node._backward()\n"
           "            for child in node._prev:\n                visit(child)\n"
           "        visit(self)\n",
           "stage3", "backward_diamond_and_reuse", diagnosis="a _backward called twice"),
    Mutant("zero_grad compares instead of assigning", "train.py", "        p.grad = 0.0\n",
           "        p.grad == 0.0\n", "stage7", "zero_grad",
           diagnosis="zero_grad changes nothing"),
    Mutant("partial bumps an alias of args", "derivative.py", "    bumped = list(args)\n",
           "    bumped = args\n", "stage0", "partial_of_lecture_expression",
           diagnosis="f evaluated twice at the same point"),
    Mutant("parameters() appends the bias to the weights", "neuron.py",
           "        return self.w + [self.b]",
           "        self.w.append(self.b)\n        return self.w", "stage4", "parameters",
           diagnosis="parameters() changes the network"),
    Mutant("weights drawn from uniform(0, 1)", "neuron.py",
           "self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]",
           "self.w = [Value(random.uniform(0, 1)) for _ in range(nin)]",
           "stage4", "parameters"),
    # a sixth learner round's findings (issue 11)
    Mutant("Layer.parameters() a list of lists", "layer.py",
           "return [p for neuron in self.neurons for p in neuron.parameters()]",
           "return [neuron.parameters() for neuron in self.neurons]",
           "stage5", "parameters"),  # not "parameters() changes the network"
    Mutant("__mul__ without its children", "value.py",
           "out = Value(self.data * other.data, (self, other), '*')",
           "out = Value(self.data * other.data)", "stage1", "mul", diagnosis="graph cut",
           fix=("value.py", "out = Value(self.data * other.data)",
                "out = Value(self.data * other.data, (self, other), '*')",
                "Value(self.data * other.data, (self, other), '*')")),
    Mutant("backward() clears every grad first", "value.py",
           "        self.grad = 1.0  # d(self)/d(self)\n",
           "        for node in build_topo(self):\n            node.grad = 0.0\n"
           "        self.grad = 1.0\n",
           "stage3", "backward_adds_to_grads_already_there",
           diagnosis="backward() clears the grads"),
]


# The optional challenges: each bug is caught at its challenge (the core stages sharing its
# file still pass; a challenge building on it may fail too).
RECURSIVE_TOPO = '''def build_topo(root):
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for child in node._prev:
                visit(child)
            order.append(node)
    visit(root)
    return order
'''

SUM_BY_ADDING = '''def sum_values(values):
    return sum(values)
'''

CHALLENGE_MUTANTS = [
    Mutant("recursive build_topo (the lecture's)", "topo.py", "", RECURSIVE_TOPO,
           "challenge1", "chain_2000_ops_deep_against_torch",
           diagnosis="recursion deeper than Python allows"),
    Mutant("sum_values overwrites grads", "value.py",
           "            v.grad += out.grad", "            v.grad = out.grad",
           "challenge1", "sum_values_against_torch",
           diagnosis="gradient overwritten instead of accumulated"),
    Mutant("sum_values loops over _prev", "value.py",
           "        for v in values:  # the list", "        for v in out._prev:  # the set",
           "challenge1", "sum_values_against_torch",
           diagnosis="sum_values loops over _prev, a set"),
    Mutant("sum_values adds the values up with +", "value.py",
           "def sum_values(values):\n", SUM_BY_ADDING + "\n\ndef old_sum_values(values):\n",
           "challenge1", "wide_sum_of_100000_nodes",
           diagnosis="sum_values makes a chain, not one node"),
    Mutant("recursive build_topo under a raised recursion limit", "topo.py", "",
           "import sys\nsys.setrecursionlimit(1_000_000)\n\n\n" + RECURSIVE_TOPO,
           "challenge1", "chain_2000_ops_deep_against_torch",
           diagnosis="the recursion limit raised instead of an explicit stack"),
    Mutant("tanh from the exp formula", "value.py", "        t = math.tanh(self.data)",
           "        e = math.exp(2 * self.data)\n        t = (e - 1) / (e + 1)",
           "challenge2", "tanh_at_large_inputs", diagnosis="tanh overflows on large inputs"),
    Mutant("sigmoid as 1 / (1 + exp(-a)) for every a", "value.py",
           "        if self.data >= 0:\n            s = 1 / (1 + math.exp(-self.data))\n"
           "        else:\n            e = math.exp(self.data)\n            s = e / (1 + e)",
           "        s = 1 / (1 + math.exp(-self.data))",
           "challenge2", "sigmoid", diagnosis="sigmoid overflows on large inputs"),
    Mutant("__rpow__ without ln(k)", "value.py",
           "            self.grad += out.data * math.log(k) * out.grad",
           "            self.grad += out.data * out.grad",
           "challenge2", "rpow", diagnosis="wrong local derivative of k ** a"),
    Mutant("softmax without subtracting the max", "softmax.py",
           "    exps = [(logit - m).exp() for logit in logits]",
           "    exps = [logit.exp() for logit in logits]",
           "challenge3", "softmax_on_large_logits", diagnosis="softmax overflows on large inputs"),
    Mutant("cross-entropy with the wrong sign", "softmax.py",
           "    return total.log() + m - logits[target]",
           "    return logits[target] - m - total.log()",
           "challenge3", "cross_entropy_on_moderate_logits",
           diagnosis="cross-entropy with the wrong sign"),
    Mutant("cross-entropy as -log(softmax[target])", "softmax.py",
           "    return total.log() + m - logits[target]",
           "    return -softmax(logits)[target].log()",
           "challenge3", "cross_entropy_on_large_logits",
           diagnosis="log of a probability that rounds to 0"),
    Mutant("softmax's outputs made from numbers", "softmax.py",
           "    return [e / total for e in exps]",
           "    return [Value(e.data / total.data) for e in exps]",
           "challenge3", "softmax_on_moderate_logits", diagnosis="graph cut"),
    Mutant("classifier's last layer squashed by tanh", "classifier.py",
           "        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b)",
           "        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).tanh()",
           "challenge4", "classifier_gives_logits",
           diagnosis="the classifier's last layer uses tanh"),
    Mutant("classifier loss summed, not averaged", "classifier.py",
           "        loss = sum(cross_entropy(model(x), y) for x, y in zip(xs, ys)) / len(xs)",
           "        loss = sum(cross_entropy(model(x), y) for x, y in zip(xs, ys))",
           "challenge4", "first_steps_match_torch",
           diagnosis="the loss is summed, not averaged"),
    Mutant("train_classifier without zero_grad", "classifier.py",
           "        zero_grad(params)\n        loss.backward()", "        loss.backward()",
           "challenge4", "first_steps_match_torch", diagnosis="gradients never cleared"),
    Mutant("classifier's weights all start alike", "classifier.py",
           "        self.last = [LinearNeuron(sizes[-2]) for _ in range(sizes[-1])]\n",
           "        self.last = [LinearNeuron(sizes[-2]) for _ in range(sizes[-1])]\n"
           "        for p in self.parameters():\n            p.data = 0.5\n",
           "challenge4", "classifier_gives_logits"),
]
