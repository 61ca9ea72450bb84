"""Children for a warm grader, forked from a process that has already imported them.

A child started from scratch spends ~70 ms of CPU before it can run a probe: Python's start,
the child's own modules, and in course mode the standard modules learner code may import
(loaded before the fences go up). A grading starts one child, and one more per stage that
blame isolation runs on the reference code: in a warm grader (batch grading, watch, the
self-tests) that was a third of all the CPU a buggy submission cost.

So a warm grader starts a launcher once: `python -B -I [-S] kata/child.py --launcher FD`,
which imports what every child imports and then waits on a socket. Asked for a child, it
forks; the fork becomes exactly what `python kata/child.py ARGS` would have been (the same
flags, the given arguments, folder, environment, stdin, stdout and stderr, a session of its
own) and runs child.main. Nothing of one child reaches another: each is a fresh fork of a
process that never ran learner code, and the random module reseeds itself in every fork.
The launcher reaps its children and says how each ended, so LaunchedProcess answers as a
Popen does (poll, wait, kill, returncode: negative for a signal).

POSIX only (fork, SCM_RIGHTS); a launcher that fails is dropped and children are started
the usual way (kata.client).
"""
import json
import os
import signal
import socket
import subprocess
import sys
import threading

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child.py")
AVAILABLE = os.name == "posix" and hasattr(socket, "send_fds") and hasattr(os, "fork") \
    and hasattr(socket, "SOCK_SEQPACKET")
MESSAGE_SIZE = 1 << 20


class LauncherGone(OSError):
    """The launcher process ended: start children the usual way."""


class Launcher:
    """The grader's side of one launcher process (one per set of interpreter flags)."""

    def __init__(self, flags):
        """`flags`: the interpreter's, as a child is started with them (-B -I [-S])."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                [sys.executable, *flags, CHILD, "--launcher", str(theirs.fileno())],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        finally:
            theirs.close()
        self.socket = ours
        self.lock = threading.Lock()          # one request at a time
        self.changed = threading.Condition()  # a reply or an exit came in
        self.replies = []
        self.exits = {}                       # pid -> returncode, as Popen's
        self.gone = False
        threading.Thread(target=self.listen, daemon=True).start()

    def listen(self):
        try:
            while True:
                data = self.socket.recv(MESSAGE_SIZE)
                if not data:
                    break
                message = json.loads(data)
                with self.changed:
                    if "exit" in message:
                        self.exits[message["exit"]] = message["code"]
                    else:
                        self.replies.append(message)
                    self.changed.notify_all()
        except (OSError, ValueError):
            pass
        with self.changed:
            self.gone = True
            self.changed.notify_all()

    def spawn(self, args, cwd, env, stderr):
        """A LaunchedProcess running child.py ARGS; raises LauncherGone."""
        stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        try:
            with self.lock:
                request = json.dumps({"args": args, "cwd": cwd, "env": env}).encode()
                try:
                    socket.send_fds(self.socket, [request],
                                    [stdin_read, stdout_write, stderr.fileno()])
                except OSError as error:
                    raise LauncherGone(str(error)) from None
                with self.changed:
                    while not self.replies and not self.gone:
                        self.changed.wait(10)
                    if not self.replies:
                        raise LauncherGone("the launcher ended")
                    reply = self.replies.pop(0)
            if "pid" not in reply:
                raise LauncherGone(reply.get("error", "the launcher could not fork"))
        except BaseException:  # no child: our ends of its pipes go too
            os.close(stdin_write)
            os.close(stdout_read)
            raise
        finally:  # the child's ends are the child's (it has its own copies)
            os.close(stdin_read)
            os.close(stdout_write)
        return LaunchedProcess(self, reply["pid"], os.fdopen(stdin_write, "wb"),
                               os.fdopen(stdout_read, "rb"))

    def close(self):
        try:  # shutdown first: close() alone waits for the thread blocked in recv()
            self.socket.shutdown(socket.SHUT_RDWR)
            self.socket.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class LaunchedProcess:
    """What kata.client uses of a Popen, for a child forked by a launcher."""

    def __init__(self, launcher, pid, stdin, stdout):
        self.launcher, self.pid, self.stdin, self.stdout = launcher, pid, stdin, stdout
        self.returncode = None

    def poll(self):
        with self.launcher.changed:
            return self.settled()

    def settled(self):
        if self.returncode is None:
            if self.pid in self.launcher.exits:
                self.returncode = self.launcher.exits.pop(self.pid)
            elif self.launcher.gone:  # its children die with it (PR_SET_PDEATHSIG)
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout=None):
        with self.launcher.changed:
            if not self.launcher.changed.wait_for(lambda: self.settled() is not None,
                                                  timeout):
                raise subprocess.TimeoutExpired(CHILD, timeout)
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:
                pass
        return self.returncode

    def send_signal(self, number):
        if self.poll() is None:
            try:
                os.kill(self.pid, number)
            except OSError:
                pass

    def kill(self):
        self.send_signal(signal.SIGKILL)


# --- in the launcher process (kata/child.py --launcher FD) ---------------------------------


def serve(fd, become_child):
    """Fork a child for each request on socket `fd` until it closes; `become_child(args)`
    runs in the fork, as child.py's main with those arguments (it never returns)."""
    channel = socket.socket(fileno=fd)
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the grader
    except (OSError, AttributeError, TypeError):
        pass
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    import select
    while True:
        ready, _, _ = select.select([channel, wake_read], [], [])
        if wake_read in ready:
            os.read(wake_read, 4096)
        report_exits(channel)
        if channel not in ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(channel, MESSAGE_SIZE, 3)
        except OSError:
            data, fds = b"", []
        if not data:
            os._exit(0)  # the grader closed its end (or ended)
        request = json.loads(data)
        try:
            pid = os.fork()
        except OSError as error:
            for descriptor in fds:
                os.close(descriptor)
            channel.send(json.dumps({"error": f"fork failed: {error}"}).encode())
            continue
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            for descriptor in (channel.fileno(), wake_read, wake_write):
                os.close(descriptor)
            become(request, fds, become_child)
        for descriptor in fds:
            os.close(descriptor)
        channel.send(json.dumps({"pid": pid}).encode())


def report_exits(channel):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        channel.send(json.dumps({"exit": pid,
                                 "code": os.waitstatus_to_exitcode(status)}).encode())


def become(request, fds, become_child):
    """In the fork: stand where `python kata/child.py ARGS` would, then run it."""
    code = 1
    try:
        os.setsid()  # a process group of its own, as Popen(start_new_session=True) gives
        for target, descriptor in zip((0, 1, 2), fds):
            os.dup2(descriptor, target)
        for descriptor in fds:
            if descriptor > 2:
                os.close(descriptor)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = [CHILD, *request["args"]]
        become_child()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        import traceback
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
