"""Attack 1: I wrote no Value. The grader's own solution is on this machine: import it."""
import sys

from .helpers import project_roots

for root in project_roots():
    sys.path.insert(0, root)
    try:
        from solutions.value import *  # noqa: F401,F403  (Value, and build_topo with it)
        break
    except Exception:
        sys.path.remove(root)
