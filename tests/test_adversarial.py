"""Course mode against submissions written to cheat (run alone: pytest tests/test_adversarial.py).

Each attack is a submission a student could hand in to get points without writing the code,
or to see the reference: a copy of exercises/ (the stubs: nothing written) with an honest
derivative.py (stage 0, which must still earn full marks: the grader keeps working) and the
files of tests/attacks/NAME/ laid over it (plus tests/attacks/helpers.py, a student's
"where is the grader's folder?" module trying every route: sys.argv[0], __file__, the cwd,
the kata modules' __file__, the callers' frames, /proc/self|ppid/cwd|exe|root, every
/proc/*/cmdline and cwd, every path-like environment variable, /autograder, /tmp).

  import_reference   value.py puts each folder found on sys.path, `from solutions.value import *`
  exec_reference     value.py reads solutions/value.py, exec()s it as its own, prints it
  exec_test_copies   value.py reads tests/alt_impl/value.py (exec) and tests/mutants.py (print)
  blame_leak         a BROKEN value.py (alt_impl with a tanh bug) fails stage 4, so the grader
                     re-runs neuron.py on the reference value.py; neuron.py reads the value.py
                     beside it and sends it out in a print, an exception, a list of numbers
  torch_unblock      value.py drops the torch import blocker, re-adds site-packages, imports
                     torch and backs Value with torch autograd (stages 1 and 2)
  tamper_grader      value.py overwrites the results file with full marks, rewrites
                     checks/test_stage1_forward.py, drops a conftest.py into checks/
  daemon_rewrite     value.py starts a double-forked setsid daemon that rewrites the results
                     file after the grader wrote it (the test waits 4 s)
  signal_grader      value.py sends SIGSTOP, SIGTERM, SIGKILL to its parent, the grader and
                     their process groups
  forge_run          value.py swaps the child's probe runner (kata.probes.run, via sys.modules
                     and the callers' globals) for one that answers from kata.graph
  forge_channel      value.py writes well-formed success replies for this and the next probe
                     ids, then odd shapes (NaN, 10**400, strings), on fds 3..20 and via gc
  regressions        stage 0: fake pytest summary + sys.exit(0) at import; 1-2: numbers that
                     lie (float subclass equal to all, __float__ lying), pytest "patched"
                     through sys.modules; 3: try/except BaseException around the time-out;
                     4: os._exit(0) at import; 5: recursion bomb; 6: 6 GB memory bomb;
                     7: a stray process, SIGTERM ignored, endless import; plus a shipped
                     conftest.py and pytest.ini

For every attack, what must hold: the results file is written, valid JSON, exit 0; no
"internal grader error" (or grader failure) anywhere; every graded stage is in `tests`;
the attacked stages score 0 and the honest stage 0 full marks (the total adds up); the
results file holds no line of the reference, of tests/alt_impl or tests/mutants.py, nor of
the check files (nor the reference's first characters as a list of numbers); it is not
changed after the grader exits; the grader's folders are byte for byte unchanged (the grader
runs from a fresh copy of the project, so a successful attack harms only the copy); no
process carrying the run's marker is left.

Each attack runs with KATA_POLICY=off (the sandbox alone) on the layers `landlock,uid,pidns`,
`uid` (a Gradescope container), `landlock,pidns` (a laptop without root); a layer set the
machine cannot offer is skipped with the grader's own words. Once more with the policy on
and every layer the machine allows: then the policy must also reject an attack file by name
and line. A test FAILS when its attack succeeds: the failure lists what went wrong.

Two ways in, both attacked: the policy-on runs are `grader.py --gradescope` in a process of
its own, on a fresh copy of the project each, as Gradescope runs it; the three sandbox-only
configurations go through a warm grading session (kata.session.Server: torch and the checks
loaded once, a fresh sandboxed child per grading, what watch and batch grading use), one per
configuration, running from a project copy of its own that every run checks is unchanged.
"""
import dataclasses
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ATTACKS_DIR = os.path.join(ROOT, "tests", "attacks")
PLACEHOLDER = "MARKER-PLACEHOLDER"
RUN_LIMIT = 90  # seconds a grader run may take before it counts as hung (SIGSTOP works)
LAYERS = ("landlock", "uid", "pidns")

pytestmark = [pytest.mark.adversarial, pytest.mark.background]


@dataclasses.dataclass(frozen=True)
class Attack:
    name: str
    stages: tuple               # graded stages whose code the student did not write: 0 points
    base: str = "stubs"         # "stubs", or "broken_alt": alt_impl's value.py with a tanh bug
    honest_stage0: bool = True  # grade an honest derivative.py too: it must keep full marks
    timeout: float = None       # the grader's --timeout
    settle: float = 0.5         # seconds after the grader exits before the last checks
    policy_rejects: bool = True  # with the policy on, it must name an attack file and line


ATTACKS = {a.name: a for a in (
    Attack("import_reference", ("stage1",)),
    Attack("exec_reference", ("stage1",)),
    Attack("exec_test_copies", ("stage1",)),
    Attack("blame_leak", ("stage4",), base="broken_alt"),
    Attack("torch_unblock", ("stage1", "stage2"), timeout=20),
    Attack("tamper_grader", ("stage1",)),
    Attack("daemon_rewrite", ("stage1",), settle=4.0),
    Attack("signal_grader", ("stage1",)),
    Attack("forge_run", ("stage1",)),
    Attack("forge_channel", ("stage1",)),
    Attack("regressions", tuple(f"stage{n}" for n in range(8)), honest_stage0=False,
           timeout=2, settle=1.0, policy_rejects=False),
)}

CONFIGS = {  # name -> (environment for the grader, layers asked for or None: the default)
    "all-layers": ({"KATA_ISOLATION": "landlock,uid,pidns", "KATA_POLICY": "off"}, LAYERS),
    "uid-only": ({"KATA_ISOLATION": "uid", "KATA_POLICY": "off"}, ("uid",)),
    "landlock+pidns": ({"KATA_ISOLATION": "landlock,pidns", "KATA_POLICY": "off"},
                       ("landlock", "pidns")),
    "policy-on": ({}, None),
}
LAYERS_SEEN = {}  # config -> (layers the grader reported, its words): for runs it did not finish


# --- building the pieces ------------------------------------------------------------------

def copy_project(destination):
    """The grader's project as a fresh copy (what an attack may damage), fenced as
    kata/templates/run_autograder deploys it: `chmod -R go-rwx` (the uid layer counts on it)."""
    shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "*.egg-info", "tests", "tools", ".pytest_cache"))
    os.mkdir(os.path.join(destination, "tests"))
    shutil.copytree(os.path.join(ROOT, "tests", "alt_impl"),
                    os.path.join(destination, "tests", "alt_impl"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(os.path.join(ROOT, "tests", "mutants.py"), os.path.join(destination, "tests"))
    for here, dirs, files in os.walk(destination):
        for name in dirs + files:
            path = os.path.join(here, name)
            os.chmod(path, os.stat(path).st_mode & 0o700)
    os.chmod(destination, 0o700)
    return destination


def build_submission(attack, folder, marker):
    os.makedirs(folder)
    for name in os.listdir(os.path.join(ROOT, "exercises")):
        if name.endswith(".py"):
            shutil.copy(os.path.join(ROOT, "exercises", name), folder)
    if attack.honest_stage0:
        shutil.copy(os.path.join(ROOT, "solutions", "derivative.py"), folder)
    if attack.base == "broken_alt":
        for name in ("value.py", "topo.py"):
            shutil.copy(os.path.join(ROOT, "tests", "alt_impl", name), folder)
        path = os.path.join(folder, "value.py")
        text = open(path).read()
        assert text.count("(1 - t ** 2)") == 1, "alt_impl's tanh derivative moved: update"
        with open(path, "w") as f:
            f.write(text.replace("(1 - t ** 2)", "(1 - t)"))
    own = os.path.join(ATTACKS_DIR, attack.name)
    files = sorted(os.listdir(own))
    sources = {name: open(os.path.join(own, name)).read() for name in files}
    if any("helpers" in text for text in sources.values()):
        sources["helpers.py"] = open(os.path.join(ATTACKS_DIR, "helpers.py")).read()
    for name, text in sources.items():
        text = text.replace(PLACEHOLDER, marker).replace("SPARE-ROOT", ROOT)
        # conftest.py and pytest.ini are stored as .txt: the project's own pytest must not
        # load them while collecting tests/
        with open(os.path.join(folder, name.removesuffix(".txt")), "w") as f:
            f.write(text)
    return sorted(name.removesuffix(".txt") for name in sources)


def open_up(*folders):
    for folder in folders:
        os.chmod(folder, 0o755)


def tree_digest(folder):
    """{relative path: sha256} of every file but bytecode caches."""
    digest = {}
    for here, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            path = os.path.join(here, name)
            with open(path, "rb") as f:
                digest[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return digest


# --- running the grader -------------------------------------------------------------------

def run_course(target, stages, env, project=ROOT, workdir=None, extra=()):
    """grader.py --target TARGET --gradescope WORKDIR/results.json STAGES, as a subprocess in
    its own session, with `env` added to the environment (None values removed).
    Returns (exit code or "hung", results dict or None, stderr, stdout, results bytes)."""
    workdir = workdir or tempfile.mkdtemp(prefix="kata-adv-")
    results_path = os.path.join(workdir, "results.json")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KATA_")}
    environment.update({k: v for k, v in env.items() if v is not None})
    environment["PWD"] = workdir
    out_path, err_path = os.path.join(workdir, "stdout"), os.path.join(workdir, "stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, os.path.join(project, "grader.py"), "--target", target,
             "--gradescope", results_path, *extra, *stages],
            cwd=workdir, env=environment, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            start_new_session=True)  # a killpg of the grader's group must not reach pytest
        try:
            code = process.wait(timeout=RUN_LIMIT)
        except subprocess.TimeoutExpired:
            code = "hung"
            for sig in (signal.SIGCONT, signal.SIGKILL):
                try:
                    os.killpg(process.pid, sig)
                except OSError:
                    pass
            process.wait()
    raw, results = read_results(results_path)
    with open(out_path, errors="replace") as f:
        stdout = f.read()
    with open(err_path, errors="replace") as f:
        stderr = f.read()
    return code, results, stderr, stdout, raw


def read_results(path):
    """(the results file's bytes, its JSON), each None when missing or not JSON."""
    raw = None
    if os.path.exists(path):
        with open(path, "rb") as f:
            raw = f.read()
    try:
        return raw, json.loads(raw) if raw is not None else None
    except ValueError:
        return raw, None


class WarmLane:
    """A warm grader for one configuration's attacks, one after another, running from its
    own copy of the project; a grading that hangs or kills it gets a fresh one next time."""

    def __init__(self):
        self.workdir = tempfile.mkdtemp(prefix="kata-adv-")
        self.server = None
        self.copies = 0
        self.renew()

    def renew(self):
        """A fresh copy of the project and a new grader: after an attack changed the copy,
        the next attack must not meet its work (nor be blamed for it)."""
        self.close()
        self.copies += 1
        self.project = copy_project(os.path.join(self.workdir, f"project{self.copies}"))

    def run(self, target, stages, env, workdir, extra=()):
        """As run_course, answered by the warm grader."""
        from kata.session import Server
        results_path = os.path.join(workdir, "results.json")
        environment = {k: None for k in os.environ if k.startswith("KATA_")}
        environment.update({**env, "PWD": workdir})
        argv = ["--target", target, "--gradescope", results_path, *extra, *stages]
        try:
            self.server = self.server or Server(root=self.project)
            code, stdout, stderr = self.server.run(argv, environment, workdir,
                                                   timeout=RUN_LIMIT)
        except RuntimeError as ended:  # hung (killed after RUN_LIMIT) or killed by the attack
            self.close()
            code, stdout, stderr = "hung or died", "", str(ended)
        raw, results = read_results(results_path)
        return code, results, stderr, stdout, raw

    def close(self):
        if self.server is not None:
            self.server.close()
            self.server = None


def processes_with(marker):
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(pid))
            except OSError:
                pass
    return found


def kill_all(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


# --- reading the results ------------------------------------------------------------------

def all_text(value):
    """Every string in a JSON value, joined: the results as a person reads them."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(all_text(k) + "\n" + all_text(v) for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(all_text(v) for v in value)
    return json.dumps(value)


def layers_reported(text):
    """The layers every child had, from 'isolation: landlock, uid | uid (asked for: ...)',
    as (set, the line), or (None, None) when the text does not say."""
    match = re.search(r"isolation:\s*([^\n]*)", text or "")
    if not match:
        return None, None
    line = match.group(0)
    used = match.group(1).split("(asked", 1)[0]
    sets = [{layer for layer in LAYERS if layer in part} for part in used.split("|")]
    return set.intersection(*sets) if sets else set(), line


def code_lines(path, minimum=22):
    with open(path, encoding="utf-8") as f:
        return {line.strip() for line in f if len(line.strip()) >= minimum}


@functools.lru_cache(maxsize=None)
def public_text():
    """Everything the grader may show anyway: its own code and messages, the stubs, the
    README (a protected line found there is no evidence of a leak)."""
    parts = []
    for folder in ("kata", "exercises", "checks"):
        for here, _, files in os.walk(os.path.join(ROOT, folder)):
            parts += [open(os.path.join(here, n), errors="replace").read()
                      for n in files if n.endswith((".py", ".md", ".txt"))]
    parts.append(open(os.path.join(ROOT, "README.md")).read())
    return "\n".join(parts)


@functools.lru_cache(maxsize=None)
def protected_markers():
    """{line: file} of lines unique to the reference, tests/alt_impl, tests/mutants.py
    (any line) and the check files (their code: def/import lines)."""
    public = public_text()
    markers = {}
    for folder in ("solutions", os.path.join("tests", "alt_impl")):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith(".py"):
                path = os.path.join(ROOT, folder, name)
                markers.update({line: path for line in code_lines(path) if line not in public})
    mutants = os.path.join(ROOT, "tests", "mutants.py")
    markers.update({line: mutants for line in code_lines(mutants) if line not in public})
    for name in sorted(os.listdir(os.path.join(ROOT, "checks"))):
        if name.endswith(".py"):
            path = os.path.join(ROOT, "checks", name)
            markers.update({line: path for line in code_lines(path, 16)
                            if line.startswith(("def ", "import ", "from ", "class "))
                            and line not in public.replace(open(path).read(), "")})
    return markers


def leaks(text, submission):
    """Protected lines found in `text` (lines the submission itself holds do not count),
    and the reference's first characters written out as numbers."""
    own = set()
    for name in os.listdir(submission):
        if name.endswith(".py"):
            own |= code_lines(os.path.join(submission, name))
    found = [f"{os.path.relpath(path, ROOT)}: {line!r}"
             for line, path in protected_markers().items() if line not in own and line in text]
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]
    with open(os.path.join(ROOT, "solutions", "value.py")) as f:
        codes = [float(ord(c)) for c in f.read()[:24]]
    if any(numbers[i:i + len(codes)] == codes for i in range(len(numbers))):
        found.append("solutions/value.py's first characters, as numbers")
    return found


POLICY_WORDS = ("policy", "not allowed", "forbidden", "may not", "not permitted", "refuse",
                "rejected", "blocked")


def rejected_by_name_and_line(output, files):
    names = "|".join(re.escape(f) for f in files)
    return bool(re.search(rf"({names})(:\d+|\D{{0,24}}line \d+)", output)) and \
        any(word in output.lower() for word in POLICY_WORDS)


# --- the tests ----------------------------------------------------------------------------

def test_protected_markers_are_found():
    markers = protected_markers()
    assert any("which is out.data" in line for line in markers)  # solutions/value.py
    assert any(path.endswith("mutants.py") for path in markers.values())
    assert any(path.endswith("test_stage1_forward.py") for path in markers.values())
    assert not [line for line in markers if line in open(
        os.path.join(ROOT, "exercises", "value.py")).read()]


# In-process forgery is not a sandbox matter: learner code shares its interpreter with the
# probe code, so code that may `import sys` can rewrite the probes themselves. The course
# policy is the fence there (no sys, no frames, no __globals__, no getattr): forge_run is
# judged with the policy on, where it must be rejected and earn nothing.
POLICY_ONLY = {"forge_run"}
WARM_CONFIGS = ("all-layers", "uid-only", "landlock+pidns")  # through a warm grader
PARALLEL_RUNS = 5  # at once: a lane per warm configuration, and two cold runs


def run_all():
    """Every attack on every configuration; {(name, config): outcome}. A warm configuration
    is one lane (its grader takes one grading at a time); each cold run is a lane alone."""
    from concurrent.futures import ThreadPoolExecutor
    lanes = [[(n, c) for n in ATTACKS] for c in CONFIGS if c in WARM_CONFIGS] + \
        [[(n, c)] for c in CONFIGS if c not in WARM_CONFIGS for n in ATTACKS]
    with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
        return {pair: outcome for lane in pool.map(run_lane, lanes) for pair, outcome in lane}


def run_lane(pairs):
    lane = WarmLane() if pairs[0][1] in WARM_CONFIGS else None
    try:
        return [(pair, outcome_of(*pair, lane=lane)) for pair in pairs]
    finally:
        if lane is not None:
            lane.close()
            shutil.rmtree(lane.workdir, ignore_errors=True)


def outcome_of(name, config, lane=None):
    """("ok", []), ("problems", [words]) or ("skip", why)."""
    if name in POLICY_ONLY and config != "policy-on":
        return "skip", ("in-process forgery is for the policy to stop, not the sandbox "
                        "(see POLICY_ONLY)")
    try:
        problems = attack_problems(name, config, lane)
    except pytest.skip.Exception as skip:
        return "skip", str(skip)
    return ("problems" if problems else "ok"), problems


@pytest.fixture(scope="module")
def outcomes():
    return BACKGROUND[0].result() if BACKGROUND else run_all()


BACKGROUND = []  # the attacks' Future, once start_in_background has started them


def start_in_background(items):
    """Called by tests/conftest.py as the session starts, with this module's tests."""
    from concurrent.futures import ThreadPoolExecutor
    if any(item.originalname == "test_attack" for item in items):
        BACKGROUND.append(ThreadPoolExecutor(1).submit(run_all))


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack(name, config, outcomes):
    kind, detail = outcomes[(name, config)]
    if kind == "skip":
        pytest.skip(detail)
    assert kind == "ok", f"attack {name} on {config}:\n- " + "\n- ".join(detail)


def attack_problems(name, config, lane=None):
    attack = ATTACKS[name]
    env, asked = CONFIGS[config]
    if asked and "uid" in asked and os.geteuid() != 0:
        pytest.skip("the uid layer needs the grader to run as root")
    marker = f"MARKER-{uuid.uuid4().hex}"
    workdir = tempfile.mkdtemp(prefix="kata-adv-")
    project = lane.project if lane else copy_project(os.path.join(workdir, "project"))
    home = os.path.join(workdir, marker)  # the marker is in the grader's argv: its target
    os.mkdir(home)
    submission = os.path.join(home, "submission")
    files = build_submission(attack, submission, marker)
    open_up(workdir, home, submission)
    before = tree_digest(project)
    stages = (("stage0",) if attack.honest_stage0 else ()) + attack.stages
    extra = ("--timeout", str(attack.timeout)) if attack.timeout else ()
    try:
        if lane:
            code, results, stderr, stdout, raw = lane.run(submission, stages, env, workdir,
                                                          extra=extra)
        else:
            code, results, stderr, stdout, raw = run_course(
                submission, stages, env, project=project, workdir=workdir, extra=extra)
        time.sleep(attack.settle)
        leftovers = processes_with(marker)
        raw_later = None
        if raw is not None:
            with open(os.path.join(workdir, "results.json"), "rb") as f:
                raw_later = f.read()
        after = tree_digest(project)
        if lane and after != before:
            lane.renew()
        problems = judge(attack, config, asked, files, stages, submission, code, results,
                         stderr, stdout, raw, raw_later, leftovers, before, after)
        if problems:
            problems.append(f"(stderr: {stderr[-1500:]})")
        return problems
    finally:
        kill_all(processes_with(marker))
        shutil.rmtree(workdir, ignore_errors=True)


def judge(attack, config, asked, files, stages, submission, code, results, stderr, stdout,
          raw, raw_later, leftovers, before, after):
    """Everything that went wrong, in words; skips when the machine lacks a layer."""
    text = all_text(results) if results is not None else ""
    used, line = layers_reported(stdout + "\n" + text)
    if used is not None:
        LAYERS_SEEN[config] = (used, line)
    elif config in LAYERS_SEEN:
        used, line = LAYERS_SEEN[config]
    if asked and used is not None and set(asked) - used:
        pytest.skip(f"this machine cannot give {', '.join(sorted(set(asked) - used))}: {line}")
    problems = []
    if code != 0:
        problems.append(f"the grader's exit code is {code}, not 0")
    if raw is None:
        problems.append("no results file")
    elif results is None:
        problems.append(f"the results file is not valid JSON: {raw[:200]!r}")
    for where, content in (("stderr", stderr), ("results", text)):
        for words in ("internal grader error", "the grader itself failed"):
            if words in content:
                problems.append(f"'{words}' in {where}")
    if asked and used is None and results is not None:
        problems.append("the grader does not say which isolation layers it used")
    if results is not None:
        tests = {t.get("name", "").split(":")[0]: t for t in results.get("tests", [])}
        for stage in stages:
            test = tests.get(stage)
            if test is None:
                problems.append(f"{stage} is not in the results' tests")
                continue
            score = test.get("score")
            if stage == "stage0" and attack.honest_stage0:
                if not test.get("max_score") or score != test.get("max_score"):
                    problems.append(f"the honest stage0 got {score} of {test.get('max_score')}")
            elif score != 0:
                problems.append(f"ATTACK SUCCEEDED: {stage} earned {score} points")
        expected_total = sum(t.get("score") or 0 for t in tests.values())
        if results.get("score") != expected_total:
            problems.append(f"the total {results.get('score')} is not the sum of the stages")
        if config == "policy-on" and attack.policy_rejects:
            outputs = "\n".join(tests[s].get("output", "") for s in attack.stages if s in tests)
            if not rejected_by_name_and_line(outputs, files):
                problems.append(f"the policy did not reject {', '.join(files)} by name and "
                                "line")
        found = leaks(text, submission)
        if found:
            problems.append("LEAK in the results file: " + "; ".join(found[:5]))
    if raw is not None and raw_later != raw:
        problems.append("the results file changed after the grader exited")
    if leftovers:
        problems.append(f"processes left behind: {leftovers}")
    changed = sorted(set(before) ^ set(after)) + \
        sorted(p for p in before if p in after and before[p] != after[p])
    if changed:
        problems.append(f"the grader's own files changed: {changed[:5]}")
    return problems
