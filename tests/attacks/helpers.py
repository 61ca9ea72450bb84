"""A student's helper module: where on this machine is the grader's project folder?

Shipped beside value.py in the submission and imported as `from .helpers import ...`.
(Attack material for tests/test_adversarial.py. MARKER-PLACEHOLDER is replaced by a
unique marker per run; only processes carrying it are ever touched, so the attacks never
reach another grader running on the same machine.)
"""
import os  # only os and sys: the grader's child already holds them, whatever it allows
import sys

MARKER = "MARKER-PLACEHOLDER"
# The harness's live repository (world-readable on a developer's machine, absent from a
# Gradescope container): skipped, so the attack meets only the copy the grader runs from.
LIVE_REPOSITORY = "SPARE-ROOT"


def _subfolders(pattern):
    """'/tmp/*/*/' without the glob module: every folder that far down."""
    found = [""]
    for part in pattern.strip("/").split("/"):
        nxt = []
        for folder in found:
            if part != "*":
                nxt.append(folder + "/" + part)
                continue
            try:
                nxt += [folder + "/" + n for n in os.listdir(folder or "/")
                        if os.path.isdir(folder + "/" + n)]
            except OSError:
                pass
        found = nxt
    return found


def _up(path):
    path = os.path.abspath(path)
    while True:
        yield path
        parent = os.path.dirname(path)
        if parent == path:
            return
        path = parent


def _proc_entries():
    """(pid, argv, cwd) of every process this one can see."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
        except OSError:
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            cwd = None
        yield int(pid), argv, cwd


def grader_processes():
    """The grader grading me (found by its command line)."""
    return [(pid, argv, cwd) for pid, argv, cwd in _proc_entries()
            if any(a.endswith("grader.py") for a in argv) and MARKER in " ".join(argv)]


def results_paths():
    """Where the grader will write its Gradescope results."""
    paths = ["/autograder/results/results.json"]
    for pid, argv, cwd in grader_processes():
        if "--gradescope" in argv[:-1]:
            paths.append(os.path.join(cwd or "/", argv[argv.index("--gradescope") + 1]))
    return paths


def candidate_dirs():
    starts = [sys.argv[0] if sys.argv else "", __file__, os.getcwd()]
    for name in ("kata", "kata.learner", "kata.probes", "kata.sandbox", "__main__"):
        path = getattr(sys.modules.get(name), "__file__", None)
        if path:
            starts.append(path)
    frame = sys._getframe()
    while frame is not None:  # the files of every caller: the grader's child code
        starts.append(frame.f_code.co_filename)
        frame = frame.f_back
    for pid in ("self", str(os.getppid())):
        for link in ("cwd", "exe", "root"):
            try:
                starts.append(os.readlink(f"/proc/{pid}/{link}"))
            except OSError:
                pass
    for pid, argv, cwd in _proc_entries():
        starts += [a for a in argv if a.startswith("/")] + ([cwd] if cwd else [])
    for value in os.environ.values():  # PWD, OLDPWD, HOME, anything path-like
        starts += [v for v in value.split(os.pathsep) if v.startswith("/")]
    starts += ["/autograder/source", "/autograder"]
    starts += _subfolders("/autograder/*") + _subfolders("/tmp/*") + _subfolders("/tmp/*/*")
    seen = {LIVE_REPOSITORY}
    for start in starts:
        for folder in _up(start):
            if folder.startswith(LIVE_REPOSITORY + "/"):
                break
            if folder not in seen:
                seen.add(folder)
                yield folder


def find_file(relative):
    """Every readable copy of `relative` (e.g. solutions/value.py) found by those routes."""
    found = []
    for folder in candidate_dirs():
        path = os.path.join(folder, relative)
        if path not in found and os.path.isfile(path):
            found.append(path)
    return found


def project_roots():
    return [os.path.dirname(os.path.dirname(p)) for p in find_file("solutions/value.py")]
