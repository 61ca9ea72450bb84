"""Correct code written another way: each must pass every stage, and no diagnosis may ever
name a mistake in it (the other half of every named mistake in tests/mutants.py).

Each variant edits the reference solutions like a mutant does (the snippet must occur
exactly once), but keeps them right.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Rewrite:
    name: str
    edits: tuple  # (file, old, new) edits


LOOP_BODY = "        zero_grad(params)\n        loss.backward()\n        sgd_step(params, lr)\n"
SUM = "act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)"

VARIANTS = [
    Rewrite("bias added last", (("neuron.py", SUM,
                                 "act = sum(wi * xi for wi, xi in zip(self.w, x)) + self.b"),)),
    Rewrite("bias added first", (("neuron.py", SUM,
                                  "act = self.b + sum(wi * xi for wi, xi in zip(self.w, x))"),)),
    Rewrite("a loop instead of sum", (("neuron.py", SUM,
                                       "act = self.b\n        for wi, xi in zip(self.w, x):\n"
                                       "            act = act + wi * xi"),)),
    Rewrite("tanh written with exp", (("neuron.py", "        return act.tanh()\n",
                                       "        e = (2 * act).exp()\n"
                                       "        return (e - 1) / (e + 1)\n"),)),
    Rewrite("bias drawn before the weights", (
        ("neuron.py", "        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]\n"
                      "        self.b = Value(random.uniform(-1, 1))\n",
         "        self.b = Value(random.uniform(-1, 1))\n"
         "        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]\n"),)),
    Rewrite("weights drawn last to first", (
        ("neuron.py", "for _ in range(nin)]", "for _ in range(nin)][::-1]"),)),
    Rewrite("parameters() built with extend", (
        ("layer.py", "        return [p for neuron in self.neurons for p in neuron.parameters()]",
         "        params = []\n        for neuron in self.neurons:\n"
         "            params.extend(neuron.parameters())\n        return params"),
        ("mlp.py", "        return [p for layer in self.layers for p in layer.parameters()]",
         "        params = []\n        for layer in self.layers:\n"
         "            params += layer.parameters()\n        return params"))),
    Rewrite("layers from zip of the sizes", (
        ("mlp.py", "[Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]",
         "[Layer(a, b) for a, b in zip(sizes, sizes[1:])]"),)),
    Rewrite("Layer and MLP built in explicit loops", (
        ("layer.py", "        self.neurons = [Neuron(nin) for _ in range(nout)]",
         "        self.neurons = []\n        for _ in range(nout):\n"
         "            self.neurons.append(Neuron(nin))"),
        ("mlp.py",
         "        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]",
         "        self.layers = []\n        for i in range(len(nouts)):\n"
         "            self.layers.append(Layer(sizes[i], sizes[i + 1]))"))),
    Rewrite("zeroing after the update", (
        ("train.py", LOOP_BODY,
         "        loss.backward()\n        sgd_step(params, lr)\n        zero_grad(params)\n"),)),
    Rewrite("the lecture's loop written inline", (
        ("train.py", LOOP_BODY,
         "        for p in model.parameters():\n            p.grad = 0.0\n"
         "        loss.backward()\n        for p in model.parameters():\n"
         "            p.data += -lr * p.grad\n"),)),
    Rewrite("loss as (ygt - yout) ** 2 in a loop", (
        ("train.py", "    return sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))",
         "    total = 0\n    for yout, ygt in zip(ypred, ys):\n"
         "        total = total + (ygt - yout) ** 2\n    return total"),)),
]


# The optional challenges, written other ways (tests/test_challenges.py): each must pass its
# challenge, and the core stages that share its file, with no mistake named.
SIGMOID = ("        if self.data >= 0:\n            s = 1 / (1 + math.exp(-self.data))\n"
           "        else:\n            e = math.exp(self.data)\n            s = e / (1 + e)\n")
RPOW = ("        out = Value(k ** self.data, (self,), f'{k}**')\n\n        def _backward():\n"
        "            # d(k ** a)/da = k ** a * ln(k), and k ** a is out.data\n"
        "            self.grad += out.data * math.log(k) * out.grad\n"
        "        out._backward = _backward\n        return out\n")
MAX_AS_NUMBER = ("    m = max(logit.data for logit in logits)  # a constant: changes no p_i, "
                 "keeps every exp <= 1\n")
MEAN = "        loss = sum(cross_entropy(model(x), y) for x, y in zip(xs, ys)) / len(xs)\n"

CHALLENGE_VARIANTS = [
    Rewrite("sigmoid through tanh", (("value.py", SIGMOID,
                                      "        s = 0.5 * (1 + math.tanh(self.data / 2))\n"),)),
    Rewrite("k ** v as exp(v * ln k), a composite", (
        ("value.py", RPOW, "        return (self * math.log(k)).exp()\n"),)),
    Rewrite("softmax's max as a Value, returned as a tuple", (
        ("softmax.py", MAX_AS_NUMBER, "    m = max(logits, key=lambda logit: logit.data)\n"),
        ("softmax.py", "    return [e / total for e in exps]",
         "    return tuple(e / total for e in exps)"))),
    Rewrite("cross-entropy as minus the log-softmax of the target", (
        ("softmax.py", "    return total.log() + m - logits[target]",
         "    return -((logits[target] - m) - total.log())"),)),
    Rewrite("the mean loss as each loss times 1/n", (
        ("classifier.py", MEAN, "        loss = sum(cross_entropy(model(x), y) * (1 / len(xs)) "
                                "for x, y in zip(xs, ys))\n"),)),
    Rewrite("build_topo with a stack of child iterators", (("topo.py", "", '''
def build_topo(root):
    order, visited = [], {id(root)}
    stack = [(root, iter(root._prev))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            order.append(node)
        elif id(child) not in visited:
            visited.add(id(child))
            stack.append((child, iter(child._prev)))
    return order
'''),)),
]
