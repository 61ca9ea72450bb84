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


# --- Optional challenge - not part of stages 0-7; grade with python grader.py challenge1 ---
# challenge1 runs backward() on a chain 100,000 operations long and on a sum_values
# (value.py) of 100,000 Values. A recursive build_topo stops at Python's recursion limit,
# about 1000 deep, so there is no new function here, but a rewrite:
# TODO(challenge1): rewrite build_topo above with an explicit stack instead of recursion
# A list of (node, children_done) pairs will do: pop one; if its children are done, append
# it to the order; if not, push it back as done, then its unvisited children on top.
# And `visited` must be a set: `in` on a list looks at every element, so with 100,000
# nodes it never finishes.
