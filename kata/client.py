"""The grader's end of the channel to the child process that runs learner code.

A probe either comes back as a reply, or the child is killed (time limit) or dies on its
own (os._exit, a crash from runaway recursion); then the next probe gets a fresh child.
A module that hung or killed the child while being imported is remembered as "poisoned",
so later children refuse to import it instead of paying the same price again.
"""
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

from .learner import PACKAGE

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child.py")
STUB = re.compile(r"""NotImplementedError\(\s*[rfbu]?["']stage\s*(\d)""", re.I)


def snapshot(target):
    """Copy the target's top-level .py files into a fresh package; return (dir, stub stages)."""
    root = tempfile.mkdtemp(prefix="kata-")
    package = os.path.join(root, PACKAGE)
    os.mkdir(package)
    stubs = set()
    for name in sorted(os.listdir(target)):
        path = os.path.join(target, name)
        if name.endswith(".py") and name != "__init__.py" and not name.startswith(".") \
                and os.path.isfile(path):
            shutil.copyfile(path, os.path.join(package, name))
            with open(path, encoding="utf-8", errors="replace") as f:
                stubs.update(int(n) for n in STUB.findall(f.read()))
    open(os.path.join(package, "__init__.py"), "w").close()
    return root, stubs


class Child:
    """Send probes to learner code; get back plain data or a description of what failed."""

    def __init__(self, target, shown=None, timeout=5.0):
        self.target = target
        self.shown = shown or target
        self.timeout = timeout
        self.snapshot, self.stub_stages = snapshot(target)
        self.poisoned = {}
        self.process = None
        self.next_id = 0

    # --- lifecycle ---------------------------------------------------------------------

    def start(self):
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-B", "-I", CHILD, self.snapshot, self.shown,
             json.dumps(self.poisoned), os.path.basename(os.path.abspath(self.target))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
            cwd=self.snapshot, start_new_session=True)
        self.buffer = b""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def close(self):
        self.stop()
        shutil.rmtree(self.snapshot, ignore_errors=True)

    # --- one probe ---------------------------------------------------------------------

    def call(self, probe, **args):
        """Run a probe; returns the child's reply: {"ok": True, "result": ...} or a failure."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        self.next_id += 1
        request = json.dumps({"id": self.next_id, "probe": probe, "args": args}) + "\n"
        importing = None
        try:
            self.process.stdin.write(request.encode())
            self.process.stdin.flush()
        except BrokenPipeError:
            return self.died(importing)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self.read_message(deadline)
            if message == "timeout":
                self.stop()
                return self.timed_out(importing)
            if message is None:
                return self.died(importing)
            if message.get("event") == "importing":
                importing = message["module"]
            elif message.get("event") == "imported":
                importing = None
            elif message.get("id") == self.next_id:
                return message

    def read_message(self, deadline):
        out = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            ready, _, _ = select.select([out], [], [], left)
            if not ready:
                return "timeout"
            chunk = os.read(out, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def timed_out(self, importing):
        if importing:
            why = (f"{importing}.py did not finish importing within {self.timeout:g} s: is "
                   "there an endless loop (or a long computation) at the top level of the file?")
            self.poisoned[importing] = why
            return {"ok": False, "kind": "import", "message": why, "module": importing}
        return {"ok": False, "kind": "timeout", "seconds": self.timeout,
                "message": f"your code did not finish within {self.timeout:g} s: an endless "
                           "loop, a cycle in _prev, or a lot of printing? If it is only slow, "
                           "python grader.py --timeout 20 gives it more time."}

    def died(self, importing):
        self.process.wait()
        code = self.process.returncode
        self.errors.seek(0)
        tail = self.errors.read()[-1500:].decode(errors="replace")
        self.process = None
        if code is not None and code < 0:
            how = f"was killed by signal {-code}"
            if -code == 11:
                how += " (a crash; very deep recursion can do this)"
        else:
            how = f"exited with code {code} (os._exit or sys.exit outside a function?)"
        if importing:
            why = f"importing {importing}.py ended the process: it {how}"
            self.poisoned[importing] = why
            return {"ok": False, "kind": "import", "message": why, "module": importing,
                    "stderr": tail}
        return {"ok": False, "kind": "died", "message": f"the process running your code {how}",
                "stderr": tail}
