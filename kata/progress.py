"""Where a learner stands: every stage graded quietly, then one line each (`list`)."""
from . import report, runner
from .places import from_notebook
from .stages import MODULE_STAGE, NAME_STAGE, STAGES


def statuses(target, shown, seed, timeout):
    """{stage name: status} of every stage, graded now (with blame isolation's notes)."""
    names = [s.name for s in STAGES]
    checks, findings = runner.grade(target, shown, names, seed, timeout)
    summary = report.summarise(shown, names, checks, seed, findings)
    return {s["name"]: s["status"] for s in summary["stages"]}, summary


def first_unfinished(states):
    return next((name for name, status in states.items() if status != "passed"), None)


def print_list(states, out, target=None):
    """The stages with their files, titles and statuses, and a progress line (its commands
    with --target when `target`, as messages name it, is not exercises/)."""
    paint = report.Painter(out)
    columns = "  {:<8} {:<28} {:<22} {}"
    notebook = bool(target) and from_notebook(target)  # no files there: what it defines
    print(paint(columns.format("stage", "title", "defines" if notebook else "files",
                               "status"), "1"), file=out)
    for stage in STAGES:
        status = states[stage.name]
        names = [n.split(".")[1] for n, number in NAME_STAGE.items()
                 if number == stage.number and n.split(".")[0] in MODULE_STAGE] or [stage.thing]
        what = ", ".join(names)
        if len(what) > 22:  # the column's width
            what = f"{names[-1]} and {len(names) - 1} more"
        print(columns.format(stage.name, stage.title,
                             what if notebook else ", ".join(stage.files), "")
              + paint.status(status), file=out)
    done = sum(status == "passed" for status in states.values())
    line = f"\n{done}/{len(STAGES)} stages passed."
    nxt = first_unfinished(states)
    if nxt:
        line += f" Next: {report.command(nxt, target)}  (or " \
            f"{report.command('watch', target)})"
    print(line, file=out)
    return done == len(STAGES)
