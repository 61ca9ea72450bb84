"""Single keys from the learner's terminal, for watch mode, on POSIX and on Windows.

A thread reads them and hands each to a queue, so the watch loop only ever polls. When
stdin is not a terminal (a pipe, a test, an IDE's console), lines are read instead: "q",
"h" or "l" followed by Enter.
"""
import contextlib
import os
import queue
import sys
import threading


@contextlib.contextmanager
def keys(stream=None):
    """A queue.Queue that receives each key ('h', 'q', ...) pressed, while in the block."""
    stream = stream or sys.stdin
    pressed = queue.Queue()
    interactive = stream.isatty()
    with raw_mode(stream) if interactive else contextlib.nullcontext():
        reader = threading.Thread(target=read_keys if interactive else read_lines,
                                  args=(stream, pressed), daemon=True)
        reader.start()
        yield pressed


def read_lines(stream, pressed):
    """The first letter of each line. Read from the file descriptor, never through the
    stream: a thread blocked inside sys.stdin's buffer would hold its lock at exit."""
    try:
        fd = os.dup(stream.fileno())  # our own copy: fd 0 itself may be pointed elsewhere
    except (OSError, ValueError):
        return
    pending = b""
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # stdin closed under us: no keys, watch goes on
            return
        if not chunk:
            return
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.strip():
                pressed.put(line.strip()[:1].decode(errors="replace").lower())


def read_keys(stream, pressed):
    if os.name == "nt":
        import msvcrt
        while True:
            pressed.put(msvcrt.getwch().lower())
    else:
        fd = os.dup(stream.fileno())  # our own copy: fd 0 itself may be pointed elsewhere
        while True:
            try:
                key = os.read(fd, 1)
            except OSError:
                return
            if not key:
                return
            pressed.put(key.decode(errors="replace").lower())


@contextlib.contextmanager
def raw_mode(stream):
    """Keys arrive one at a time, unechoed (POSIX cbreak); Ctrl-C still interrupts."""
    if os.name == "nt":
        yield
        return
    import termios
    import tty
    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def clear(out):
    """Clear the screen on a terminal; elsewhere a rule keeps successive results apart."""
    if out.isatty():
        out.write("\033[2J\033[H")
    else:
        out.write("\n" + "=" * 72 + "\n")
    out.flush()
