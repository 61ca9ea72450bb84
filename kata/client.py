"""The grader's end of the channel to the child process that runs learner code.

A probe either comes back as a reply, or the child is killed (time limit) or dies on its
own (os._exit, a crash from runaway recursion); then the next probe gets a fresh child.
A module that hung or killed the child while being imported is remembered as "poisoned",
so later children refuse to import it instead of paying the same price again.
"""
import atexit
import collections
import json
import os
import queue
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from . import processes, sandbox
from .learner import PACKAGE, learner_files
from .places import SOURCES_FILE, Sources, at, locate
from .schema import check_event, unusable_reply
from .stages import stub_owner

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child.py")
STUB = re.compile(r"""NotImplementedError\(\s*[rfbu]?["'](stage|challenge)\s*(\d)""", re.I)


def stub_counts(folder):
    """{stage number: how many of its stubs (NotImplementedError("stage 3: ...")) the
    folder's top-level .py files still hold}."""
    counts = collections.Counter()
    for name in learner_files(folder):
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
            counts.update(stub_owner(word, n) for word, n in STUB.findall(f.read()))
    counts.pop(None, None)
    return counts


PRISTINE = []  # stub_counts of the stubs a learner starts from, once


def untouched(stage_number, counts):
    """True when every stub of the stage is still there: the learner has not begun it
    (checks that run none of its own code ask, to say "not started" rather than judge
    earlier stages' code again)."""
    if not PRISTINE:
        from .paths import STUBS
        PRISTINE.append(stub_counts(STUBS))
    return 0 < PRISTINE[0][stage_number] <= counts[stage_number]


def snapshot(target):
    """Copy the target's top-level .py files into a fresh package; return (dir, {stage
    number: stubs of it left})."""
    root = tempfile.mkdtemp(prefix="kata-")
    package = os.path.join(root, PACKAGE)
    os.mkdir(package)
    for name in learner_files(target):
        shutil.copyfile(os.path.join(target, name), os.path.join(package, name))
    stubs = stub_counts(package)  # what was copied, not what the folder holds by now
    open(os.path.join(package, "__init__.py"), "w").close()
    if os.path.isfile(os.path.join(target, SOURCES_FILE)):  # taken out of a notebook
        shutil.copyfile(os.path.join(target, SOURCES_FILE), os.path.join(root, SOURCES_FILE))
    return root, stubs


STACK_LINE = re.compile(r'File "(.+?)", line (\d+) in (\S+)')  # faulthandler's format
GARBLED = ("the grader could not read what your code sent back: does it write to a file "
           "descriptor it did not open (os.write to 3, 4, ...)?")
LIVE = set()  # every Child not closed yet: closed at exit, however the grader ends
STOP = threading.Event()  # set by grader.py on Ctrl-C or SIGTERM: no more waiting for children
WAIT_STEP = 0.25  # seconds between looks at STOP while a child works
SANDBOX_REPORTS = []  # course mode: what each child's sandbox reported when it started
# How often learner code ran out of time ("timeout"), since the last reset: batch
# grading's status column (one grading at a time per process).
TROUBLE = collections.Counter()
# A grading's total time budget (kata.runner sets it): {"end": monotonic time, "seconds"}.
# Past it no probe runs: one hanging submission costs seconds, not every stage's timeouts.
BUDGET = {"end": None, "seconds": None}


COMPILED = []  # once per process: compile_child_modules
LAUNCHERS = {}  # a warm grader's launchers (kata.launcher), by interpreter flags
USE_LAUNCHERS = []  # set by a warm grader (kata.session.warm_up): many children to come


def launched(command, cwd, env, stderr):
    """The child `command` would start, forked by a launcher, or None (no warm grader, no
    launcher on this platform, or it failed: then the caller starts it the usual way)."""
    from . import launcher
    if not USE_LAUNCHERS or not launcher.AVAILABLE or not processes.POSIX:
        return None
    at = command.index(CHILD)
    flags, args = tuple(command[1:at]), command[at + 1:]
    if flags not in LAUNCHERS:
        LAUNCHERS[flags] = launcher.Launcher(flags)
    try:
        return LAUNCHERS[flags].spawn(args, cwd, dict(os.environ) if env is None else env,
                                      stderr)
    except OSError:
        LAUNCHERS.pop(flags).close()  # the next child starts a new one
        return None


def compile_child_modules():
    """Write the bytecode of the modules every child imports (kata/), once. A child runs
    with -B, so that learner snapshots get no __pycache__; so it never caches them itself,
    and with PYTHONDONTWRITEBYTECODE set neither does the grader: each child then compiled
    them from source, 60 ms of its 110 ms start. (pip compiles them at install; a folder
    that cannot be written is left as it is.)"""
    if not COMPILED:
        COMPILED.append(True)
        import compileall
        compileall.compile_dir(os.path.dirname(CHILD), maxlevels=0, quiet=2)


def budget_left():
    """Seconds left of the grading's time budget (None: no budget)."""
    return None if BUDGET["end"] is None else BUDGET["end"] - time.monotonic()


def budget_spent():
    TROUBLE["timeout"] += 1
    return {"ok": False, "kind": "timeout", "seconds": BUDGET["seconds"], "budget": True,
            "message": f"not run: this grading's time budget ({BUDGET['seconds']:g} s in all) "
                       "is used up. If code above ran out of time, fix that first; if it is "
                       "only slow, give more time: --budget SECONDS."}


HEAD_START = []  # a Child started before the checks asked for it (head_start)


def head_start(target, shown, timeout):
    """Start the child for `target` now, so that it starts while the grader is still
    loading pytest and torch (another core does it): a cold grading is that much sooner.
    The checks take it with `claim`; the files are copied as they are now."""
    HEAD_START.append(Child(target, shown, timeout))
    HEAD_START[-1].start()


def claim(target, shown, timeout, course):
    """The child `head_start` began for these arguments, or None (once only)."""
    for child in HEAD_START:
        if course is None and (os.path.abspath(child.target), child.shown, child.timeout) == \
                (os.path.abspath(target), shown, timeout):
            HEAD_START.remove(child)
            return child
    return None


def drop_head_start():
    """Close a head start nobody claimed (say, the stages graded did not need it)."""
    while HEAD_START:
        HEAD_START.pop().close()


@atexit.register
def close_all():
    for child in list(LIVE):
        child.close()
    while LAUNCHERS:
        LAUNCHERS.popitem()[1].close()


class Child:
    """Send probes to learner code; get back plain data or a description of what failed."""

    def __init__(self, target, shown=None, timeout=5.0, course=None):
        self.target = target
        self.shown = shown or target
        self.timeout = timeout
        self.course = course  # None (self-study) or {"layers", "protected", "poisoned"}
        self.snapshot, self.stub_stages = snapshot(target)
        self.sources = Sources.load(self.snapshot)  # a notebook's cells, or None
        LIVE.add(self)
        self.poisoned = dict(course.get("poisoned", {})) if course else {}
        self.process = None
        self.sandbox_uid = None
        self.next_id = 0
        # What the checks learned about this code during this grading (probes that timed
        # out, experiments run): kept on the child, so a warm session's next grading, with
        # a new child, starts with none of it.
        self.memo = {}

    # --- lifecycle ---------------------------------------------------------------------

    def start(self):
        compile_child_modules()
        self.errors = tempfile.TemporaryFile()
        # Course mode: no site-packages on the path (-S), none of the grader's environment
        # variables, and what the sandbox is to do as the last argument.
        course = self.course is not None
        command = [sys.executable, "-B", "-I", *(["-S"] if course else []), CHILD,
                   self.snapshot, self.shown, json.dumps(self.poisoned),
                   os.path.basename(os.path.abspath(self.target))]
        if course:
            command.append(json.dumps({"layers": self.course["layers"],
                                       "protected": self.course["protected"]}))
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"} if course else None
        self.process = launched(command, self.snapshot, env, self.errors) or subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
            cwd=self.snapshot, env=env, **processes.group_options())
        self.listen()
        if self.course is not None:
            self.sandbox_uid = sandbox.sandbox_uid(self.process.pid)
            self.read_sandbox_report()

    def listen(self):
        """Start reading the new child's stdout into self.inbox: polled in this thread on
        POSIX (PolledPipe), elsewhere handed over by a thread (pump)."""
        if isinstance(getattr(self, "inbox", None), PolledPipe):
            self.inbox.close()  # the last child's, should it have ended unread
        self.buffer = b""
        # The reader has its own copy of the pipe's descriptor, and closes it at the end.
        # Reading the Popen's number instead raced: once the old Popen was dropped, its
        # number could be the next child's stdout, and an old reader stole its replies.
        own = os.dup(self.process.stdout.fileno())
        if processes.POSIX:  # poll() works on pipes here: no thread to hand chunks over
            self.inbox = PolledPipe(own)
            return
        self.inbox = queue.Queue()  # chunks of the child's stdout; None at its end
        threading.Thread(target=pump, args=(own, self.inbox), daemon=True).start()

    def read_sandbox_report(self):
        """The child's first line in course mode: which fences took hold, and what it could
        still reach. Sent before learner code is loaded, so it is the grader's own."""
        message = self.read_message(time.monotonic() + max(10.0, self.timeout))
        if isinstance(message, dict) and message.get("event") == "sandbox" \
                and check_event(message) is None:
            report = {"layers": message["layers"], "exposed": message["exposed"]}
        else:
            report = {"layers": [], "exposed": [], "error": "the child did not start: " +
                      self.errors_tail(800)}
        SANDBOX_REPORTS.append(report)
        if "uid" not in report["layers"] or "pidns" in report["layers"]:
            # nothing runs under the uid, or a PID namespace ends all of it with the child:
            # reaping (a fork of this big process, 15 ms) would find no one
            self.sandbox_uid = None

    def errors_tail(self, size):
        """The end of what the child wrote on stderr (a crash's traceback, a faulthandler
        dump)."""
        try:
            self.errors.seek(0)
            return self.errors.read()[-size:].decode(errors="replace")
        except (OSError, ValueError):
            return ""

    def stop(self):
        if self.process:
            processes.kill_tree(self.process)  # learner code may have started others
            self.process.wait()
            if isinstance(self.inbox, PolledPipe):
                self.inbox.close()
        self.reap()
        self.process = None

    def reap(self):
        """Course mode: end whatever the child's uid still runs (a setsid daemon escapes
        the process group; a PID namespace, where there is one, has ended it already)."""
        if self.sandbox_uid is not None:
            sandbox.kill_uid(self.sandbox_uid)
            self.sandbox_uid = None

    def close(self):
        self.stop()
        shutil.rmtree(self.snapshot, ignore_errors=True)
        LIVE.discard(self)

    # --- one probe ---------------------------------------------------------------------

    def call(self, probe, limit=None, **args):
        """Run a probe; returns the child's reply: {"ok": True, "result": ...} or a failure.
        `limit`: seconds it may take, when that is more than the timeout (a deep graph)."""
        if STOP.is_set():
            raise KeyboardInterrupt
        left = budget_left()
        if left is not None and left <= 0:
            return budget_spent()
        if self.process is None or self.process.poll() is not None:
            self.start()
        self.next_id += 1
        seconds = max(self.timeout, limit or 0)
        request = json.dumps({"id": self.next_id, "probe": probe, "args": args,
                              "stack_after": processes.stack_timer(seconds)}) + "\n"
        importing, stack = None, []
        self.errors.seek(0, os.SEEK_END)
        self.stack_from = self.errors.tell()  # where a dump of this probe's stack begins
        try:
            self.process.stdin.write(request.encode())
            self.process.stdin.flush()
        except BrokenPipeError:
            return self.died(importing)
        budget_ends_first = left is not None and left < seconds
        deadline = time.monotonic() + (left if budget_ends_first else seconds)
        while True:
            message = self.read_message(deadline)
            if message == "timeout":
                stuck_at = self.where_stuck()
                self.stop()
                if budget_ends_first:
                    return budget_spent()
                return self.timed_out(importing, stuck_at, seconds)
            if message is None:
                return self.died(importing)
            if message == "garbled":
                self.stop()
                return {"ok": False, "kind": "died", "message": GARBLED}
            # A forged or odd reply must not reach the checks: each probe has its schema.
            unusable = unusable_reply(probe, args, message, self.next_id)
            if unusable:
                self.stop()
                return unusable
            if message.get("event") == "importing":
                stack.append(message["module"])
            elif message.get("event") == "imported" and stack:
                stack.pop()
            elif message.get("id") == self.next_id:
                return message
            importing = stack[-1] if stack else None  # the innermost: it is to blame

    def read_message(self, deadline):
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            if STOP.is_set():
                raise KeyboardInterrupt
            try:
                chunk = self.inbox.get(timeout=min(left, WAIT_STEP))
            except queue.Empty:
                continue  # the loop looks at the deadline, and at STOP, again
            if chunk is None:
                self.inbox.put(None)  # the end stays the end for the next read
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            return "garbled"
        well_formed = isinstance(message, dict) and (
            "event" in message or (message.get("ok") is True and "result" in message)
            or (message.get("ok") is False and isinstance(message.get("kind"), str)))
        return message if well_formed else "garbled"

    def where_stuck(self):
        """The learner's frames the child is in right now, outermost first, as text lines
        (the child dumps its stack on SIGUSR1), or None. The innermost frame alone misleads:
        an endless loop in backward() is usually caught inside a _backward it calls."""
        try:
            self.errors.seek(0, os.SEEK_END)
            start = self.errors.tell() if processes.ask_for_stack(self.process) else \
                self.stack_from  # the child's own timer dumped it (portable path)
            package = os.path.join(self.snapshot, PACKAGE) + os.sep
            for _ in range(20):  # the dump takes a moment on a busy machine; wait up to 1 s
                time.sleep(0.05)
                self.errors.seek(start)
                dump = self.errors.read().decode("utf-8", "replace")
                if "child.py" in dump:  # the outermost frame: the dump is complete
                    break
        except (OSError, AttributeError):
            return None
        frames = [(path[len(package):], int(line), func)
                  for path, line, func in reversed(STACK_LINE.findall(dump))  # innermost first
                  if path.startswith(package)]
        return stack_text(frames, self.shown, os.path.join(self.snapshot, PACKAGE),
                          sources=self.sources) or None

    def module_label(self, module):
        """'value.py', or for a notebook 'Value from lecture.ipynb'."""
        return self.sources.module_label(module) if self.sources else f"{module}.py"

    def timed_out(self, importing, stuck_at=None, seconds=None):
        TROUBLE["timeout"] += 1
        seconds = seconds or self.timeout
        where = f"\nIt was still running, outermost call first:\n{stuck_at}" if stuck_at else ""
        if importing:
            why = (f"{self.module_label(importing)} did not finish importing within "
                   f"{self.timeout:g} s: is there an endless loop (or a long computation) at "
                   "the top level of the file?" + where)
            self.poisoned[importing] = why
            return {"ok": False, "kind": "import", "message": why, "module": importing}
        more = f"{max(20, 2 * seconds):g}" if seconds > self.timeout else "20"
        return {"ok": False, "kind": "timeout", "seconds": seconds,
                "message": f"your code did not finish within {seconds:g} s: an endless "
                           "loop, a cycle in _prev, or a lot of printing? If it is only slow, "
                           f"the same command with --timeout {more} gives it more time."
                           + where}

    def died(self, importing):
        self.process.wait()
        self.reap()
        code = self.process.returncode
        tail = self.errors_tail(1500)
        self.process = None
        if code is not None and code < 0:
            how = f"was killed by signal {-code}"
            if -code == 11:
                how += " (a crash; very deep recursion can do this)"
        else:
            how = f"exited with code {code} (os._exit or sys.exit outside a function?)"
        if importing:
            why = f"importing {self.module_label(importing)} ended the process: it {how}"
            self.poisoned[importing] = why
            return {"ok": False, "kind": "import", "message": why, "module": importing,
                    "stderr": tail}
        return {"ok": False, "kind": "died", "message": f"the process running your code {how}",
                "stderr": tail}


class PolledPipe:
    """The child's stdout as pump's queue gives it (get: a chunk, None at the end, or
    queue.Empty after `timeout`), read in the caller's thread (POSIX). A probe's reply then
    wakes the grader directly: a thread in between cost each of a grading's ~200 probes two
    more hand-overs, a tenth of a warm grading's time."""

    def __init__(self, fd):
        self.fd = fd
        self.poller = select.poll()
        self.poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)

    def get(self, timeout):
        if self.fd is None:
            return None
        if not self.poller.poll(max(0, timeout) * 1000):
            raise queue.Empty
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            self.close()
            return None
        return chunk

    def put(self, item):  # read_message's "the end stays the end": it is, once closed
        pass

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def pump(fd, inbox):
    """Hand what the child writes to `inbox` as it comes (a thread: portable, where
    select() on a pipe is not), then None at its end. `fd` is the thread's own: it closes
    it."""
    try:
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                inbox.put(None)
                return
            inbox.put(chunk)
    finally:
        os.close(fd)


def stack_text(frames, shown, folder, keep=8, sources=None):
    """'file:line in func' and the line's code for each (file, line, func), outermost first;
    a run of the same frame (recursion) is said once with its count, and a deep stack keeps
    its outermost and innermost frames."""
    runs = []
    for frame in frames:
        if runs and runs[-1][0] == frame:
            runs[-1][1] += 1
        else:
            runs.append([frame, 1])
    if len(runs) > keep:
        runs = runs[:keep // 2] + [[None, len(runs) - keep]] + runs[-(keep // 2):]
    lines = []
    for frame, times in runs:
        if frame is None:
            lines.append(f"  ... {times} more calls ...")
            continue
        file, line, func = frame
        code = source_line(os.path.join(folder, file), line)
        lines.append(f"  {at(*locate(sources, shown, file, line))} in {func}"
                     + (f" (the same line {times} times: a recursion)" if times > 1 else ""))
        if code:
            lines.append(f"      {code}")
    return "\n".join(lines)


def source_line(path, line):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for number, text in enumerate(f, 1):
                if number == line:
                    return text.strip()[:200]
    except OSError:
        pass
    return ""

