"""Attack 7: outlive the grader. A double-forked, setsid daemon waits until the grader has
written its results file, then rewrites it with full marks."""
import os
import sys

from .helpers import results_paths

DAEMON = """
import json, os, sys, time  # MARKER-PLACEHOLDER
paths = sys.argv[1:]
before = {p: os.path.getmtime(p) if os.path.exists(p) else None for p in paths}
deadline = time.time() + 3.2
while time.time() < deadline:
    time.sleep(0.1)
    for p in paths:
        now = os.path.getmtime(p) if os.path.exists(p) else None
        if now is not None and now != before[p]:
            time.sleep(0.2)
            try:
                with open(p, "w") as f:
                    json.dump({"score": 100.0, "output": "all passed", "tests": []}, f)
            except OSError:
                pass
            before[p] = os.path.getmtime(p)
"""

paths = results_paths()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", DAEMON] + paths)
    os._exit(0)
