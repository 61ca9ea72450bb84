"""Course mode's fences around learner code: what the operating system offers, found at run time.

The child process imports everything it needs first (the kata's own modules, the allowed
standard modules), then restricts itself, and only then loads learner code. Each layer is
used when the machine allows it, and the child tells the grader which ones took hold:

- pidns    a PID namespace: the child is its first process, so when it ends the kernel ends
           every process it started (a double-forked, setsid daemon included).
- uid      (root only) the child drops to a uid of its own (UID_BASE + its pid, so children
           running at once never share one), with no groups, a private HOME, and a process
           limit; file permissions then keep it from the grader's files, and the grader
           can end every process of that uid (kill_uid).
- landlock the kernel's Landlock LSM: read only the standard library (not site-packages:
           no torch) and the submission's snapshot, write only a private temporary folder,
           no TCP, and (ABI 6+) no signals or abstract sockets beyond its own domain.

Plus, on every layer: rlimits (memory, file size, core dumps), an environment without the
grader's variables, no site-packages on sys.path. Self-study uses none of this.

Learner code can do nothing about a layer that is already in place: a uid cannot be taken
back, and a Landlock domain cannot be left. What it could reach is tested from inside
(probe_exposure) before learner code runs, and reported to the grader.
"""
import ctypes
import os
import signal
import sys
import sysconfig

LAYERS = ("pidns", "uid", "landlock")
UID_BASE = 200_000           # far above any real account's uid
MAX_PROCESSES = 64           # per sandbox uid: a fork bomb stops here
MAX_FILE_SIZE = 16 * 1024 ** 2
ALLOWED_PRELOAD = ("math", "random", "typing", "__future__", "functools", "itertools",
                   "numbers", "dataclasses", "collections", "collections.abc", "operator",
                   "copy", "abc", "enum")

# --- Landlock (linux/landlock.h) ----------------------------------------------------------
SYS_LANDLOCK = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_WRITE_ALL = sum(1 << b for b in range(4, 13))  # remove/make dir, file, fifo, sock, ...
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_ALL = (1 << 0) | (1 << 1)              # bind and connect TCP (ABI 4)
SCOPE_ALL = (1 << 0) | (1 << 1)            # abstract unix sockets and signals (ABI 6)
PR_SET_NO_NEW_PRIVS, PR_SET_PDEATHSIG = 38, 1
CLONE_NEWUSER, CLONE_NEWPID = 0x10000000, 0x20000000


class RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi():
    """The kernel's Landlock ABI version, 0 when there is none (or not Linux)."""
    numbers = SYS_LANDLOCK.get(os.uname().machine) if hasattr(os, "uname") else None
    if not sys.platform.startswith("linux") or numbers is None:
        return 0
    try:
        version = _libc().syscall(numbers[0], None, ctypes.c_size_t(0),
                                  ctypes.c_uint32(CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(version, 0)


def apply_landlock(read_paths, write_paths):
    """Restrict this process (and all it will start) for good. Returns the ABI used, or 0."""
    abi = landlock_abi()
    if abi < 1:
        return 0
    create, add_rule, restrict = SYS_LANDLOCK[os.uname().machine]
    libc = _libc()
    fs = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_READ_DIR | FS_WRITE_ALL
    fs |= (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0) \
        | (FS_IOCTL_DEV if abi >= 5 else 0)
    attr = RulesetAttr(fs, NET_ALL if abi >= 4 else 0, SCOPE_ALL if abi >= 6 else 0)
    size = ctypes.sizeof(RulesetAttr) if abi >= 6 else \
        (16 if abi >= 4 else 8)  # older kernels reject fields they do not know
    ruleset = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return 0
    read = FS_READ_FILE | FS_READ_DIR | FS_EXECUTE
    write = read | FS_WRITE_FILE | FS_WRITE_ALL | (FS_TRUNCATE if abi >= 3 else 0)
    try:
        for paths, access in ((read_paths, read), (write_paths, write)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                # A file may only carry file rights; a folder carries all of them.
                rights = access if os.path.isdir(path) else \
                    access & (FS_READ_FILE | FS_EXECUTE | FS_WRITE_FILE | FS_TRUNCATE)
                rule = PathBeneathAttr(rights, fd)
                done = libc.syscall(add_rule, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule),
                                    ctypes.c_uint32(0))
                os.close(fd)
                if done != 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule({path})")
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return 0
        if libc.syscall(restrict, ruleset, ctypes.c_uint32(0)) != 0:
            return 0
    finally:
        os.close(ruleset)
    return abi


def standard_library_paths():
    """Every entry of the standard library's folders except the ones that hold installed
    packages (torch, numpy: site-packages and dist-packages)."""
    paths = []
    for key in ("stdlib", "platstdlib"):
        folder = sysconfig.get_paths().get(key)
        if not folder or not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            if name not in ("site-packages", "dist-packages"):
                paths.append(os.path.join(folder, name))
    return sorted(set(paths))


# --- PID namespace ------------------------------------------------------------------------

def enter_pid_namespace():
    """Become the first process of a new PID namespace (the kernel kills everything in it
    when that process ends). The calling process stays outside, waits, and exits with the
    inner one's status; returns True in the inner process, False if not possible."""
    if not sys.platform.startswith("linux"):
        return False
    libc = _libc()
    flags = CLONE_NEWPID if os.geteuid() == 0 else CLONE_NEWPID | CLONE_NEWUSER
    if libc.unshare(flags) != 0:
        if os.geteuid() != 0 or libc.unshare(CLONE_NEWPID | CLONE_NEWUSER) != 0:
            return False  # e.g. Docker's default seccomp profile
    pid = os.fork()
    if pid == 0:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # its parent is the outer process
        return True
    # The outer process: nothing to do but to stand for the inner one. A signal from the
    # grader (SIGKILL of the whole group) ends both; the inner one also dies with us.
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1):
        signal.signal(number, lambda signum, frame, inner=pid: os.kill(inner, signum))
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(1)
    if os.WIFSIGNALED(status):  # die the same way, so the grader can say "killed by signal"
        number = os.WTERMSIG(status)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


# --- uid ----------------------------------------------------------------------------------

def sandbox_uid(pid):
    return UID_BASE + pid


def drop_uid(uid, owned):
    """Root only: give the `owned` folders to `uid`, then become it for good."""
    for top in owned:
        for folder, dirs, files in os.walk(top):
            for name in [folder] + [os.path.join(folder, n) for n in dirs + files]:
                os.lchown(name, uid, uid)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


def kill_uid(uid):
    """End every process of a sandbox uid, however it was started (setsid, double fork).
    A helper becomes that uid and signals everything it may signal (kill(-1)): exactly the
    processes of that uid, at once; twice, for a fork racing the first."""
    if uid is None or os.geteuid() != 0:
        return
    try:
        pid = os.fork()
    except OSError:
        return
    if pid == 0:
        try:
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            for _ in range(3):
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    break
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


# --- limits, environment, and the check from inside --------------------------------------

def set_limits(with_uid):
    try:
        import resource
    except ImportError:  # Windows
        return
    limits = [(resource.RLIMIT_FSIZE, MAX_FILE_SIZE), (resource.RLIMIT_CORE, 0)]
    if with_uid:  # counts the processes of the uid: meaningful only for a uid of its own
        limits.append((resource.RLIMIT_NPROC, MAX_PROCESSES))
    for which, value in limits:
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass


def clean_environment(home):
    os.environ.clear()
    os.environ.update({"HOME": home, "TMPDIR": home, "PATH": "/usr/bin:/bin",
                       "LANG": "C.UTF-8"})
    import tempfile
    tempfile.tempdir = home


def probe_exposure(protected):
    """Which of the paths the learner must not reach can this process still read or write?
    Run after the layers are in place, before learner code: a layer that did not hold is
    reported, not assumed."""
    exposed = []
    for path, mode in protected:
        try:
            if mode == "read":
                if os.path.isdir(path):
                    os.listdir(path)
                else:
                    with open(path, "rb") as f:
                        f.read(1)
            else:
                # Writing without changing anything: open for append and write nothing.
                if os.path.isdir(path):
                    if not os.access(path, os.W_OK):
                        continue
                    probe = os.path.join(path, f".kata-probe-{os.getpid()}")
                    os.close(os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
                    os.unlink(probe)
                else:
                    os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
            exposed.append(f"{mode} {path}")
        except OSError:
            pass
    return exposed


def preload_allowed_modules():
    """Import what learner code may import, while the files are still readable."""
    import importlib
    for name in ALLOWED_PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def restrict(wanted, snapshot, protected):
    """Apply the wanted layers in the child (after the kata's imports, before learner code).
    Returns (layers that took hold, paths still exposed). May fork (pidns): only the inner
    process returns."""
    layers = []
    uid = sandbox_uid(os.getpid())  # the pid the grader knows: taken before any namespace
    if "pidns" in wanted and enter_pid_namespace():
        layers.append("pidns")
    preload_allowed_modules()
    readable = standard_library_paths() + [snapshot]  # now: a uid may not list them later
    home = os.path.join(snapshot, "home")
    os.makedirs(home, exist_ok=True)
    clean_environment(home)
    sys.path[:] = [p for p in sys.path if p and "-packages" not in p]
    if "uid" in wanted and os.geteuid() == 0:
        try:
            drop_uid(uid, [snapshot])
            layers.append("uid")
            # A change of uid clears the parent-death signal: set it again.
            if sys.platform.startswith("linux"):
                _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # AttributeError: no setresuid (macOS)
            pass
    set_limits(with_uid="uid" in layers)
    if "landlock" in wanted:
        abi = apply_landlock(readable, [home])
        if abi:
            layers.append(f"landlock{abi}")
    return layers, probe_exposure(protected)
