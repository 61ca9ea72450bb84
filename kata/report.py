"""What the learner reads: a progress table, the failing checks, and what to do next."""
import json
import os
import sys
import textwrap

from .stages import STAGES

SEEDED_STAGES = {"stage3", "stage4", "stage5", "stage6", "stage7"}
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


def summarise(target, stage_names, checks_by_stage, seed):
    """The JSON-shaped result of a run (also what the text report is printed from)."""
    by_name = {s.name: s for s in STAGES}
    stages = []
    for name in stage_names:
        checks = checks_by_stage.get(name, [])
        stages.append({"name": name, "title": by_name[name].title,
                       "status": stage_status(checks) if checks else "failed",
                       "passed": sum(c["status"] == "passed" for c in checks),
                       "total": len(checks), "checks": checks})
    blame_earlier_stages(stages)
    return {"target": target, "seed": seed, "stages": stages}


def blame_earlier_stages(stages):
    """A later stage that fails while an earlier one does too: point at the earlier one."""
    first_bad = None
    for stage in stages:
        stage["blame"] = None
        if stage["status"] == "failed" and first_bad is not None:
            stage["blame"] = first_bad
        if stage["status"] != "passed" and first_bad is None:
            first_bad = stage["name"]


class TextReport:
    COLUMNS = "  {:<8} {:<28} {:>7}  {}"

    def __init__(self, stream=sys.stdout, verbose=False):
        self.out = stream
        self.paint = Painter(stream)
        self.verbose = verbose
        self.first_unpassed = None

    def header(self, target):
        print(f"Grading {target}", file=self.out)
        print(self.paint(self.COLUMNS.format("stage", "title", "checks", "status"), "1"),
              file=self.out)

    def row(self, name, checks):
        """One stage's line, printed as soon as the stage is graded (progress)."""
        stage = next(s for s in STAGES if s.name == name)
        status = stage_status(checks)
        passed = sum(c["status"] == "passed" for c in checks)
        line = self.COLUMNS.format(name, stage.title, f"{passed}/{len(checks)}", "")
        note = ""
        if status == "failed" and self.first_unpassed:
            note = self.paint(f"  ({self.first_unpassed} fails: fix it first)", "2")
        if status != "passed" and not self.first_unpassed:
            self.first_unpassed = name
        print(line + self.paint.status(status) + note, file=self.out, flush=True)

    def details(self, summary, focus_all):
        """Failing checks: of every selected stage, or (grading all) of the first unfinished."""
        stages = summary["stages"]
        unfinished = [s for s in stages if s["status"] != "passed"]
        if not unfinished:
            print(self.paint("\nAll selected stages pass. Well done!", "32"), file=self.out)
            return
        shown = unfinished if focus_all else unfinished[:1]
        for stage in shown:
            self.stage_details(stage, summary)
        if not focus_all:
            print(f"\nNext: python grader.py {unfinished[0]['name']}", file=self.out)

    def stage_details(self, stage, summary):
        print(self.paint(f"\n{stage['name']}: {stage['title']} - {stage['status']}", "1"),
              file=self.out)
        if stage["blame"]:
            print(f"  ({stage['blame']} fails too: fix it first, this may follow from it)",
                  file=self.out)
        if stage["status"] == "not started":
            files = next(s.files for s in STAGES if s.name == stage["name"])
            first = stage["checks"][0]["message"] if stage["checks"] else ""
            print(f"  Not started yet. Open {' and '.join(files)} in {summary['target']} and "
                  f"replace the stubs of this stage.\n  The first stub reached says: {first}",
                  file=self.out)
            return
        for names, status, message, diagnosis in group_same_failures(stage["checks"]):
            mark = self.paint.status("x " + status)
            print(f"\n  {mark}  {', '.join(names)}", file=self.out)
            print(indent(message, "    "), file=self.out)
            if diagnosis:
                cause = self.paint(f"Likely cause: {diagnosis['name']}.", "1")
                print(indent(f"{cause} {diagnosis['hint']}", "    "), file=self.out)
        if any(c["status"] == "failed" for c in stage["checks"]) and \
                stage["name"] in SEEDED_STAGES:
            print(f"\n  Random graphs and weights came from seed {summary['seed']}: "
                  f"python grader.py {stage['name']} --seed {summary['seed']} repeats them.",
                  file=self.out)


def group_same_failures(checks):
    """Checks that failed with the very same message (an import error, say) are shown once."""
    groups = []
    for check in checks:
        if check["status"] == "passed":
            continue
        key = (check["status"], check["message"], check.get("diagnosis"))
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


def print_json(summary, stream=sys.stdout):
    stream.write(json.dumps(summary, indent=2) + "\n")
