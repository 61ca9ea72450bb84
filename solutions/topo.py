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
