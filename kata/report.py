"""What the learner reads: a progress table, the failing checks, and what to do next."""
import json
import os
import re
import sys
import textwrap

from .places import KERNEL_SHOWN, from_notebook
from .stages import ALL_STAGES, BY_NAME, CHALLENGES, STAGES

DEFAULT_TARGET = "exercises"
PRINTED_LINES = 10
SEEDED_STAGES = {"stage3", "stage4", "stage5", "stage6", "stage7", "challenge3", "challenge4"}
STATUS_COLOUR = {"passed": "32", "failed": "31", "error": "31", "not started": "33"}


def use_colour(stream):
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class Painter:
    def __init__(self, stream):
        self.on = use_colour(stream)

    def __call__(self, text, code):
        return f"\033[{code}m{text}\033[0m" if self.on else text

    def status(self, status):
        return self(status, STATUS_COLOUR.get(status, "0"))


def stage_status(checks):
    statuses = {c["status"] for c in checks}
    if statuses == {"passed"}:
        return "passed"
    if statuses == {"not started"}:
        return "not started"
    return "failed"


def summarise(target, stage_names, checks_by_stage, seed, findings=None):
    """The JSON-shaped result of a run (also what the text report is printed from)."""
    findings = findings or {}
    stages = []
    for name in stage_names:
        # what a check saw (checks/pictures.py) is for `grader.py graph`, not for --json
        checks = [{k: v for k, v in c.items() if k != "picture"}
                  for c in checks_by_stage.get(name, [])]
        stage = {"name": name, "title": BY_NAME[name].title,
                 "optional": BY_NAME[name].optional,
                 "status": stage_status(checks) if checks else "failed",
                 "passed": sum(c["status"] == "passed" for c in checks),
                 "total": len(checks), "checks": checks, "blame": None,
                 "earlier_failing": None, "fault_detail": None, "own_code": None,
                 "own_code_failure": None, "own_code_message": None, "blame_isolation": None}
        finding = findings.get(name)
        if finding:
            stage["earlier_failing"] = finding["fault"]
            if finding.get("unavailable"):
                stage["blame_isolation"] = "unavailable"  # a kit without solutions/
            stage["fault_detail"] = first_failure(finding["fault_checks"])
            own = finding["own_code"]
            if own is not None:
                stage["own_code"] = stage_status(own)
                stage["own_code_failure"] = first_failure(own)
                # that failure's own message: the checks shown below are from the learner's
                # whole code, where an earlier stage's error may hide it
                stage["own_code_message"] = next((c.get("message") for c in own
                                                  if c["status"] != "passed"), None)
                if stage["own_code"] == "passed":
                    stage["blame"] = finding["fault"]
        stages.append(stage)
    return {"target": target, "seed": seed, "stages": stages}


def first_failure(checks):
    """'check_name (diagnosis)' of the first check that did not pass, for one-line notes;
    when every check failed with one message (a syntax error, say), its first line."""
    failing = [c for c in checks if c["status"] != "passed"]
    if not failing:
        return None
    if len(failing) > 1 and len(failing) == len(checks) and \
            len({c["message"] for c in failing}) == 1 and failing[0]["message"]:
        # the file's name, not its whole path: what went wrong must fit on the line
        line = re.sub(r"\S*[/\\](\w+\.py)\b", r"\1", failing[0]["message"].splitlines()[0])
        return "every check: " + (line if len(line) <= 90 else line[:87] + "...")
    diagnosis = failing[0].get("diagnosis")
    return failing[0]["name"] + (f": {diagnosis['name']}" if diagnosis else "")


class TextReport:
    COLUMNS = "  {:<10} {:<28} {:>7}  {}"

    def __init__(self, stream=None, verbose=False, quiet_pass=False):
        self.out = stream or sys.stdout  # looked up now: a warm session redirects it
        self.paint = Painter(stream)
        self.verbose = verbose
        self.quiet_pass = quiet_pass
        self.statuses = {}

    def header(self, target, notes=()):
        """`notes`: what was taken out of a notebook or script, and what left out."""
        print(f"Grading {target}", file=self.out)
        for line in notes:
            print(self.paint(indent(line, "  "), "2"), file=self.out)
        print(self.paint(self.COLUMNS.format("stage", "title", "checks", "status"), "1"),
              file=self.out)

    def row(self, name, checks):
        """One stage's line, printed as soon as the stage is graded (progress)."""
        stage = BY_NAME[name]
        status = stage_status(checks)
        passed = sum(c["status"] == "passed" for c in checks)
        if stage.optional and not any(BY_NAME[n].optional for n in self.statuses):
            print(self.paint("  optional challenges:", "2"), file=self.out)
        line = self.COLUMNS.format(name, stage.title, f"{passed}/{len(checks)}", "")
        note = ""
        failing = [ALL_STAGES[d].name for d in stage.depends
                   if self.statuses.get(ALL_STAGES[d].name, "passed") != "passed"]
        if status == "failed" and failing:
            note = self.paint(f"  ({failing[0]} fails: fix it first)", "2")
        self.statuses[name] = status
        print(line + self.paint.status(status) + note, file=self.out, flush=True)

    def details(self, summary, focus_all):
        """Failing checks: of every selected stage, or (grading all) of the first unfinished."""
        stages = summary["stages"]
        unfinished = [s for s in stages if s["status"] != "passed"]
        if self.verbose:  # every check of every selected stage, passed ones too
            for stage in stages if focus_all or not unfinished else unfinished[:1]:
                self.stage_details(stage, summary)
        if not unfinished:
            if not self.quiet_pass:  # watch says what comes next itself
                print(self.paint("\nAll selected stages pass. Well done!", "32"), file=self.out)
                graded = {s["name"] for s in stages}
                if not focus_all and all(s.name in graded for s in STAGES) and \
                        not any(s.name in graded for s in CHALLENGES):
                    target = summary["target"]
                    more = "" if target == KERNEL_SHOWN else \
                        f"; {command('list --all', target)} shows where each stands"
                    print(f"That is the kata. {len(CHALLENGES)} optional challenges go beyond "
                          f"it, starting with {CHALLENGES[0].title.lower()}: "
                          f"{command(CHALLENGES[0].name, target)}{more}.", file=self.out)
            return
        shown = unfinished if focus_all else unfinished[:1]
        for stage in [] if self.verbose else shown:
            self.stage_details(stage, summary)
        pointers = []
        if not focus_all:
            pointers.append(f"Next: {command(unfinished[0]['name'], summary['target'])}")
        if any(s["status"] == "failed" for s in shown):
            # When blame isolation found an earlier stage at fault, that is where help is due.
            stuck = next(s.get("blame") or s["name"] for s in shown if s["status"] == "failed")
            pointers.append(f'Stuck? hint("{stuck}")' if summary["target"] == KERNEL_SHOWN
                            else f"Stuck? python grader.py hint {stuck}")
        if pointers:
            print("\n" + "\n".join(pointers), file=self.out)

    def isolation_note(self, stage, target=None):
        text = isolation_text(stage, target)
        if text:
            print(indent(text, "  "), file=self.out)

    def stage_details(self, stage, summary):
        print(self.paint(f"\n{stage['name']}: {stage['title']} - {stage['status']}", "1"),
              file=self.out)
        self.isolation_note(stage, summary["target"])
        if stage["status"] == "not started":
            files = BY_NAME[stage["name"]].files
            first = stage["checks"][0]["message"] if stage["checks"] else ""
            if from_notebook(summary["target"]):
                print(indent(f"Not started yet: {first}.", "  "), file=self.out)
                return
            if first.endswith(f"not found in {summary['target']}"):  # no such file at all
                print(f"  Not started yet: {first}. Add it (start from the stub in exercises/) "
                      "and write this stage there.", file=self.out)
                return
            if BY_NAME[stage["name"]].optional:
                print(f"  Not started yet (it is optional). Open {' and '.join(files)} in "
                      f"{summary['target']} and replace the stubs marked for "
                      f"{stage['name']}.\n  The first check stopped at: {first}",
                      file=self.out)
                return
            print(f"  Not started yet. Open {' and '.join(files)} in {summary['target']} and "
                  f"replace the stubs of this stage.\n  The first stub reached says: {first}",
                  file=self.out)
            return
        if self.verbose:
            for check in stage["checks"]:
                if check["status"] == "passed":
                    print(f"  {self.paint.status('ok')}  {check['name']}", file=self.out)
                    if check.get("printed"):
                        self.printed(check["printed"])
        causes_said = set()
        for names, status, message, diagnosis, printed in group_same_failures(stage["checks"]):
            mark = self.paint.status("x " + status)
            print(f"\n  {mark}  {', '.join(names)}", file=self.out)
            print(indent(message, "    "), file=self.out)
            if diagnosis and diagnosis["name"] in causes_said:
                print(indent(f"Likely cause: {diagnosis['name']} (as above).", "    "),
                      file=self.out)
            elif diagnosis:
                causes_said.add(diagnosis["name"])
                cause = self.paint(f"Likely cause: {diagnosis['name']}.", "1")
                print(indent(f"{cause} {diagnosis['hint']}", "    "), file=self.out)
            if printed:
                self.printed(printed)
        if any(c["status"] == "failed" for c in stage["checks"]) and \
                stage["name"] in SEEDED_STAGES and summary["target"] != KERNEL_SHOWN:
            again = f"python grader.py {stage['name']} --seed {summary['seed']}"
            if summary["target"] != DEFAULT_TARGET:
                again += f" --target {summary['target']}"
            print(f"\n  Random graphs and weights came from seed {summary['seed']}. To repeat "
                  f"them:\n    {again}", file=self.out)

    def printed(self, printed):
        lines = printed.rstrip("\n").splitlines()
        shown = lines if self.verbose else lines[-PRINTED_LINES:]
        cut = "" if len(shown) == len(lines) else \
            f" (last {len(shown)} lines; --verbose shows all)"
        print(f"    Your code printed{cut}:", file=self.out)
        print("\n".join("      | " + line for line in shown), file=self.out)


def command(words, target):
    """`python grader.py WORDS`, with --target when the learner graded another folder;
    `check("stage3")` in a notebook's kernel."""
    if target == KERNEL_SHOWN:
        return f'check("{words}")'
    return f"python grader.py {words}" + \
        (f" --target {target}" if target and target != DEFAULT_TARGET else "")


def isolation_text(stage, target=None):
    """What blame isolation found, in words, or None."""
    fault = stage.get("earlier_failing")
    if not fault:
        return None
    what = BY_NAME[stage["name"]].thing
    why = f"{fault} ({stage.get('fault_detail')})" if stage.get("fault_detail") else fault
    earlier = BY_NAME[fault].thing
    again = "\n  " + command(fault, target) + "\n"  # a line of its own: never wrapped
    if stage["blame"]:
        return (f"Your {what} is correct: run on the reference code of the earlier stages it "
                f"passes every check. {stage['name']} fails because of your {earlier}: "
                f"{why}. Fix that first:{again}".rstrip("\n"))
    if stage["own_code"] == "not started":
        return (f"{why} fails too, so fix that first:{again}(Your {what} is not written yet "
                f"either: {stage['name']} still has its stubs.)")
    if stage["own_code"]:
        detail = stage.get("own_code_message")
        return (f"{why} fails too, so fix that first:{again}But your "
                f"{what} has a problem of its own as well: even on the reference code of the "
                f"earlier stages it fails {stage.get('own_code_failure')}"
                + (":\n" + textwrap.indent(detail, "    ") if detail else "."))
    text = f"{why} fails too: fix it first, this failure may follow from it."
    if stage.get("blame_isolation") == "unavailable":
        text += (f" (Whether your {what} is right on its own cannot be told here: that needs "
                 "the reference code, which this copy of the kata does not include.)")
    return text


def group_same_failures(checks):
    """Checks that failed with the very same message (an import error, say) are shown once."""
    groups = []
    for check in checks:
        if check["status"] == "passed":
            continue
        key = (check["status"], check["message"], check.get("diagnosis"), check.get("printed"))
        if groups and groups[-1][1:] == key:
            groups[-1][0].append(check["name"])
        else:
            groups.append(([check["name"]],) + key)
    return groups


def indent(text, prefix, width=96):
    """Indent a message, wrapping long prose lines (tables and code lines stay as they are)."""
    out = []
    for line in text.splitlines():
        lead = line[:len(line) - len(line.lstrip())]
        if len(prefix + line) <= width or line.startswith(" "):
            out.append(prefix + line if line else line)
        else:
            out.extend(textwrap.wrap(line, width, initial_indent=prefix + lead,
                                     subsequent_indent=prefix + lead + "  ",
                                     break_on_hyphens=False))
    return "\n".join(out)


def print_json(summary, stream=None):
    (stream or sys.stdout).write(json.dumps(summary, indent=2) + "\n")
