"""Run the check modules of the selected stages in-process with pytest; collect verdicts.

pytest and torch are loaded here, in the grader's process; learner code never is (the
checks reach it only through kata.client.Child).
"""
import json
import os
import signal
import sys
import threading
import time
import traceback

from . import isolation
from .report import stage_status
from .stages import ALL_STAGES, BY_NAME

from .paths import CHECKS
# pytest plugins a grading does without: each costs time at every session of a warm grader
# (unraisableexception runs gc.collect() five times at the end: a third of a second).
LEAN = ("-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:logging",
        "-p", "no:faulthandler", "-p", "no:doctest", "-p", "no:junitxml", "-p", "no:pastebin",
        "-p", "no:nose", "-p", "no:legacypath", "-p", "no:stepwise", "-p", "no:lfplugin",
        # the checks use no fixture, mark or hook of these (each plugin costs every session
        # its registration; together about 1% of a warm grading, measured)
        "-p", "no:unittest", "-p", "no:recwarn", "-p", "no:tmpdir", "-p", "no:monkeypatch",
        "-p", "no:setuponly", "-p", "no:setupplan", "-p", "no:python_path",
        "-p", "no:debugging",
        # no capturing: it would point fd 0 at /dev/null during every grading, and watch
        # reads the learner's keys from there (learner code never runs in this process)
        "--capture=no")
NO_AUTOLOAD = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
JUDGE_TIMEOUT = 120  # pytest-timeout's safety net; each probe has its own, shorter limit


class Collector:
    """A pytest plugin that turns each check's outcome into a plain record."""

    def __init__(self, on_stage_done=None):
        self.checks = {}        # stage name -> [check record] in the order they ran
        self.expected = {}      # stage name -> number of checks collected
        self.on_stage_done = on_stage_done
        self.internal_errors = []

    def pytest_collection_modifyitems(self, items):
        for item in items:
            self.expected[stage_of(item)] = self.expected.get(stage_of(item), 0) + 1

    def pytest_collectreport(self, report):
        if report.failed:
            self.internal_errors.append(f"could not load {report.nodeid}:\n{report.longreprtext}")

    def pytest_runtest_makereport(self, item, call):
        """Record the verdict, and give pytest a plain report: its own would format every
        failure's traceback (parsing the check's source each time, a second on the stubs),
        which nobody reads here."""
        from _pytest.outcomes import Skipped
        from _pytest.reports import TestReport
        if call.when == "call" or call.excinfo is not None and call.when == "setup":
            self.record(item, call.excinfo)
        if call.excinfo is not None and call.excinfo.errisinstance(Skipped):
            return None  # pytest's own report knows how to say why
        failed = call.excinfo is not None
        return TestReport(nodeid=item.nodeid, location=item.location, keywords={},
                          outcome="failed" if failed else "passed",
                          longrepr=call.excinfo.exconly() if failed else None,
                          when=call.when, duration=call.duration)

    def record(self, item, excinfo):
        stage = stage_of(item)
        status, message, diagnosis = verdict(excinfo)
        records = self.checks.setdefault(stage, [])
        record = {"name": item.name[len("test_"):], "status": status,
                  "message": message, "diagnosis": diagnosis, "printed": None}
        picture = getattr(excinfo.value, "picture", None) if excinfo else None
        if picture:  # for `grader.py graph`; report.summarise leaves it out
            record["picture"] = picture
        learner = getattr(item, "funcargs", {}).get("learner")
        if learner is not None and learner.printed:  # passed checks too: --verbose shows them
            record["printed"] = "".join(learner.printed)[-2000:]  # the end explains the most
        records.append(record)
        if len(records) == self.expected.get(stage) and self.on_stage_done:
            self.on_stage_done(stage, records)


def stage_of(item):
    return item.path.name.split("_")[1]


def verdict(excinfo):
    """(status, message, diagnosis) of one check from the exception that ended it."""
    if excinfo is None:
        return "passed", "", None
    exc = excinfo.value
    kind = type(exc).__name__
    if kind == "CheckFailed":
        diagnosis = getattr(exc, "diagnosis", None)
        return "failed", str(exc), diagnosis.as_dict() if diagnosis else None
    if kind == "NotStarted":
        return "not started", str(exc), None
    if kind == "LearnerError":
        return "error", str(exc), None
    if kind == "Failed" and "Timeout" in str(exc):
        return "failed", "the check took too long to judge (over " \
            f"{JUDGE_TIMEOUT} s): your code is very slow or stuck", None
    # Anything else is a bug in the grader itself: say so plainly, with its traceback.
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return "error", f"internal grader error (please report it):\n{trace}", None


def grade(target, shown, stage_names, seed, timeout, on_stage_done=None, verbose=False,
          course=None, budget=None):
    """Grade the selected stages; then, for each that fails while a stage it builds on fails
    too, grade its own file on the reference code to tell whose fault it is.

    `course` (course mode): {"layers", "protected", "poisoned"} for every child.
    `budget`: seconds the whole grading may take its learner code (None: no limit); past
    it, what is left is not run and says so (kata.client.BUDGET).
    Returns (checks by stage, {stage: {"fault", "fault_checks", "own_code"}}).
    """
    from . import client
    client.BUDGET.update(end=time.monotonic() + budget if budget else None, seconds=budget)
    try:
        return grade_within_budget(target, shown, stage_names, seed, timeout, on_stage_done,
                                   verbose, course)
    finally:
        client.BUDGET.update(end=None, seconds=None)


def grade_within_budget(target, shown, stage_names, seed, timeout, on_stage_done, verbose,
                        course):
    from . import client
    checks = run_checks(target, shown, stage_names, seed, timeout, on_stage_done,
                        verbose=verbose, course=course)
    failed = [n for n in stage_names if stage_status(checks[n]) == "failed"
              and BY_NAME[n].depends]
    left = client.budget_left()
    if not failed or (left is not None and left <= 0):
        return checks, {}  # (out of time: whose fault it is cannot be told now)
    # The earlier stages not graded yet; then, only for a stage that fails while one it
    # builds on fails too, its own file on the reference code, to tell whose fault it is.
    # (Asked only when needed: a learner working stage by stage has every earlier stage
    # passing, and that run would be thrown away.)
    needed = sorted({ALL_STAGES[d].name for n in failed for d in BY_NAME[n].depends}
                    - set(checks), key=lambda n: BY_NAME[n].number)
    earlier = run_checks(target, shown, needed, seed, timeout, course=course) if needed else {}
    statuses = {n: stage_status(c) for n, c in {**earlier, **checks}.items()}
    faults = {n: isolation.earliest_failing_dependency(n, statuses) for n in failed}
    faults = {n: fault for n, fault in faults.items() if fault is not None}
    # (a stage whose own file is missing has nothing to grade on the reference code: run
    # there, the reference's own file passed and was said to be the learner's)
    isolate = [n for n in faults if BY_NAME[n].own_file and isolation.available()
               and os.path.isfile(os.path.join(target, BY_NAME[n].own_file))]
    hybrids = {n: isolation.hybrid(target, n) for n in isolate}
    try:
        own_runs = run_checks(target, shown, isolate, seed, timeout, stage_targets=hybrids,
                              course=course) if isolate else {}
    finally:
        for folder in hybrids.values():
            isolation.discard(folder)
    # What each check of a stage's own file named when run on the reference code: a name
    # given while an earlier stage fails is kept only when it names the same there.
    own_names = {name: {c["name"]: (c["diagnosis"] or {}).get("name")
                        for c in own_runs.get(name, [])} for name in isolate}
    if course is not None:
        # A learner's file ran beside the reference code: in course mode nothing of that
        # run may reach the student (its messages or prints could carry the reference's
        # text), only each check's verdict.
        for name in isolate:
            own_runs[name] = [{"name": c["name"], "status": c["status"], "message": "",
                               "diagnosis": None, "printed": None}
                              for c in own_runs.get(name, [])]
    findings = {}
    for name, fault in faults.items():
        findings[name] = {"fault": fault, "fault_checks": {**earlier, **checks}[fault],
                          "own_code": own_runs.get(name) if name in hybrids else None,
                          "unavailable": bool(BY_NAME[name].own_file)
                          and not isolation.available()}
        keep_names_both_runs_give(checks[name], own_names.get(name))
    return checks, findings


def keep_names_both_runs_give(checks, own):
    """A stage that fails while an earlier stage fails too: its checks ran through broken
    code, so a misconception named there may only be that code's echo (a build_topo in the
    wrong order makes any training loop look like 'parameters never change'). Keep a name
    only when the stage's own file, run on the reference code, gets the same one."""
    if own is None:
        return  # no such run (value.py's stages): their names are judged case by case
    for check in checks:
        named = (check.get("diagnosis") or {}).get("name")
        if named and own.get(check["name"]) != named:
            check["diagnosis"] = None


def cancel_judge_timers():
    """pytest-timeout arms a timer thread per check and cancels it in a teardown that a
    Ctrl-C can cut short; left armed, it keeps the process from exiting for up to
    JUDGE_TIMEOUT seconds and then ends it with os._exit(1) (a hang, then a silent exit)."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        signal.setitimer(signal.ITIMER_REAL, 0)  # its signal method's alarm, likewise
    for thread in threading.enumerate():
        function = getattr(thread, "function", None)
        if isinstance(thread, threading.Timer) and \
                getattr(function, "__module__", "").startswith("pytest_timeout"):
            thread.cancel()


def run_checks(target, shown, stage_names, seed, timeout, on_stage_done=None,
               stage_targets=None, verbose=False, course=None):
    """Grade `stage_names` of `target` (named `shown` in messages); stage_targets may send
    single stages to other folders. Returns {stage name: [check record]}."""
    import pytest

    collector = Collector(on_stage_done)
    files = [os.path.join(CHECKS, BY_NAME[name].check_module) for name in stage_names]
    args = files + ["-c", os.path.join(CHECKS, "pytest.ini"), "--rootdir", CHECKS,
                    "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:warnings",
                    *LEAN,
                    "--assert=plain", "-o", f"timeout={JUDGE_TIMEOUT}",
                    # SIGALRM where it can be had: pytest-timeout's thread method starts a
                    # timer thread for every check (the ini's default, for other threads)
                    *(["-o", "timeout_method=signal"] if hasattr(signal, "SIGALRM") and
                      threading.current_thread() is threading.main_thread() else []),
                    "--kata-target", target, "--kata-shown", shown, "--kata-seed", str(seed),
                    "--kata-timeout", str(timeout), "--kata-blame"]
    if verbose:
        args.append("--kata-verbose")
    if course is not None:
        args += ["--kata-course", json.dumps(course)]
    for name, folder in (stage_targets or {}).items():
        args += ["--kata-stage-target", f"{name}={folder}"]
    saved, autoload = sys.stdout, os.environ.get(NO_AUTOLOAD)
    try:
        sys.stdout = sys.stderr  # pytest never gets to write on our stdout (--json)
        # Only the plugins the checks need: whatever else is installed (pytest-benchmark,
        # pytest-cov, ...) would cost every session its loading, or change how checks run.
        os.environ[NO_AUTOLOAD] = "1"
        code = pytest.main(args + ["-p", "pytest_timeout"], plugins=[collector])
    finally:
        sys.stdout = saved
        if autoload is None:
            os.environ.pop(NO_AUTOLOAD, None)
        else:
            os.environ[NO_AUTOLOAD] = autoload
        cancel_judge_timers()
    if code == pytest.ExitCode.INTERRUPTED:  # Ctrl-C (pytest caught it): stop, not a bug
        raise KeyboardInterrupt
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        collector.internal_errors.append(f"pytest stopped with {code!r}")
    if collector.internal_errors:
        raise RuntimeError("\n".join(collector.internal_errors))
    return collector.checks
