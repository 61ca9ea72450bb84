"""The child process: the only place learner code ever runs.

Started by kata.client as
`python -B -I kata/child.py SNAPSHOT SHOWN_DIR POISONED_JSON FOLDER_NAME [COURSE_JSON]`
(course mode adds -S and COURSE_JSON: the sandbox layers wanted and the paths to test).
It never imports torch or pytest. It reads one JSON request per line from its stdin and
writes one JSON reply per line on a private copy of its stdout; the learner's own prints
are captured and returned, so they can never corrupt the channel or the grader's --json.
"""
import faulthandler
import io
import json
import os
import signal
import sys
import threading
import time

KATA_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Run as a script, this file's own folder (kata/) heads sys.path on Python 3.10 (3.11's -I
# leaves it out): `import probes` in learner code must not find the grader's modules.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(
    os.path.abspath(__file__))]
sys.path.insert(0, KATA_ROOT)

from kata.learner import LearnerCode, LearnerProblem, describe_exception  # noqa: E402
from kata.probes import Probes, run  # noqa: E402
from kata import launcher, sandbox  # noqa: E402

# The grader's own folders (solutions/ above all) must not be importable by learner code:
# `from solutions.neuron import Neuron` would earn credit for the reference's work.
sys.path.remove(KATA_ROOT)

MEMORY_LIMIT = 4 * 1024 ** 3  # a runaway list in learner code fails alone, not the machine


def limit_memory():
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass  # not every system allows it (macOS); the time limit still holds


def die_with_parent():
    """If the grader is killed outright, this process must not live on, spinning in a
    learner's endless loop: Linux kills it with the parent; elsewhere a thread watches."""
    parent = os.getppid()
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):  # not Linux (Windows: no CDLL(None))
        pass

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def private_channel():
    """Keep the real stdin/stdout for the protocol; give the learner harmless ones."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)  # input() in learner code gets EOF instead of our requests
    os.dup2(devnull, 1)  # os.write(1, ...) goes nowhere
    sys.stdin = io.StringIO("")
    return requests, replies


def serve(requests, replies, code):
    def send(message):
        replies.write(json.dumps(message, default=repr) + "\n")

    code.notify = send
    probes = Probes(code)
    for line in requests:
        request = json.loads(line)
        printed = sys.stdout = io.StringIO()
        if request.get("stack_after"):  # the portable path: no SIGUSR1 to ask for the stack
            faulthandler.dump_traceback_later(request["stack_after"], file=sys.__stderr__)
        try:
            reply = {"ok": True, "result": run(probes, request["probe"], request["args"])}
        except LearnerProblem as problem:
            reply = {"ok": False, "kind": problem.kind, "message": str(problem),
                     **problem.details}
        except BaseException as exc:  # learner code raised (SystemExit included)
            reply = {"ok": False, "kind": "raised", "error": describe_exception(exc, code),
                     "node": getattr(exc, "kata_node", None)}
        faulthandler.cancel_dump_traceback_later()
        sys.stdout = sys.__stdout__
        reply["id"] = request["id"]
        reply["printed"] = printed.getvalue()[-2000:]
        send(reply)


def main():
    snapshot, shown_dir, poisoned, folder_name = sys.argv[1], sys.argv[2], \
        json.loads(sys.argv[3]), sys.argv[4]
    course = json.loads(sys.argv[5]) if len(sys.argv) > 5 else None
    sys.dont_write_bytecode = True
    limit_memory()
    die_with_parent()
    requests, replies = private_channel()
    if course is not None:
        # Course mode: fence this process in before any learner code is loaded, and tell
        # the grader which fences took hold (the first line it reads, so it is ours).
        layers, exposed = sandbox.restrict(course["layers"], snapshot, course["protected"])
        replies.write(json.dumps({"event": "sandbox", "layers": layers,
                                  "exposed": exposed}) + "\n")
    if hasattr(signal, "SIGUSR1"):  # POSIX: the grader asks where a stuck probe is stuck
        faulthandler.register(signal.SIGUSR1, all_threads=False)
    code = LearnerCode(snapshot, shown_dir, poisoned, notify=None, folder_name=folder_name)
    serve(requests, replies, code)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--launcher"]:  # a warm grader's launcher: forks children (kata.launcher)
        sandbox.preload_allowed_modules()  # what every course child loads before its fences
        launcher.serve(int(sys.argv[2]), main)
    else:
        main()
