"""Attack 8: stop the grader before it can give me a zero: SIGSTOP, SIGTERM, SIGKILL to my
parent and to the grader process, and to their process groups."""
import os
import signal

from .helpers import grader_processes

targets = {os.getppid()} | {pid for pid, argv, cwd in grader_processes()}
targets -= {0, 1, os.getpid()}
for sig in (signal.SIGSTOP, signal.SIGTERM, signal.SIGKILL):
    for pid in sorted(targets):
        try:
            os.kill(pid, sig)
        except OSError:
            pass
        try:
            group = os.getpgid(pid)
            if group != os.getpgrp():
                os.killpg(group, sig)
        except OSError:
            pass
