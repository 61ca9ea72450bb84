#!/usr/bin/env python3
"""Grade the autograd kata: your code in exercises/ against PyTorch autograd.

    python grader.py                 grade every stage, show a table and what to do next
    python grader.py stage3          grade one stage (also `3`) and show every failing check
    python grader.py challenge1      an optional challenge, once stage 7 is done (--all: every
                                     stage and every challenge)
    python grader.py --target DIR    grade another folder with the same files (e.g. solutions)
    python grader.py --target my.ipynb   grade a notebook (or a script, my.py) holding the kata
    python grader.py demo            train the lecture's network with your code, watch the loss
    python grader.py hint stage3     a hint for stage 3; `hint stage3 2` the next one
    python grader.py watch           grade the stage you are on each time you save
    python grader.py list            every stage and its status
    python grader.py reset stage4    put back a stage's stub (your file is backed up first)
    python grader.py graph stage3    draw the first failing check's graph beside torch's
    python grader.py stage3 --course grade as a course does (the policy, the sandbox)
    python grader.py --target SUB --gradescope results.json    a course's results file
    python grader.py batch SUBMISSIONS --out DIR    grade a whole class: grades.csv,
                                     feedback for each student, a class report
"""
import argparse
import os
import signal
import sys

from kata.stages import ALL_STAGES, CHALLENGES, STAGES, course_stages, extra_seconds, \
    stage_by_name

ROOT = os.path.dirname(os.path.abspath(__file__))
# exercises/ beside grader.py in a checkout; in the current folder once pip-installed
DEFAULT_TARGET = os.path.join(ROOT, "exercises") if os.path.isdir(
    os.path.join(ROOT, "exercises")) else "exercises"
NOTEBOOK_SUFFIXES = (".ipynb", ".py")
DEFAULT_SEED = 20240917
DEFAULT_BUDGET = 20.0  # seconds of learner code per grading, all stages together
EXIT_PASSED, EXIT_NOT_PASSED, EXIT_USAGE, EXIT_GRADER_BUG = 0, 1, 2, 3

COMMANDS = {"demo": "train the lecture's MLP(3, [4, 4, 1]) with your code and show the loss "
                    "(options --steps, --lr, --target, --seed; a PNG beside torch's in "
                    "kata-output/plots/ when matplotlib is installed)",
            "hint": "hint STAGE [N]: the N-th hint for a stage (1 = a nudge ... 3 = nearly "
                    "the answer)",
            "watch": "watch [STAGE]: grade the stage you are on each time you save a file; "
                     "keys h (hint), l (list), q (quit); moves on when the stage passes",
            "list": "every stage with its files, title and status, and how many pass",
            "graph": "graph [STAGE]: draw what the first failing check saw, each number "
                     "beside torch's (a .dot in kata-output/graphs/, an .svg with Graphviz)",
            "reset": "reset STAGE|FILE [--yes]: put back the stub of a stage's files (or of "
                     "one file), after saving yours to kata-output/backups/",
            "policy": "check your files against the course policy (allowed imports, denied "
                      "names); option --target",
            "batch": "instructors: batch SUBMISSIONS --out DIR [--jobs N] [--resume]: grade "
                     "every entry of SUBMISSIONS (a folder, .zip, .ipynb or .py per student) "
                     "in course mode, several at a time; writes DIR/grades.csv, "
                     "DIR/feedback/STUDENT.txt and DIR/report.html (what the class got "
                     "wrong)",
            "bundle": "instructors: --out autograder.zip, the Gradescope autograder bundle",
            "classroom": "instructors: --out DIR, the GitHub Classroom workflow "
                         "(DIR/.github/workflows/classroom.yml)",
            "release": "instructors: --out DIR, the student starter kit (no solutions, no "
                       "self-tests)"}
INSTRUCTOR_COMMANDS = ("bundle", "classroom", "release")  # they pack the project's files
STAGE_LIST = "\n".join(f"  {s.name:<10} {s.title:<28} {', '.join(s.files)}" for s in STAGES)
CHALLENGE_LIST = "\n".join(f"  {s.name:<10} {s.title:<28} {', '.join(s.files)}"
                           for s in CHALLENGES)
EPILOG = f"""stages:
{STAGE_LIST}

optional challenges (graded only when named, or with --all; a plain run leaves them out):
{CHALLENGE_LIST}

commands:
""" + "\n".join(f"  {name:<10} {text}" for name, text in COMMANDS.items()) + f"""

exit codes: 0 every selected stage passed; 1 one did not; 2 usage error;
3 the grader itself failed (a bug in the grader, not in your code: please report it).
watch ends with its last grading's code; reset with 0 (done), 1 (you said no), 2;
batch with 0 when every submission got a grade (passing or not), 1 when one could not be
graded (it says which; --resume grades it again), 2, 3.
Files the grader writes (backups, pictures) go to kata-output/; it never writes yours,
except reset, after its backup.
Colour is used on a terminal only; set NO_COLOR to turn it off."""


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, as promised in --help
        sys.stderr.write(f"grader.py: {message} (see python grader.py --help)\n")
        sys.exit(EXIT_USAGE)


def parse(argv):
    parser = Parser(prog="python grader.py", description=__doc__.split("\n")[0],
                    epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stages", nargs="*", metavar="STAGE",
                        help="stages to grade: stage0 ... stage7 or 0 ... 7 (default: all of "
                             "them), challenge1 ... challenge4; or a command (see below)")
    parser.add_argument("--all", action="store_true", dest="everything",
                        help="grade the optional challenges too (list: show their status)")
    parser.add_argument("--target", default=DEFAULT_TARGET, metavar="PATH",
                        help="what to grade: a folder (default: exercises/), a notebook "
                             "(.ipynb) or a script (.py) holding the whole kata")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object on stdout and nothing else")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seed of the random graphs (default {DEFAULT_SEED})")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                        help="time one run of your code may take before it counts as stuck "
                             "(default 5)")
    parser.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                        help="time the whole grading may spend running your code; past it "
                             "the checks left are not run and say so (default: 20, or 4 "
                             "times --timeout when that is more, plus what the challenges "
                             "graded need for their big graphs; 0: no limit)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="show everything: passed checks, every line your code printed, "
                             "every frame of your code in a traceback")
    parser.add_argument("--steps", type=int, default=30, help="demo: training steps (30)")
    parser.add_argument("--lr", type=float, default=0.05, help="demo: learning rate (0.05)")
    parser.add_argument("--course", action="store_true",
                        help="grade as a course does: the course policy, the sandbox, the "
                             "fixed seed (what GitHub Classroom runs)")
    parser.add_argument("--gradescope", metavar="OUT.json",
                        help="course mode, and write a Gradescope results file; --target may "
                             "be a folder or a .zip (exit 0 once the file is written)")
    parser.add_argument("--out", metavar="PATH",
                        help="batch, bundle, classroom, release: where to write")
    parser.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="batch: submissions graded at once (default: one per core)")
    parser.add_argument("--resume", action="store_true",
                        help="batch: keep the grades of submissions unchanged since the last "
                             "batch into the same --out (same grader, time limits and points)")
    parser.add_argument("--yes", "-y", action="store_true",
                        help="reset: do not ask before replacing a file (it is still backed up)")
    args = parser.parse_args(argv)
    if args.timeout <= 0 or (args.budget is not None and args.budget < 0):
        parser.error("--timeout takes a number of seconds above 0, --budget one of 0 (no "
                     "limit) or more")
    budget_given = args.budget is not None
    if args.budget is None:  # a hanging submission costs this much, not minutes
        args.budget = max(DEFAULT_BUDGET, 4 * args.timeout)
    args.command = None
    args.course = args.course or bool(args.gradescope)
    if args.stages and args.stages[0] in COMMANDS:
        args.command, args.stages = args.stages[0], args.stages[1:]
        if args.json:
            parser.error(f"--json is for grading; '{args.command}' prints text only")
        if args.course:
            parser.error(f"--course and --gradescope are for grading, not '{args.command}'")
        if args.everything and args.command != "list":
            parser.error(f"--all is for grading and list, not '{args.command}'")
        if args.command in ("demo", "policy", "list", *INSTRUCTOR_COMMANDS) and args.stages:
            parser.error(f"'{args.command}' takes no stage")
        if args.command in ("watch", "graph") and len(args.stages) > 1:
            parser.error(f"usage: python grader.py {args.command} [STAGE], e.g. "
                         f"{args.command} stage2")
        if args.command == "reset":
            if len(args.stages) != 1:
                parser.error("usage: python grader.py reset STAGE|FILE, e.g. reset stage4 or "
                             "reset neuron.py")
            args.word, args.stages = args.stages[0], []
        if args.command == "hint":
            args.level = 1
            if len(args.stages) == 2 and args.stages[1].isdigit():
                args.level = int(args.stages.pop())
            if len(args.stages) != 1:
                parser.error("usage: python grader.py hint STAGE [N], e.g. hint stage3")
        if args.command in INSTRUCTOR_COMMANDS:
            if not args.out:
                parser.error(f"usage: python grader.py {args.command} --out PATH")
            return args
        if args.command == "batch":
            if not budget_given:
                args.budget += extra_seconds([s.name for s in course_stages()])
            args.budget = args.budget or None
            return batch_arguments(parser, args)
    elif args.out:
        parser.error("--out is for the batch, bundle, classroom and release commands")
    if args.jobs is not None or args.resume:
        parser.error("--jobs and --resume are for the batch command")
    if args.yes and args.command != "reset":
        parser.error("--yes is for the reset command")
    if args.course and args.seed != DEFAULT_SEED:
        parser.error("course mode grades everyone on the same seed: leave out --seed")
    if args.gradescope and args.json:
        parser.error("--gradescope writes its own results file: leave out --json")
    selected = []
    for word in args.stages:
        stage = stage_by_name(word)
        if stage is None:
            parser.error(f"unknown stage '{word}': choose stage0 ... stage{len(STAGES) - 1} "
                         f"or challenge1 ... challenge{len(CHALLENGES)}")
        if stage.name not in selected:
            selected.append(stage.name)
    if selected and args.everything:
        parser.error("--all grades every stage and challenge: leave out the stage names")
    order = [s.name for s in ALL_STAGES]
    # A plain run grades the core stages (a course: those its points table counts); the
    # challenges only when named or with --all, so they never count against stopping at 7.
    default = [s.name for s in (ALL_STAGES if args.everything else
                                course_stages() if args.course else STAGES)]
    args.selected = sorted(selected, key=order.index) or default
    args.focus_all = bool(selected)
    if not budget_given:  # the challenges' checks have time limits of their own
        args.budget += extra_seconds(args.selected)
    args.budget = args.budget or None
    if args.gradescope:
        # A course submission may be a zip, an empty folder or a sub-folder: the grader
        # finds the files itself and grades what is there (missing files: not started).
        if not os.path.exists(args.target):
            parser.error(f"no submission '{args.target}' to grade")
        args.shown = shown_path(args.target)
        args.target = os.path.abspath(args.target)
        return args
    args.source = None
    if os.path.isfile(args.target) and args.target.lower().endswith(NOTEBOOK_SUFFIXES):
        # A notebook or a script: the kata's definitions are taken out of it for each
        # grading (kata.notebook), into a folder of the grader's own.
        if args.command == "reset":
            parser.error("reset puts back the stubs of exercises/; it never changes a "
                         "notebook or a script: undo there with your editor")
        args.shown = shown_path(args.target)
        args.source = args.target = os.path.abspath(args.target)
        return args
    if not os.path.isdir(args.target):
        if args.target.endswith(".zip") and os.path.isfile(args.target):
            parser.error(f"'{args.target}' is a zip: --gradescope OUT.json grades zips; "
                         "otherwise unpack it first")
        if os.path.isfile(args.target):
            parser.error(f"'{args.target}' is a file: --target takes a folder, a notebook "
                         "(.ipynb) or a script (.py)")
        parser.error(f"no folder '{args.target}' to grade" + (
            " (give --target your folder, notebook or script)"
            if args.target == DEFAULT_TARGET else ""))
    if not any(f.endswith(".py") for f in os.listdir(args.target)):
        parser.error(f"'{args.target}' has no .py files: is it the right folder?")
    args.shown = shown_path(args.target)
    args.target = os.path.abspath(args.target)
    return args


def batch_arguments(parser, args):
    """`batch SUBMISSIONS --out DIR`: every student in course mode, so no seed or target."""
    if len(args.stages) != 1 or not args.out:
        parser.error("usage: python grader.py batch SUBMISSIONS --out DIR [--jobs N] "
                     "[--resume], e.g. batch downloads/ --out grades/")
    if args.seed != DEFAULT_SEED:
        parser.error("batch grades everyone on the same seed: leave out --seed")
    if args.target != DEFAULT_TARGET:
        parser.error("batch grades each entry of SUBMISSIONS: leave out --target")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs takes a number of at least 1")
    args.submissions = args.stages[0]
    if args.jobs is None:
        args.jobs = cores()
    return args


def cores():
    """The cores this process may use (a container's or a CPU affinity's limit counts)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def shown_path(path):
    """How to name the target in messages: relative when it is below the current folder."""
    relative = os.path.relpath(os.path.abspath(path))
    return os.path.abspath(path) if relative.startswith("..") else relative


def ask(question):
    """y/N on a terminal; anything but a yes (or no terminal to ask on) is a no."""
    if not sys.stdin.isatty():
        sys.stdout.write(question + "no (stdin is not a terminal: add --yes to reset "
                         "anyway)\n")
        return False
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def stop_on_signal(signum, frame):
    """Ctrl-C, SIGTERM or SIGHUP: stop, killing the children and removing temp folders (a
    copy of the learner's files is in each). The flag
    makes it stick: should a library swallow the KeyboardInterrupt, the next wait for the
    child raises it again (kata.client), and main() still says it was interrupted."""
    from kata import client
    client.STOP.set()
    raise KeyboardInterrupt


def main(argv=None):
    from kata import client
    client.STOP.clear()  # a warm session runs main() again and again
    signal.signal(signal.SIGTERM, stop_on_signal)  # e.g. a CI time limit
    if hasattr(signal, "SIGHUP"):  # the terminal running watch was closed: clean up too
        signal.signal(signal.SIGHUP, stop_on_signal)
    signal.signal(signal.SIGINT, stop_on_signal)
    try:
        code = grade(parse(sys.argv[1:] if argv is None else argv))
        if client.STOP.is_set():
            raise KeyboardInterrupt  # the interrupt was swallowed on its way up
        return code
    except BrokenPipeError:  # `python grader.py | head`: the reader left; that is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_NOT_PASSED
    except KeyboardInterrupt:
        sys.stderr.write("grader.py: interrupted\n")
        return EXIT_NOT_PASSED
    except Exception:  # never a bare traceback without saying whose fault it is
        import traceback
        sys.stderr.write("grader.py: the grader itself failed; this is a bug in the grader, "
                         "not in your code. Please report it with this text:\n")
        traceback.print_exc()
        return EXIT_GRADER_BUG


def grade(args):
    """Run the command or the grading `args` ask for; an exit code."""
    if getattr(args, "source", None) and not args.course \
            and args.command not in ("hint", "watch"):  # watch takes it out at every save
        from kata import notebook
        try:
            with notebook.taken_out(args):
                return grade_folder(args)
        except notebook.NotebookError as problem:
            sys.stderr.write(f"grader.py: {problem}\n")
            return EXIT_USAGE
    return grade_folder(args)


def grade_folder(args):
    if args.command in INSTRUCTOR_COMMANDS:
        from kata import packaging, paths
        if paths.INSTALLED:
            sys.stderr.write(f"grader.py: '{args.command}' packs the project's own files: "
                             "run it from a checkout of the repository\n")
            return EXIT_USAGE
        try:
            print(getattr(packaging, args.command)(args.out))
        except ValueError as problem:  # e.g. the folder exists and is not empty
            sys.stderr.write(f"grader.py: {problem}\n")
            return EXIT_USAGE
        return EXIT_PASSED
    if args.command == "batch":
        from kata import batch, paths
        if paths.INSTALLED:
            sys.stderr.write("grader.py: 'batch' is for instructors: run it from a checkout "
                             "of the repository\n")
            return EXIT_USAGE
        return batch.run(args)
    if args.command == "policy":
        from kata import policy
        text, ok = policy.policy_report(args.target)
        print(text)
        return EXIT_PASSED if ok else EXIT_NOT_PASSED
    if args.gradescope:
        from kata import course
        course.run_gradescope(args.target, args.selected, args.timeout, args.seed,
                              args.gradescope, args.budget)
        return EXIT_PASSED
    if args.command == "hint":
        from kata.hints import hint
        text, nxt = hint(args.selected[0], args.level)
        print(text)
        if nxt:
            print(f"\nStill stuck? python grader.py hint {args.selected[0]} {nxt}")
        return EXIT_PASSED
    if args.command == "reset":
        from kata.workspace import reset
        return reset(args.target, args.word, lambda question: args.yes or ask(question),
                     sys.stdout)
    if args.command == "list":
        from kata import progress
        states, _ = progress.statuses(args.target, args.shown, args.seed, args.timeout,
                                      args.everything)
        return EXIT_PASSED if progress.print_list(states, sys.stdout, args.shown,
                                                  args.everything) else EXIT_NOT_PASSED
    if args.command == "watch":
        from kata import watch
        return watch.run(args)
    if args.command == "graph":
        from kata import pictures
        return pictures.run(args, sys.stdout)
    if args.command == "demo":
        from kata import demo
        return demo.run(args.target, args.shown, args.seed, args.steps, args.lr, args.timeout,
                        sys.stdout)
    if not args.course:
        from kata import client
        client.head_start(args.target, args.shown, args.timeout)
    from kata import report, runner

    text = None if args.json else report.TextReport(
        sys.stdout, verbose=args.verbose, quiet_pass=getattr(args, "in_watch", False))
    found = getattr(args, "notebook", None)
    notes = found.told(args.shown) if found else []
    if text:
        text.header(args.shown, notes)
    if args.course:
        from kata import course
        summary, isolation, notes, _ = course.grade(args.target, args.selected, args.timeout,
                                                    args.seed, budget=args.budget)
        for line in notes:
            sys.stderr.write(f"grader.py: {line}\n")
        if isolation["warnings"]:
            # A student checking themselves needs one line, not the instructor's details.
            sys.stderr.write("grader.py: note: this machine could not fully sandbox your code "
                             "(" + "; ".join(isolation["layers"]) + "). The grade is the "
                             "same; only a course's grading machine needs the sandbox.\n")
        if text:
            for stage in summary["stages"]:
                text.row(stage["name"], stage["checks"])
    else:
        try:
            checks, findings = runner.grade(args.target, args.shown, args.selected, args.seed,
                                            args.timeout, verbose=args.verbose,
                                            budget=args.budget,
                                            on_stage_done=text.row if text else None)
        finally:
            client.drop_head_start()
        summary = report.summarise(args.shown, args.selected, checks, args.seed, findings)
    if found:
        summary["notes"] = notes
    if args.json:
        report.print_json(summary)
    else:
        text.details(summary, args.focus_all)
        if not args.course:
            draw_loss_curves(checks, findings)
    passed = all(s["status"] == "passed" for s in summary["stages"])
    return EXIT_PASSED if passed else EXIT_NOT_PASSED


def draw_loss_curves(checks_by_stage, findings):
    """The longest failed training run's losses beside torch's, as a PNG when matplotlib is
    there (a one-step run is a dot, not a curve); not while an earlier stage fails
    (`findings`): that is the one to fix first, and matplotlib costs a second to load."""
    from kata import plots

    def steps(check):
        return len((check.get("picture") or {}).get("losses", {}).get("yours", ()))
    for stage, checks in checks_by_stage.items():
        runs = [c for c in checks if c["status"] == "failed" and steps(c) > 1]
        if runs and stage not in findings:
            check = max(runs, key=steps)
            losses = check["picture"]["losses"]
            print("\n" + plots.loss_curve(
                f"{stage}-{check['name']}", f"{stage}, check {check['name']}: your loss beside "
                "torch's\nthe two lines should be one (lower than torch is not better)",
                losses["yours"], losses["torch"], clear=f"{stage}-"))


def check(*stages, timeout=5.0, verbose=False):
    """In a notebook: `from grader import check; check("stage2")` grades the code this
    kernel has run so far (every stage when none is named) and shows the result."""
    from kata.kernel import check as check_kernel
    return check_kernel(*stages, timeout=timeout, verbose=verbose)


def hint(stage, level=1):
    """In a notebook: `hint("stage3")`, then `hint("stage3", 2)` for the next one."""
    from kata.hints import hint as stage_hint
    found = stage_by_name(str(stage))
    if found is None:
        print(f"No stage '{stage}': choose stage0 ... stage{len(STAGES) - 1} or challenge1 "
              f"... challenge{len(CHALLENGES)}")
        return
    text, nxt = stage_hint(found.name, level)
    print(text + (f'\n\nStill stuck? hint("{found.name}", {nxt})' if nxt else ""))


if __name__ == "__main__":
    sys.exit(main())
