"""Graded hints, shown one at a time by `python grader.py hint STAGE [N]`: from a nudge to
the near-answer, never the solution code itself (the files stay the learner's to write)."""
import textwrap

HINTS = {
    "stage0": [
        "A derivative is a slope: how much f(x) moves when x moves a tiny bit, divided by "
        "that tiny bit.",
        "Evaluate f twice: once at x and once at x + h. The slope is the rise over the run.",
        "derivative: (f(x + h) - f(x)) / h. partial: make a copy of args, add h to the copy's "
        "element i only, and call f(*copy) and f(*args).",
    ],
    "stage1": [
        "Every operation builds a NEW Value from the .data of its inputs and remembers the "
        "inputs as its children. It never changes self or other.",
        "Wrap plain numbers first (other = other if isinstance(other, Value) else "
        "Value(other)), then pass the children when you build the result: "
        "Value(result_number, (self, other), '+').",
        "Derived operations can reuse the primitives: a - b is a + (-b), a / b is a * b**-1, "
        "-a is a * -1. For 1 - v Python calls v.__rsub__(1): there `self` is the Value on "
        "the RIGHT of the minus sign, so the result is other minus self.",
    ],
    "stage2": [
        "Each _backward answers: if out's gradient is out.grad, how much of it reaches each "
        "child? That is the local derivative times out.grad (the chain rule).",
        "Local derivatives: + gives 1 to both; * gives each child the OTHER child's data; "
        "x**k gives k * x**(k-1); tanh gives 1 - t**2 with t the output; exp gives the "
        "output itself; relu gives 1 where the input was positive.",
        "Always add into the child's grad (child.grad += ...), never assign: a + a uses one "
        "node twice, and both uses must count. Attach the closure: out._backward = _backward.",
    ],
    "stage3": [
        "backward() must run each node's _backward only after every node that uses it has "
        "passed its gradient down: that is a topological order, reversed.",
        "build_topo: visit a node once (keep a visited set); first visit all its children, "
        "then append the node itself. The root comes out last.",
        "backward(): seed this node's own gradient with 1.0 (d out / d out), then walk the "
        "list from build_topo from its end back to its start, calling each node's _backward.",
    ],
    "stage4": [
        "A neuron is a weighted sum of its inputs plus a bias, squashed by tanh - all built "
        "from Value operations so gradients can flow to the weights.",
        "In __init__ make nin weights and one bias, each Value(random.uniform(-1, 1)). "
        "parameters() returns the weights, then the bias.",
        "__call__: start from the bias, add w_i * x_i for every pair (zip), and return "
        "act.tanh() - the Value method, not math.tanh, which would cut the graph.",
    ],
    "stage5": [
        "A layer is just several independent neurons looking at the same input.",
        "Build nout separate neurons with a list comprehension ([Neuron(nin)] * nout would "
        "repeat ONE neuron). Call each on x.",
        "Return the list of outputs, or the single output itself when there is only one. "
        "parameters() collects every neuron's parameters, in order.",
    ],
    "stage6": [
        "An MLP is layers in a row: each layer's output is the next layer's input.",
        "With sizes = [nin] + nouts, layer i maps sizes[i] inputs to sizes[i + 1] outputs.",
        "__call__: for each layer, x = layer(x); return x at the end. parameters() collects "
        "every layer's parameters, in order.",
    ],
    "stage7": [
        "Training repeats four things: predict, measure the loss, compute gradients, step "
        "downhill.",
        "Gradients accumulate with +=, so clear them (zero_grad) before each backward(); "
        "then move each parameter against its gradient: p.data -= lr * p.grad.",
        "Each step, in this order: predict every x with the model, compute the loss, zero "
        "the grads, call backward() on the loss, take the SGD step, and record the loss's "
        "data (a plain number) - it was computed before this step's update.",
    ],
    # the optional challenges
    "challenge1": [
        "Two things stop backward() on a graph 100,000 nodes deep: a build_topo that calls "
        "itself once per node (Python stops at about 1,000 nested calls), and a `visited` "
        "kept in a list (each `in` then reads the whole list).",
        "Replace the recursion with a list used as a stack. Push (root, False); pop a pair; "
        "if its flag says its children are done, append the node to the order; otherwise, "
        "unless it was visited already, mark it visited, push (node, True) back, then push "
        "(child, False) for each child.",
        "sum_values(values): out = Value(sum of the data, tuple(values), 'sum'); its "
        "_backward loops over the list `values` (not over _prev, a set, which would count a "
        "value listed twice once) doing v.grad += out.grad.",
    ],
    "challenge2": [
        "Each new op is a primitive like exp: compute out from self.data, and give it a "
        "_backward with its local derivative times out.grad.",
        "Local derivatives: d log(a)/da = 1/a; d sigmoid(a)/da = s * (1 - s) with s the "
        "output; d (k ** a)/da = k ** a * ln(k) = out.data * math.log(k).",
        "Never take exp of a large positive number: tanh is math.tanh; sigmoid is "
        "1 / (1 + exp(-a)) when a >= 0 and exp(a) / (1 + exp(a)) when a < 0.",
    ],
    "challenge3": [
        "softmax turns logits into probabilities: exp each one and divide by the sum. "
        "Build it from Value operations (exp, +, /), so gradients flow back.",
        "Subtract the largest logit's data first (a plain number): exp(l - m) never "
        "overflows, and the probabilities do not change (exp(-m) cancels).",
        "cross_entropy = log(sum_j exp(l_j - m)) + m - l_target: one Value, built from "
        "exp, log (challenge2), + and -. Its gradient is softmax minus 1 at the target.",
    ],
    "challenge4": [
        "A classifier is an MLP whose last layer gives one logit per class, with no tanh: "
        "softmax cross-entropy does the squashing.",
        "Build the hidden layers as in MLP and a last layer of linear neurons (w . x + b, "
        "returned as it is), always as a list. parameters(): layer by layer, each neuron's "
        "weights then its bias.",
        "train_classifier: each step, loss = sum of cross_entropy(model(x), y) over the "
        "examples, times 1 / len(xs) (the mean); zero the grads, loss.backward(), "
        "p.data -= lr * p.grad; record loss.data.",
    ],
}


def hint(stage_name, level):
    """(text, next level or None) for 1-based `level`."""
    hints = HINTS[stage_name]
    level_given = level
    asked = max(1, level)
    level = min(asked, len(hints))
    nxt = level + 1 if level < len(hints) else None
    text = textwrap.fill(hints[level - 1], 88, initial_indent="  ", subsequent_indent="  ")
    beyond = textwrap.fill(f"{stage_name} has {len(hints)} hints, so here is the last one; "
                           "the check's own message and `python grader.py "
                           f"{stage_name} --verbose` say more.", 88) + "\n" \
        if asked > len(hints) else "Hints count from 1.\n" if asked > level_given else ""
    return f"{beyond}Hint {level} of {len(hints)} for {stage_name}:\n{text}", nxt
