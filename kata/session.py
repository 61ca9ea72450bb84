"""A warm grading session: the grader's own imports (torch, pytest, the checks) are paid
once, and then any number of gradings follow, each of the files as they are at that moment,
in fresh child processes (learner code never runs here).

- In-process: `run(argv)` is `python grader.py ARGV` without starting Python again; watch
  mode grades this way.
- As a server: `python -m kata.session` answers requests, one JSON object per line on
  stdin, {"argv": [...], "env": {...}}, with one line {"returncode", "stdout", "stderr"};
  or {"submission": {...}} (kata.batch.grade_submission's arguments), with one line
  {"result": {...}}. The self-tests keep a few of these (kata.session.Pool), and so do
  notebooks' check() and batch grading.

Nothing of one grading may reach the next: the checks keep what they learn on the grading's
own child (kata.client.Child.memo), and every grading snapshots the files anew.
"""
import contextlib
import io
import json
import os
import subprocess
import sys
import threading

from kata import processes

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def warm_up():
    """Pay for the grader's imports now rather than on the first grading."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    import pytest  # noqa: F401
    import torch  # noqa: F401
    import grader  # noqa: F401
    from kata import client
    client.USE_LAUNCHERS[:] = [True]  # many children to come: fork them (kata.launcher)


@contextlib.contextmanager
def environment(changes):
    """os.environ with `changes` applied (a value of None removes the variable)."""
    saved = dict(os.environ)
    for name, value in (changes or {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(argv, env=None, cwd=None):
    """`python grader.py ARGV` in this process: (exit code, stdout text, stderr text)."""
    warm_up()
    import grader
    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    with environment(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            os.chdir(cwd or ROOT)
            code = grader.main(list(argv))
        except SystemExit as stop:  # argparse's --help and usage errors
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
        finally:
            os.chdir(before)
    return code, out.getvalue(), err.getvalue()


def serve(requests, replies):
    """Answer each request line of `requests` on `replies` until the input ends."""
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        if "submission" in request:  # batch grading: one student's submission, course mode
            from kata import batch
            reply = {"result": batch.grade_submission(**request["submission"])}
        else:
            code, out, err = run(request["argv"], request.get("env"), request.get("cwd"))
            reply = {"returncode": code, "stdout": out, "stderr": err}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


def main():
    # The protocol gets its own copies of stdin and stdout; fd 1 then points at stderr, so
    # that nothing written straight to it (a C library, pytest's capture) garbles a reply.
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    warm_up()
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    serve(requests, replies)


class WorkerEnded(RuntimeError):
    """A warm grader process ended (or never started) before it replied."""


class WorkerTimedOut(RuntimeError):
    """A warm grader took longer than the caller allowed, and was killed."""


class Server:
    """One warm grader process, used one grading at a time; `root` is the project it runs
    from (another copy of the kata: the self-tests attack a copy of their own)."""

    def __init__(self, root=ROOT):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kata.session"], cwd=root, text=True, encoding="utf-8",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            # a group of its own: Ctrl-C reaches its owner, which stops it (Pool.close) or
            # closes its stdin, and it then ends by itself
            **processes.group_options())
        self.ready = False

    def run(self, argv, env=None, cwd=None, timeout=600):
        reply = self.request({"argv": list(argv), "env": env, "cwd": cwd}, timeout)
        return reply["returncode"], reply["stdout"], reply["stderr"]

    def request(self, payload, timeout=600):
        """Send one request, wait for its reply (a dict). Raises WorkerTimedOut (the server
        was killed) or WorkerEnded."""
        if not self.ready:
            if not self.process.stdout.readline():
                raise WorkerEnded("a warm grader did not start")
            self.ready = True
        try:
            self.process.stdin.write(json.dumps(payload) + "\n")
            self.process.stdin.flush()
        except OSError:
            raise WorkerEnded("a warm grader ended before it was asked") from None
        line = self.reply(timeout)
        if line is None:
            raise WorkerTimedOut(f"a warm grader took over {timeout:g} s and was stopped")
        if not line:
            raise WorkerEnded(f"a warm grader ended (exit code {self.process.wait()}) while "
                              "grading")
        return json.loads(line)

    def reply(self, timeout):
        """The next line from the server ("" when it ended), or None when it took over
        `timeout` s (then it is killed): a thread reads, so no platform's select() is
        needed."""
        line = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(timeout)
        if reader.is_alive():
            self.process.kill()
            reader.join()
            return None
        return line[0] if line else ""

    def close(self):
        try:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


class Pool:
    """A few warm graders; `request` takes an idle one (or starts one, up to `size`), so
    gradings asked for from several threads run side by side. A server that fails is
    dropped (killed) and the request raises; the next request starts a new one."""

    def __init__(self, size, root=ROOT):
        self.size = size
        self.root = root
        self.idle = []
        self.busy = set()
        self.started = 0
        self.closed = False
        self.lock = threading.Condition()

    def start_all(self):
        """Start every server now (they import in the background): the first gradings
        then wait less."""
        with self.lock:
            count, self.started = self.size - self.started, self.size
        servers = [Server(self.root) for _ in range(count)]
        with self.lock:
            self.idle += servers
            self.lock.notify_all()

    def take(self):
        with self.lock:
            if self.closed:
                raise WorkerEnded("the pool is closed")
            while not self.idle and self.started >= self.size:
                self.lock.wait()
            if self.idle:
                server = self.idle.pop()
                self.busy.add(server)
                return server
            self.started += 1
        server = Server(self.root)  # starting one takes seconds: not under the lock
        with self.lock:
            self.busy.add(server)
        return server

    def run(self, argv, env=None, cwd=None, timeout=600):
        reply = self.request({"argv": list(argv), "env": env, "cwd": cwd}, timeout)
        return reply["returncode"], reply["stdout"], reply["stderr"]

    def request(self, payload, timeout=600):
        server = self.take()
        try:
            result = server.request(payload, timeout)
        except BaseException:
            server.process.kill()
            server.process.wait()
            with self.lock:
                self.busy.discard(server)
                self.started -= 1
                self.lock.notify()
            raise
        with self.lock:
            self.busy.discard(server)
            self.idle.append(server)
            self.lock.notify()
        return result

    def close(self):
        """Close the idle servers, and stop any still grading (Ctrl-C in a batch) as Ctrl-C
        stops a grader: it removes its copies of the student's files and ends its children
        (killed if it takes over 5 s); all at once."""
        with self.lock:
            servers, self.idle = self.idle, []
            busy = list(self.busy)
            self.closed = True
        stopping = [threading.Thread(target=processes.interrupt, args=(server.process, 5))
                    for server in busy]
        for thread in stopping:
            thread.start()
        for server in servers:
            server.close()
        for thread in stopping:
            thread.join()


if __name__ == "__main__":
    main()
