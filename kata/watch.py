"""`python grader.py watch [stageN]`: grade the stage the learner is on each time they save.

One process for the whole session, so torch and the checks are imported once; each grading
still snapshots the files as they are and runs them in fresh children (kata.client), so an
endless loop, a crash or sys.exit in the learner's code ends that grading, never watch.

Saves are seen by polling the stage files' contents (a hash, not mtime: two saves within a
second, of the same size, still differ), which works where file events do not: WSL drives,
network folders, editors that save by renaming a new file over the old one.
"""
import contextlib
import hashlib
import os
import sys
import time
import traceback

from . import client, progress, terminal
from .hints import hint
from .report import command
from .stages import BY_NAME, CHALLENGES, STAGES

POLL_SECONDS = 0.1  # a save is seen within this; reading 7 small files costs far less
STAGE_FILES = sorted({f for s in STAGES + CHALLENGES for f in s.files})


def fingerprint(target):
    """What the stage files hold now: {name: sha256 or None when missing}; a notebook's or
    script's own content when `target` is one."""
    seen = {}
    notebook = os.path.isfile(target)
    for name in [os.path.basename(target)] if notebook else STAGE_FILES:
        try:
            with open(target if notebook else os.path.join(target, name), "rb") as f:
                seen[name] = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            seen[name] = None
    return seen


class Watch:
    def __init__(self, args, out=None, keys_from=None):
        self.args = args
        self.out = out or sys.stdout
        self.keys_from = keys_from or sys.stdin
        self.hint_level = 1
        self.passed = False
        # watching a challenge: `l` lists (and grades) the challenges too
        self.challenges = bool(args.focus_all) and BY_NAME[args.selected[0]].optional

    def say(self, text=""):
        print(text, file=self.out, flush=True)

    def grade(self, stage):
        """Grade one stage with the usual report; True when it passes."""
        import grader
        argv = [stage, "--target", self.args.target, "--seed", str(self.args.seed),
                "--timeout", str(self.args.timeout)] + (["--verbose"] if self.args.verbose else [])
        stage_args = grader.parse(argv)
        stage_args.shown = self.args.shown
        stage_args.in_watch = True  # watch says what comes after a pass itself
        saved = sys.stdout
        try:
            sys.stdout = self.out
            return grader.grade(stage_args) == grader.EXIT_PASSED
        except KeyboardInterrupt:
            raise
        except Exception:  # a bug of the grader's: say so, and keep watching
            self.say("grader.py: the grader itself failed (a bug in the grader, not in your "
                     "code; please report it). Watch goes on.\n" + traceback.format_exc())
            return False
        finally:
            sys.stdout = saved

    def first_unfinished(self):
        from . import notebook
        # a notebook: its definitions as they are now
        taken = notebook.taken_out(self.args) if getattr(self.args, "source", None) else \
            contextlib.nullcontext(self.args)
        try:
            with taken as args:
                states, _ = progress.statuses(args.target, args.shown, args.seed,
                                              args.timeout, everything=self.challenges)
        except notebook.NotebookError:  # grading says why, and waits for a save
            return STAGES[0].name, []
        return progress.first_unfinished(states), states

    def run(self):
        stage = self.args.selected[0] if self.args.focus_all else None
        moved_on_to = None  # the stage a pass moved on to: its first grading keeps the pass
        try:
            with terminal.keys(self.keys_from) as pressed:
                while True:
                    if stage is None:
                        self.say("watch: grading every stage to find where you are ...")
                        stage, _ = self.first_unfinished()
                        if stage is None:
                            self.say("\nEvery stage passes. Well done! (watch has nothing "
                                     "left to watch. The optional challenges: "
                                     + command("list --all", self.args.shown) + " says where "
                                     "each stands; watch one with "
                                     + command(f"watch {CHALLENGES[0].name}", self.args.shown)
                                     + ")")
                            return 0
                    stage = self.round(stage, pressed, clear=stage != moved_on_to)
                    moved_on_to = stage
                    if stage == "quit":
                        return 0 if self.passed else 1
        except KeyboardInterrupt:
            client.STOP.clear()  # handled here: the stop was asked for, and it is done
            self.say("\nwatch: stopped.")
            return 0 if self.passed else 1

    def round(self, stage, pressed, clear=True):
        """Grade `stage` now and again on every save until it passes or the learner quits;
        returns the stage to watch next (None: find it), or "quit". `clear=False` keeps the
        screen for the first grading: the last stage's pass stays in sight above it."""
        self.hint_level = 1
        while True:
            seen = fingerprint(self.args.target)
            if clear:
                terminal.clear(self.out)
            clear = True
            self.say(f"watch: {stage} ({BY_NAME[stage].title}), graded at "
                     f"{time.strftime('%H:%M:%S')}")
            self.passed = self.grade(stage)
            if self.passed:
                # the next stage, or after a challenge the next challenge
                group = CHALLENGES if BY_NAME[stage].optional else STAGES
                at = group.index(BY_NAME[stage])
                nxt = group[at + 1].name if at + 1 < len(group) else None
                if nxt is None and group is CHALLENGES:
                    self.say(f"\n{stage} passes, and it was the last challenge. Well done!")
                    return "quit"
                self.say(f"\n{stage} passes. " + (f"On to {nxt} ...\n" if nxt else
                                                  "Checking every stage ...\n"))
                return nxt
            files = self.args.shown if getattr(self.args, "source", None) else \
                " and ".join(BY_NAME[stage].files) + " (or any file of yours)"
            self.say(f"\nwatch: save {files} to grade {stage} again.  "
                     "Keys: h hint, l list, q quit.")
            answer = self.wait(stage, seen, pressed)
            if answer == "quit":
                return "quit"

    def wait(self, stage, seen, pressed):
        """Until the files change ("changed") or the learner quits ("quit")."""
        while True:
            while not pressed.empty():
                key = pressed.get()
                if key == "q":
                    return "quit"
                if key == "h":
                    text, nxt = hint(stage, self.hint_level)
                    self.say("\n" + text)
                    self.hint_level = nxt or self.hint_level
                if key == "l":
                    self.say("\nwatch: grading every stage ...")
                    _, states = self.first_unfinished()
                    progress.print_list(states, self.out, self.args.shown, self.challenges)
            if fingerprint(self.args.target) != seen:
                time.sleep(POLL_SECONDS)  # an editor may write a file in pieces
                return "changed"
            time.sleep(POLL_SECONDS)


def run(args):
    return Watch(args).run()
