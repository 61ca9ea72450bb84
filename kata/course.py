"""Course mode: one submission graded so that the grade holds against code written to cheat.

The same checks as self-study, with what a course adds around them:
- the submission comes in as a folder or a zip (kata.submission), copied as plain files;
- the published static policy (kata.policy) rejects files that import or reach what the
  kata does not need; a rejected file fails every stage that loads it;
- every child runs fenced in (kata.sandbox), and says which fences took hold;
- blame isolation reports only verdicts (kata.runner), never what such a run printed;
- the seed is the fixed default, so every student gets the same graphs.
Used by `--gradescope OUT.json` (a results file) and `--course` (the terminal report,
for GitHub Classroom's steps and for students checking themselves).
"""
import os
import shutil
import sys
import tempfile
import time

from . import client, sandbox
from .stages import ALL_STAGES, BY_NAME

from .paths import CHECKS, REFERENCE, ROOT
POLICY_SWITCH = "KATA_POLICY"        # "off": the sandbox alone (the project's self-tests)
ISOLATION_SWITCH = "KATA_ISOLATION"  # layers to use, e.g. "uid" or "none" (self-tests)


def wanted_layers():
    text = os.environ.get(ISOLATION_SWITCH, "").strip()
    if not text:
        return list(sandbox.LAYERS)
    if text == "none":
        return []
    return [layer for layer in sandbox.LAYERS if layer in text.split(",")]


def protected_paths(results_path=None):
    """What learner code must not read or write; the child tries each one from inside its
    fences before it loads learner code, and reports any it can still reach."""
    paths = [(os.path.join(REFERENCE, "value.py"), "read"),
             (os.path.join(ROOT, "tests", "mutants.py"), "read"),
             (os.path.join(CHECKS, "test_stage1_forward.py"), "read"),
             (os.path.join(CHECKS, "test_stage1_forward.py"), "write"),
             (CHECKS, "write"),
             (os.path.join(ROOT, "grader.py"), "write")]
    if results_path:
        paths.append((os.path.dirname(os.path.abspath(results_path)), "write"))
    try:
        import importlib.util
        spec = importlib.util.find_spec("torch")
        if spec and spec.origin:
            paths.append((os.path.dirname(spec.origin), "read"))
    except (ImportError, ValueError):
        pass
    return [[p, mode] for p, mode in paths if os.path.exists(p)]


def stage_modules(stage_number):
    """The learner modules a stage's checks load by themselves (before learner imports):
    its own files' and those of the stages it builds on."""
    stage = ALL_STAGES[stage_number]
    return {f[:-len(".py")] for n in (stage_number, *stage.depends)
            for f in ALL_STAGES[n].files}


def loaded_modules(stage_number, imports):
    """stage_modules, plus everything those import, as far as the files say."""
    seen, todo = set(), list(stage_modules(stage_number))
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(imports.get(module, ()))
    return seen


def policy_findings(folder, shown):
    """({module: violation text}, {module: modules it imports}) for the submission."""
    from . import policy
    if os.environ.get(POLICY_SWITCH, "").lower() == "off":
        return {}, {}
    from .places import Sources
    sources = Sources.load(folder)  # a notebook: violations at its cells and lines
    rejected = {m: policy.violation_text(os.path.join(shown, m + ".py"), found, sources)
                for m, found in policy.check_folder(folder).items() if found}
    return rejected, policy.folder_imports(folder)


def enforce_policy(summary, rejected, imports):
    """The grader's own word on the policy, whatever the child said: a stage that loads a
    rejected file is failed (the child refuses to import it too; this is the second say)."""
    for stage in summary["stages"]:
        number = BY_NAME[stage["name"]].number
        hit = sorted(loaded_modules(number, imports) & set(rejected))
        if hit and stage["status"] == "passed":
            stage["status"] = "failed"
            stage["checks"].insert(0, {"name": "course_policy", "status": "error",
                                       "message": rejected[hit[0]], "diagnosis": None,
                                       "printed": None})
            stage["total"] = len(stage["checks"])


def isolation_summary(wanted, reports):
    """What the children's fences were, in words for the instructor, and whether any
    protected path stayed reachable."""
    layer_sets = sorted({", ".join(r["layers"]) or "none" for r in reports})
    exposed = sorted({e for r in reports for e in r["exposed"]})
    errors = sorted({r["error"] for r in reports if r.get("error")})
    lines = [f"isolation: {' | '.join(layer_sets) or 'no child was started'}"
             f" (asked for: {', '.join(wanted) or 'none'})"]
    warnings = []
    if reports and any(not r["layers"] for r in reports):
        warnings.append("WARNING: learner code ran WITHOUT any isolation: a submission "
                        "written to cheat could read the reference or forge its grade. "
                        "See README, 'Using it in a course'.")
    if exposed:
        warnings.append("WARNING: from inside the sandbox these were still reachable: "
                        + "; ".join(exposed) + ". Make them unreadable to other users "
                        "(run_autograder does: chmod -R go-rwx on the grader and its "
                        "site-packages).")
    warnings += [f"WARNING: {e}" for e in errors]
    return {"layers": layer_sets, "exposed": exposed, "warnings": warnings,
            "text": "\n".join(lines + warnings)}


def grade(target, selected, timeout, seed, results_path=None, budget=None):
    """Grade one submission in course mode (`seed`: always the default one).
    Returns (summary, isolation, notes, seconds)."""
    from . import report, runner, submission
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="kata-course-")
    try:
        prepared = submission.prepare(target, workdir)
        shown = prepared.shown or os.path.basename(prepared.folder)
        rejected, imports = policy_findings(prepared.folder, shown)
        wanted = wanted_layers()
        course = {"layers": wanted, "protected": protected_paths(results_path),
                  "poisoned": rejected}
        first_report = len(client.SANDBOX_REPORTS)
        checks, findings = runner.grade(prepared.folder, shown, selected, seed,
                                        timeout, course=course, budget=budget)
        summary = report.summarise(shown, selected, checks, seed, findings)
        enforce_policy(summary, rejected, imports)
        # the rejected files that a graded stage loads (batch grading's status column)
        loaded = set().union(*(loaded_modules(BY_NAME[n].number, imports) for n in selected))
        summary["policy"] = {m: rejected[m] for m in sorted(loaded & set(rejected))}
        isolation = isolation_summary(wanted, client.SANDBOX_REPORTS[first_report:])
        del client.SANDBOX_REPORTS[first_report:]  # a warm session grades many: keep none
        summary["isolation"] = {k: isolation[k] for k in ("layers", "exposed", "warnings")}
        return summary, isolation, list(prepared.notes), time.monotonic() - started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_gradescope(target, selected, timeout, seed, results_path, budget=None):
    """--gradescope: write the results file (the caller exits 0 once it is written)."""
    from . import gradescope
    summary, isolation, notes, seconds = grade(target, selected, timeout, seed, results_path,
                                               budget)
    points = {s.name: s.points for s in ALL_STAGES}
    results = gradescope.results(summary, points, isolation["text"], seconds, notes)
    gradescope.write_results(results_path, results)
    # run_autograder's stdout is shown to instructors only: the isolation used, in full.
    print(isolation["text"])
    for warning in isolation["warnings"]:
        sys.stderr.write(f"grader.py: {warning}\n")
    return results
