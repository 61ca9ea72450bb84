"""The catalogue of classic mistakes the grader can name, each with a one-line fix.

A diagnosis is only given when the numbers match the mistake's signature; when nothing
matches, the message says only what differs (a wrong diagnosis is worse than none).
"""
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Diagnosis:
    name: str
    hint: str

    def as_dict(self):
        return asdict(self)


def overwritten():
    return Diagnosis("gradient overwritten instead of accumulated",
                     "In _backward use +=, not =: a node used twice (a + a, or in two places "
                     "of a graph) must get the sum of both contributions.")


def out_grad_changed(before, after):
    return Diagnosis("_backward changes out.grad",
                     f"out.grad was {before} before the _backward ran and {after} after it. "
                     "A _backward only reads out.grad and adds into its children's grads "
                     "(child.grad += ...); it never assigns to out.grad.")


def chain_rule_dropped():
    return Diagnosis("chain rule dropped",
                     "Multiply each local derivative by out.grad: "
                     "self.grad += (local derivative) * out.grad.")


def wrong_local_derivative(op, detail):
    return Diagnosis(f"wrong local derivative of {op}", detail)


def backward_not_attached():
    return Diagnosis("_backward not attached",
                     "Define _backward inside the operator and attach it: "
                     "out._backward = _backward (no parentheses).")


def grad_is_function():
    return Diagnosis("_backward assigned to the wrong attribute",
                     "out.grad now holds a function. Attach the closure with "
                     "out._backward = _backward; out.grad is a number.")


# What each operator returns, written so that it works when typed as it stands: `other -
# self` inside __rsub__ would ask Python for number - Value again, calling __rsub__ forever.
WRITTEN_WITH_WHAT_YOU_HAVE = {"__neg__": "self * -1",
                              "__sub__": "self + (-other)", "__rsub__": "other + (-self)",
                              "__truediv__": "self * other ** -1",
                              "__rtruediv__": "other * self ** -1"}


def operands_swapped(method, symbol):
    code = WRITTEN_WITH_WHAT_YOU_HAVE.get(method)
    how = (f": return {code} (a `{symbol}` there would call {method} again, forever)"
           if code else "")
    if not method.startswith("__r"):  # a - b calls a.__sub__(b): self is on the left
        return Diagnosis(f"operands swapped in {method}",
                         f"For `a {symbol} b` Python calls a.{method}(b): `self` is the value "
                         f"on the left, so compute self {symbol} other, not "
                         f"other {symbol} self{how}.")
    return Diagnosis(f"operands swapped in {method}",
                     f"For `2 {symbol} v` Python calls v.{method}(2): there `self` is the "
                     f"Value on the right, so compute other {symbol} self, not "
                     f"self {symbol} other{how}.")


def not_wrapped(method):
    return Diagnosis("number not wrapped into a Value",
                     f"In {method}, `other` can be a plain number. Wrap it first: "
                     "other = other if isinstance(other, Value) else Value(other).")


def missing_reflected(method, symbol):
    return Diagnosis(f"missing {method}",
                     f"For `2 {symbol} v` Python asks the number first, then calls "
                     f"v.{method}(2). Define {method} in Value.")


def graph_cut(hint=None):
    return Diagnosis("graph cut", hint or
                     "A Value made from plain numbers, e.g. Value(math.tanh(x.data)) or "
                     "w.data * x, has no children, so no gradient can flow back through it. "
                     "Compute with Values and their methods (x.tanh(), w * x), which record "
                     "their children.")


OPERATOR_CUT = ("Inside an operator, the new Value must be given the Values it is made from "
                "as its children, e.g. Value(self.data * other.data, (self, other), '*'); "
                "a Value made from numbers alone (Value(-self.data), or other.data used "
                "where other belongs) has none, so no gradient can flow back through it.")


def math_on_value(inside_value_method=False):
    if inside_value_method:  # math.tanh(self) inside Value.tanh
        return Diagnosis("math function applied to a Value",
                         "math.tanh / math.exp take plain numbers: inside a Value method, "
                         "use the number, math.tanh(self.data), and wrap the result in a new "
                         "Value with self as its child.")
    return Diagnosis("math function applied to a Value",
                     "math.tanh / math.exp take plain numbers. Call the Value's own "
                     "method instead: act.tanh().")


def unhashable_value():
    return Diagnosis("__eq__ without __hash__",
                     "A class that defines __eq__ loses its hash, so its objects cannot go "
                     "into a set (_prev, a visited set). Remove __eq__, or add "
                     "__hash__ = object.__hash__ to the class (or use id(v) in your sets).")


def topo_misses_nodes(hint=None):
    return Diagnosis("build_topo misses nodes",
                     hint or "Visit every child of every node (recursively, or with a "
                     "stack), not only the root's; mark a node visited when you visit it, "
                     "not before.")


def topo_node_twice():
    return Diagnosis("build_topo lists a node twice",
                     "Keep a set of visited nodes and skip a node that is already in it.")


def topo_parent_first(root_first=False):
    if root_first:  # preorder, or a right order returned reversed: the same list shape
        return Diagnosis("build_topo puts a parent before its child",
                         "Your list is a right order read backwards, the root first: append "
                         "a node only after all its children (not before them), and return "
                         "the list as built, not reversed: backward() is what walks it from "
                         "the end.")
    return Diagnosis("build_topo puts a parent before its child",
                     "Append a node only after all its children have been added.")


def topo_root_not_last():
    return Diagnosis("build_topo does not end with the root",
                     "The root depends on everything, so it must come last.")


def backward_not_seeded():
    return Diagnosis("backward() does not start from grad = 1.0",
                     "The walk must start with self.grad = 1.0 (d out / d out): set it right "
                     "before the loop, after anything that resets grads, and never set a grad "
                     "back to 0 during the walk. Otherwise every gradient is multiplied by 0.")


def backward_walks_forward():
    return Diagnosis("_backward called in forward order",
                     "A node's _backward must run after the _backward of every node that "
                     "uses it: call them over reversed(build_topo(self)). If you already do, "
                     "build_topo puts parents before children: append a node only after its "
                     "children.")


def no_backward_called():
    return Diagnosis("backward() calls no _backward",
                     "For every node of reversed(build_topo(self)) call node._backward() - "
                     "with the parentheses: node._backward alone does nothing.")


def only_root_backward():
    return Diagnosis("backward() runs only the output's _backward",
                     "The output's _backward only reaches its direct children. Call "
                     "_backward() on every node, in reversed(build_topo(self)) order.")


def backward_shadowed():
    return Diagnosis("backward shadowed by an instance attribute",
                     "Something like self.backward = ... in __init__ hides the method. "
                     "Remove it: backward is a method of the class.")


def repeated_neuron():
    return Diagnosis("the same neuron repeated",
                     "[Neuron(nin)] * nout is one neuron listed nout times; build each: "
                     "[Neuron(nin) for _ in range(nout)].")


# --- training ---------------------------------------------------------------------------

def no_zero_grad():
    return Diagnosis("gradients never cleared",
                     "Gradients add up across backward() calls: every p.grad must be set to "
                     "0 before each backward() (or after each update). Call zero_grad there, "
                     "and make sure zero_grad passes its own check.")


def zero_grad_changes_nothing():
    return Diagnosis("zero_grad changes nothing",
                     "zero_grad must assign to each parameter: for p in params: p.grad = 0. "
                     "(p.grad == 0 only compares, and setting a loop variable, g = 0 for g in "
                     "grads, changes no parameter.)")


def parameters_never_change():
    return Diagnosis("parameters never change",
                     "After training, every weight is exactly where it started: each update "
                     "found every grad at 0, or changed other Values. Each step runs forward, "
                     "loss, zero the grads, backward(), then the update, with nothing zeroing "
                     "between backward() and the update; and the update changes the very "
                     "Values parameters() returns, in place (p.data -= lr * p.grad).")


def zero_only_last(after_backward=False):
    if after_backward:  # `p.grad = 0` after the loop, and after backward(): p is the last one
        return Diagnosis("zeroing only the last parameter",
                         "After `for p in params:` ends, p is only the last parameter, and "
                         "zeroing it after backward() throws its gradient away: call "
                         "zero_grad(params) before backward(), which resets every one.")
    return Diagnosis("zeroing only the last parameter",
                     "zero_grad must reset every parameter: loop over all of them, and keep "
                     "the reset inside the loop body.")


def update_before_backward():
    return Diagnosis("updating before backward()",
                     "The first update then uses gradients of 0 (and later ones a step "
                     "behind): forward, loss, zero the grads, backward(), then update.")


def sign_flipped():
    return Diagnosis("update sign flipped",
                     "Go downhill: p.data -= lr * p.grad (minus, not plus).")


def lr_twice():
    return Diagnosis("learning rate applied twice",
                     "Each step moves every parameter once, by lr * p.grad.")


def loss_after_update():
    return Diagnosis("loss recorded after the update",
                     "Record each step's loss from the forward pass of that step, before "
                     "the update changes the weights.")


def layer_never_unwraps():
    return Diagnosis("Layer never unwraps a single output",
                     "With one neuron, return its Value itself, as the lecture does: "
                     "return outs[0] if len(outs) == 1 else outs. Then an MLP whose last layer "
                     "has one neuron gives one Value, ready for the loss.")


def zero_grad_clears_data():
    return Diagnosis("zero_grad clears .data",
                     "p.data is the weight itself; what goes back to 0 before each backward() "
                     "is the gradient: p.grad = 0.0 for every p.")


def zero_grad_sets_none():
    return Diagnosis("zero_grad sets grad to None",
                     "Each _backward adds into grad with +=, which needs a number: "
                     "p.grad = 0.0, not None (None is a PyTorch option, not micrograd's).")


def loss_not_squared(kind):
    fixes = {
        "not squared": "square each difference: (yout - ygt)**2; a plain difference lets "
                       "errors of opposite signs cancel out",
        "absolute": "square each difference, (yout - ygt)**2, rather than taking abs(): the "
                    "lecture's loss is the sum of squares",
        "averaged": "add the squares up without dividing by the number of examples: the "
                    "lecture's loss is a sum, and the learning rate assumes it",
        "missing an example": "sum over every pair of zip(ys, ypred): one example is left out "
                              "(an off-by-one in a range?)",
    }
    return Diagnosis(f"loss {kind}", fixes[kind])


def random_normal():
    return Diagnosis("random.normal does not exist",
                     "Python's random module has no normal(); draw each weight with "
                     "random.uniform(-1, 1), as the stub says (numpy's np.random.normal is "
                     "another library).")


def len_of_a_number():
    return Diagnosis("len() of a number",
                     "range(len(x)) needs a list; for a count that is already a number, "
                     "write range(nout) (or range(len(nouts)) over the list of sizes).")


def dot_for_comma(name):
    return Diagnosis("a dot where a comma belongs",
                     f"(self. {name}) reads an attribute {name} of self; the children of a "
                     f"new Value are the tuple (self, {name}), with a comma.")


def update_on_grad():
    return Diagnosis("update changes .grad instead of .data",
                     "The step moves the weight itself: p.data -= lr * p.grad (p.grad only "
                     "says which way to go).")


# --- networks: named by the control experiments of checks/experiments.py -----------------

def missing_bias(how):
    if how == "unused":
        return Diagnosis("missing bias",
                         "b is in parameters() but never added: act = w_0*x_0 + ... + b, "
                         "e.g. sum((wi * xi for wi, xi in zip(self.w, x)), self.b).")
    return Diagnosis("missing bias",
                     "Each neuron has a bias too, a Value of its own listed after the "
                     "weights: self.b = Value(random.uniform(-1, 1)), added to w . x, and "
                     "parameters() returns self.w + [self.b].")


def wrong_activation(kind):
    if kind == "tanh twice":
        return Diagnosis("tanh applied twice",
                         "Apply tanh once, to the sum w . x + b: return act.tanh(), where act "
                         "is that sum (a Layer or MLP must not apply tanh again to the "
                         "neurons' outputs).")
    if kind == "none":
        return Diagnosis("activation missing",
                         "A neuron's output is tanh(act), not act itself: return act.tanh().")
    return Diagnosis(f"{kind} instead of tanh",
                     f"The lecture's neuron squashes with tanh, and the grader compares with "
                     f"tanh: return act.tanh(), not {kind}.")


def parameters_order(_=None):
    return Diagnosis("bias listed before the weights",
                     "parameters() lists each neuron as [w_0, ..., w_{nin-1}, b], weights "
                     "first and the bias last: return self.w + [self.b].")


def wrong_weight_count(detail, kind="neuron"):
    instead = {"short": " (not range(nin - 1))",
               "extra": " (not range(nin + 1): the bias is a Value of its own)"}
    if kind != "neuron":  # Neuron may be right, and handed the wrong size
        return Diagnosis("wrong number of weights",
                         "Each neuron has one weight per input of its layer, one too "
                         f"{'few' if detail == 'short' else 'many'} here: check the size each "
                         "gets: Neuron(nin) in Layer, Layer(sizes[i], sizes[i + 1]) in MLP, "
                         "and range(nin) in Neuron.__init__.")
    return Diagnosis("wrong number of weights",
                     "A neuron has exactly one weight per input: self.w = "
                     "[Value(random.uniform(-1, 1)) for _ in range(nin)]"
                     + instead.get(detail, "") + ".")


def nin_nout_swapped(where):
    if where == "mlp":  # a Layer with its sizes swapped looks the same from the MLP
        return Diagnosis("nin and nout swapped",
                         "Layer(nin, nout) is nout neurons, each reading the nin inputs "
                         "([Neuron(nin) for _ in range(nout)]), and MLP builds layer i as "
                         "Layer(sizes[i], sizes[i + 1]): one of the two has them the other "
                         "way round.")
    return Diagnosis("nin and nout swapped",
                     "Layer(nin, nout) is nout neurons, each reading the nin inputs: "
                     "[Neuron(nin) for _ in range(nout)].")


def layer_lost(which):
    if which == "first":
        return Diagnosis("MLP loses a layer",
                         "The first layer reads the nin inputs: sizes = [nin] + nouts, then "
                         "Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts)).")
    return Diagnosis("MLP loses a layer",
                     "nouts lists every layer's size, the last one too: with "
                     "sizes = [nin] + nouts, build Layer(sizes[i], sizes[i + 1]) for i in "
                     "range(len(nouts)), not range(len(nouts) - 1).")


def layer_repeated(_=None):
    return Diagnosis("MLP layer duplicated",
                     "One size is listed twice, so there is a layer too many: "
                     "sizes = [nin] + nouts, and one Layer(sizes[i], sizes[i + 1]) for each "
                     "i in range(len(nouts)).")


def every_layer_fed_input(_=None):
    return Diagnosis("every layer fed the input x",
                     "Each layer reads the output of the one before it: "
                     "for layer in self.layers: x = layer(x), then return x.")


def called_on_many():
    return Diagnosis("network called on a list of lists",
                     "A Neuron, Layer or MLP takes one example x, a list of numbers; xs is a "
                     "list of examples. Call the model on each one: "
                     "ypred = [model(x) for x in xs].")


def grad_is_a_number():
    return Diagnosis("p.grad is a number, not a Value",
                     "A Value's grad is a plain float: write p.grad, not p.grad.data "
                     "(.data belongs to Values here; the habit comes from PyTorch tensors).")


def lr_ignored():
    return Diagnosis("learning rate ignored",
                     "The weights move by the same amount whatever lr train() is given: use "
                     "the argument, p.data -= lr * p.grad, not a fixed number such as 0.1.")


def bias_after_activation(_=None):
    return Diagnosis("bias added after tanh",
                     "The bias goes inside the activation: tanh(w . x + b). Add self.b to the "
                     "sum first, then return act.tanh().")


def layer_activation(which):
    texts = {
        "micrograd": ("relu hidden layers and a linear output",
                      "micrograd's nn.py uses relu in its hidden layers and no activation in "
                      "the last one; this kata's MLP, like the lecture's, puts tanh in every "
                      "neuron of every layer: return act.tanh(), with no nonlin switch."),
        "hidden none": ("hidden layers without tanh",
                        "Every neuron of every layer applies tanh, the hidden layers' too: "
                        "return act.tanh()."),
        "last none": ("last layer without tanh",
                      "The lecture's MLP applies tanh in the last layer as well: every neuron "
                      "returns act.tanh(), its outputs then lie in (-1, 1) like the targets."),
        "hidden relu": ("relu in hidden layers",
                        "The lecture's MLP uses tanh in every layer: return act.tanh() in "
                        "every neuron, the hidden layers' too."),
    }
    name, hint = texts.get(which, ("activation differs between layers",
                                   "Every neuron of every layer applies tanh."))
    return Diagnosis(name, hint)


def slope_not_divided():
    return Diagnosis("slope not divided by h",
                     "f(x + h) - f(x) is how much f rises over the step; the slope is that "
                     "rise per unit of x: (f(x + h) - f(x)) / h.")


def partial_in_place():
    return Diagnosis("partial changes args in place",
                     "args may be a tuple, which cannot change, and the caller's list must "
                     "not change either: bump a copy, bumped = list(args); "
                     "bumped[i] += h, and call f(*bumped).")


def grad_for_data():
    return Diagnosis(".grad used where .data belongs",
                     "A local derivative is made of the operands' values: for a * b, "
                     "self.grad += other.data * out.grad and other.grad += self.data * "
                     "out.grad. other.grad is only what has flowed back so far (0 here).")


def operator_calls_itself(method):
    symbol = "-" if "sub" in method else "/"
    return Diagnosis(f"{method} calls itself",
                     f"Inside {method}, a `{symbol}` on the same two operands makes Python "
                     f"call {method} again, and again, forever. Write it with the "
                     f"operations Value already has: return "
                     f"{WRITTEN_WITH_WHAT_YOU_HAVE[method]}.")


def operators_call_each_other(methods):
    """An endless recursion that goes round several operators: -a in __rsub__ calls
    __neg__, whose 0 - self calls __rsub__ again. The fix goes where a `-` or `/` is."""
    name = f"{' and '.join(methods)} call each other"
    if "__neg__" in methods:
        return Diagnosis(name, "Python goes round between them forever. __neg__ is what the "
                               "others are built on (a - b is a + (-b)), so it must not use "
                               "`-` itself: return self * -1.")
    fixes = "; ".join(f"{m}: return {WRITTEN_WITH_WHAT_YOU_HAVE[m]}" for m in methods
                      if m in WRITTEN_WITH_WHAT_YOU_HAVE)
    return Diagnosis(name, f"Each of {', '.join(methods)} is written with an operator that "
                           "calls another of them, so Python goes round between them "
                           f"forever. Build them on +, * and ** as in {fixes}.")


def parameters_change_the_network(kind="neuron"):
    how = ("return self.w + [self.b]: self.w.append(self.b) adds the bias to the weights "
           "again on every call" if kind == "neuron" else
           "make a new list and extend it with each part's parameters(), never a list the "
           f"{kind} keeps (self.params.extend(...) grows it on every call)")
    return Diagnosis("parameters() changes the network",
                     f"parameters() only lists the Values, in a new list each time: {how}.")


def same_point_twice():
    return Diagnosis("f evaluated twice at the same point",
                     "The slope came out exactly 0: both f calls saw the same numbers. "
                     "bumped = args is a second name for the same list, not a copy (use "
                     "bumped = list(args)), or the second call is f(*bumped) where f(*args) "
                     "belongs.")


def tuple_copy():
    return Diagnosis("a copy of a tuple is a tuple",
                     "args may be a tuple (the stub's example passes one), and args[:] or "
                     "copy(args) of a tuple is a tuple again, which cannot change: make a "
                     "list, bumped = list(args), then bumped[i] += h.")


def wrong_children(op=None):
    symbol = {"add": "+", "mul": "*"}.get(op)
    example = (f"Value(self.data {symbol} other.data, (self, other), '{symbol}')" if symbol
               else "(self, other) for a + b or a * b, (self,) for a ** k, tanh or exp")
    return Diagnosis("an operand left out of _children",
                     "The children of a new Value are the Values it is computed from, each "
                     f"once in its place: {example}, not (self, self).")


def backward_clears_grads():
    return Diagnosis("backward() clears the grads",
                     "backward() only adds: it seeds self.grad = 1.0 and runs each "
                     "_backward, leaving every other grad as it was. Clearing them is the "
                     "training loop's job (zero_grad before each backward()), as in torch.")


def every_node_seeded():
    return Diagnosis("grad set to 1 on every node",
                     "Only the output starts at 1.0: set self.grad = 1.0 once, before the "
                     "loop; inside the loop only call node._backward(), which adds into "
                     "the grads.")


def backward_twice(only_the_root=True):
    if only_the_root:
        return Diagnosis("a _backward called twice",
                         "backward() calls each node's _backward exactly once: only in the "
                         "loop over reversed(build_topo(self)), with no extra "
                         "self._backward() before or after it.")
    return Diagnosis("a _backward called twice",
                     "A node used twice in the graph had its _backward run more than once: "
                     "a walk that follows every path (a recursion over _prev does) reaches "
                     "a shared node once per path and adds its gradient again each time. "
                     "backward() must call each node's _backward exactly once: in the loop "
                     "over reversed(build_topo(self)).")



# --- the optional challenges ---------------------------------------------------------------

def recursion_too_deep(depth, in_topo=True, summed=False):
    where = "build_topo calls itself" if in_topo else "backward() (or a function it calls) " \
        "calls itself"
    deep = f"this graph is {depth:,} nodes deep" if not summed else \
        f"if sum_values adds the values up with + (or sum()), it makes a chain {depth:,} " \
        "nodes deep: make it one node whose _prev holds every value"
    return Diagnosis("recursion deeper than Python allows",
                     f"{where} once per node, and Python stops at about 1,000 nested calls "
                     f"(RecursionError); {deep}. In build_topo, use an explicit "
                     "stack instead: a list of (node, children_done) pairs; pop one; if its "
                     "children are done, append the node to the order; otherwise push it "
                     "back marked done, then push its children not visited yet. "
                     "(Raising the limit with sys.setrecursionlimit is not the fix: the "
                     "challenge is a walk that needs no recursion.)")


def overflow(where):
    fixes = {
        "tanh": "math.exp(2 * 1000) is too big for a float. Compute t with math.tanh(x), or "
                "from exp(-2|x|), which never overflows: t = (1 - e) / (1 + e) with "
                "e = exp(-2 * abs(x)), and the sign of x.",
        "sigmoid": "exp(-x) overflows for a very negative x (and exp(x) for a very positive "
                   "one). For x >= 0 use 1 / (1 + exp(-x)); for x < 0 use exp(x) / "
                   "(1 + exp(x)): then the exponent is never positive.",
        "softmax": "exp(1000) is too big for a float. Subtract the largest logit first: "
                   "m = max(l.data for l in logits), then exp(l - m); that changes no "
                   "probability (the common factor exp(-m) cancels) and every exponent is "
                   "<= 0.",
        "cross_entropy": "exp(1000) is too big for a float. Use log-sum-exp: with m the "
                         "largest logit's data, log(sum exp(l_j)) = m + log(sum exp(l_j - "
                         "m)), and every exponent is <= 0.",
    }
    return Diagnosis(f"{where} overflows on large inputs", fixes[where])


def cross_entropy_sign():
    return Diagnosis("cross-entropy with the wrong sign",
                     "The loss is MINUS the log of the target's probability: -log p_target = "
                     "log(sum_j exp(l_j)) - l_target, which is >= 0 and falls as p_target "
                     "grows. Yours is its negative, so gradient descent would push the "
                     "target's probability down.")


def last_layer_squashed():
    return Diagnosis("the classifier's last layer uses tanh",
                     "The last layer gives logits, which softmax turns into probabilities: it "
                     "must be linear, w . x + b with no tanh (tanh keeps every logit in "
                     "[-1, 1], so no class can ever be much more likely than another). Keep "
                     "tanh in the hidden layers.")


def loss_summed():
    return Diagnosis("the loss is summed, not averaged",
                     "Average the examples' cross-entropies: loss = sum(...) * (1 / len(xs)), "
                     "as torch's cross_entropy does by default. Summed, every step is "
                     "len(xs) times too big.")


def recursion_limit_raised(limit):
    return Diagnosis("the recursion limit raised instead of an explicit stack",
                     f"Your code raised Python's recursion limit to {limit:,} "
                     "(sys.setrecursionlimit): the recursion still goes one call per node, "
                     "so a deeper graph (or a thread with a smaller stack) fails again. "
                     "Remove the setrecursionlimit call and walk the graph with an explicit "
                     "stack: a list of (node, children_done) pairs.")


def sum_over_prev():
    return Diagnosis("sum_values loops over _prev, a set",
                     "_prev is a set, so a Value listed twice is in it once, and its _backward "
                     "gives it out.grad once where the sum counts it twice. Loop over the "
                     "list of values itself: for v in values: v.grad += out.grad.")


def sum_as_chain(children, n):
    return Diagnosis("sum_values makes a chain, not one node",
                     f"The Value sum_values returned has {children:,} of the {n:,} values as "
                     "children: adding them up with + (or sum()) makes a chain n nodes deep. "
                     "Make ONE Value with every value as a child: Value(total of the data, "
                     "tuple(values), 'sum').")


def log_of_zero():
    return Diagnosis("log of a probability that rounds to 0",
                     "For logits like [1000, 3, -2, 1], p_1 = exp(3 - 1000) / ... is 0.0 in "
                     "floats, and log(0) fails: -log(softmax(logits)[target]) cannot work "
                     "there. Let the log cancel the exp instead (log-sum-exp): loss = "
                     "log(sum_j exp(l_j - m)) + m - l_target, with m the largest logit's data.")
