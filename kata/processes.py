"""Starting, stopping and questioning a child process: the only platform-specific part of
the grader's side, kept here.

POSIX (Linux, macOS) gets extras: the child leads a process group of its own, so killing
it kills whatever it forked; and SIGUSR1 makes it dump its stack the moment a probe runs out
of time. Elsewhere (Windows), the portable path: a new process group and a tree kill
(taskkill /T), and the child arms faulthandler's own timer to dump its stack just before
the time limit. Reading replies uses a thread on every platform (no select() on pipes).

KATA_PORTABLE=1 takes the portable path on POSIX too: how the self-tests cover it here.
"""
import os
import signal
import subprocess

POSIX = os.name == "posix" and not os.environ.get("KATA_PORTABLE")


def group_options():
    """Popen keyword arguments that put the child in a process group of its own."""
    if POSIX:
        return {"start_new_session": True}
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {}


def kill_tree(process):
    """Kill the child and what it started, as far as the platform allows."""
    try:
        if POSIX:
            os.killpg(process.pid, signal.SIGKILL)
        elif os.name == "nt":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        process.kill()  # taskkill may be missing; a no-op when the process is gone already
    except OSError:
        pass


def interrupt(process, seconds=20):
    """Stop a grader as Ctrl-C does, so that it ends its children and removes its temporary
    copies of the learner's files (a kill leaves them); kill it if it has not ended within
    `seconds`. Where there is no SIGINT to send (Windows), a kill."""
    if process.poll() is None and os.name == "posix":
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            pass
    if process.poll() is None:
        process.kill()
    process.wait()


def ask_for_stack(process):
    """POSIX: make the child dump its stack now (it registered SIGUSR1). Returns whether a
    dump was asked for; without it the child's own timer (stack_timer) has dumped one."""
    if not POSIX:
        return False
    try:
        os.kill(process.pid, signal.SIGUSR1)
        return True
    except OSError:
        return False


def stack_timer(timeout):
    """Seconds after which a child on the portable path dumps its own stack (None on
    POSIX): shortly before the time limit, so the dump is there when the grader looks."""
    return None if POSIX else max(0.05, timeout - min(0.25, timeout / 5))
