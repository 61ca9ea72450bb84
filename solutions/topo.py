"""Stage 3: put the graph in an order where every node comes after its children."""


def build_topo(root):
    """Every node reachable from root through _prev, once each, children first, root last.

    Iterative depth-first search, so a graph thousands of nodes deep cannot hit
    Python's recursion limit.
    """
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))  # come back to it once its children are placed
        for child in node._prev:
            if id(child) not in visited:
                stack.append((child, False))
    return order


# --- Optional challenge - not part of stages 0-7; grade with python grader.py challenge1 ---
# challenge1 runs backward() on a chain 100,000 operations long and on a sum_values of
# 100,000 Values. A recursive build_topo stops at Python's recursion limit (about 1000
# deep), and a `visited` list makes every `in` look at every node placed so far.
# Nothing to add here: build_topo above is already iterative, with a set for `visited`.
