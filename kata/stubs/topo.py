"""Stage 3: put the graph in order, every node after the nodes it was made from.

backward() needs this order: a node may pass its gradient on to its children only once
every node that uses it has passed its own share to it.

Grade it with `python grader.py stage3` (together with Value.backward in value.py).
"""


def build_topo(root):
    """Return a list of every node reachable from root through ._prev.

    - each node exactly once, even one used twice (as in a + a, or a shared subexpression);
    - children before parents: a node comes after everything in its ._prev;
    - root last.

    Remember the nodes you have already placed in a `visited` set. A Value can go into a
    set as it is: it hashes by identity, as long as you do not define __eq__ on it.
    A recursive depth-first search is fine for the kata's graphs; an explicit stack is
    sturdier, because recursion stops at Python's limit (about 1000 nodes deep).
    """
    # TODO(stage 3): depth-first search from root, appending a node after all its children
    raise NotImplementedError("stage 3: build_topo")
