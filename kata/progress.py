"""Where a learner stands: every stage graded quietly, then one line each (`list`)."""
from . import report, runner
from .places import from_notebook
from .stages import BY_NAME, CHALLENGES, MODULE_STAGE, NAME_STAGE, STAGES


def statuses(target, shown, seed, timeout, everything=False):
    """{stage name: status} of every stage, graded now (with blame isolation's notes); the
    optional challenges too with `everything` (their big graphs take seconds: only when
    asked for)."""
    names = [s.name for s in STAGES] + ([s.name for s in CHALLENGES] if everything else [])
    checks, findings = runner.grade(target, shown, names, seed, timeout)
    summary = report.summarise(shown, names, checks, seed, findings)
    return {s["name"]: s["status"] for s in summary["stages"]}, summary


def first_unfinished(states):
    """The first stage not passed, or None: `states` list the core stages first, so a
    challenge comes up only once every core stage passes."""
    return next((name for name, status in states.items() if status != "passed"), None)


def print_list(states, out, target=None, everything=False):
    """The stages with their files, titles and statuses, and a progress line (its commands
    with --target when `target`, as messages name it, is not exercises/). True when every
    core stage passes (with `everything`: every challenge too)."""
    paint = report.Painter(out)
    columns = "  {:<10} {:<28} {:<22} {}"
    notebook = bool(target) and from_notebook(target)  # no files there: what it defines
    print(paint(columns.format("stage", "title", "defines" if notebook else "files",
                               "status"), "1"), file=out)
    for stage in STAGES + CHALLENGES:
        if stage is CHALLENGES[0]:
            print(paint("  optional challenges (graded when named, or with --all):", "2"),
                  file=out)
        names = [n.split(".")[1] for n, number in NAME_STAGE.items()
                 if number == stage.number and n.split(".")[0] in MODULE_STAGE] or [stage.thing]
        what = ", ".join(names)
        if len(what) > 22:  # the column's width
            what = f"{names[-1]} and {len(names) - 1} more"
        status = paint.status(states[stage.name]) if stage.name in states else \
            paint("not graded (list --all)", "2")
        print(columns.format(stage.name, stage.title,
                             what if notebook else ", ".join(stage.files), "") + status,
              file=out)
    done = sum(states.get(s.name) == "passed" for s in STAGES)
    line = f"\n{done}/{len(STAGES)} stages passed."
    challenges = [s.name for s in CHALLENGES if s.name in states]
    if challenges:
        line += f" Optional: {sum(states[n] == 'passed' for n in challenges)}/" \
            f"{len(CHALLENGES)} challenges passed."
    nxt = first_unfinished(states)
    if nxt:
        watch = f"watch {nxt}" if BY_NAME[nxt].optional else "watch"
        line += f" Next: {report.command(nxt, target)}  (or " \
            f"{report.command(watch, target)})"
    elif not challenges:
        line += " That is the kata. Optional challenges, when you want more: " \
            f"{report.command(CHALLENGES[0].name, target)}, or " \
            f"{report.command('list --all', target)} for where each stands."
    print(line, file=out)
    return all(states.get(s.name) == "passed" for s in STAGES) and \
        (not everything or all(states.get(n) == "passed" for n in challenges))
