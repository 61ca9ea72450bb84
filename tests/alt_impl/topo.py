"""Stage 3 recursively: plainer than an explicit stack, and fine for graphs of modest depth."""


def build_topo(root):
    seen = set()  # Values hash by identity (no __eq__), so the nodes themselves are the keys
    ordered = []

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        for child in node._prev:
            visit(child)
        ordered.append(node)  # only once everything it depends on is already placed

    visit(root)
    return ordered


# Optional challenge 1 grades backward() on graphs 100,000 deep. This engine's backward()
# orders the nodes itself, without recursion (value.py), so this recursive build_topo stays:
# it is what shows that stage 3 accepts a recursive build_topo.
