"""Course mode: turn an uploaded submission into a folder the grader can read, safely.

A submission is whatever a student uploaded: a folder (Gradescope's /autograder/submission),
a .zip file, or a folder that holds nothing but one .zip (Gradescope can keep an uploaded
zip as it is). The kata files may sit at its top or one or two folders down
(`exercises/value.py`, or `my-kata/exercises/value.py` from a zipped repository).

`prepare` copies the regular top-level .py files of the folder that holds the kata files
into a fresh folder of the grader's own. The upload is hostile until proven otherwise, so:
- nothing in it is followed when it is a symbolic link (a link to the reference solution
  must not earn its credit), and nothing but regular files is ever opened;
- a zip is read entry by entry, by hand: names that are absolute or climb out with `..`,
  links, devices, oversized or lying entries are skipped, with a note;
- nothing is written outside `workdir`, and the upload itself is only ever read.
Whatever was skipped or guessed is said in `notes`, in sentences a student understands.
"""
import os
import stat
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field

from .stages import ALL_STAGES, STAGES

KATA_FILES = tuple(dict.fromkeys(f for s in STAGES for f in s.files))  # derivative.py ...
# with the optional challenges' files (softmax.py, ...): a folder holding them is the kata's
ANY_KATA_FILE = tuple(dict.fromkeys(f for s in ALL_STAGES for f in s.files))
MAX_DEPTH = 2                  # folders below the top that are searched for the kata files
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_TOTAL = 50 * 1024 * 1024   # bytes, unpacked, the whole archive
MAX_PY_SIZE = 1024 * 1024          # bytes, one .py file
MAX_NOTEBOOK_SIZE = 20 * 1024 * 1024  # bytes, one .ipynb (kata.notebook.MAX_SIZE)
MAX_PY_FILES = 100                 # .py files copied from the graded folder
MAX_LISTED = 5000                  # entries read from one folder: a flood is not scanned
SKIPPED_FOLDERS = ("__MACOSX", "__pycache__")  # plus every hidden folder (".git", ...)
DEFAULT_NAME = "exercises"
RESERVED_NAMES = {"kata", "kata_target", "checks", "solutions", "tests"}  # the grader's own
CHUNK = 64 * 1024


@dataclass
class Submission:
    folder: str                          # the grader's copy: regular .py files only
    notes: list[str] = field(default_factory=list)  # what was skipped or guessed, for people
    shown: str = None  # how messages name it: the folder's name, or the notebook graded


class _TooBig(Exception):
    pass


def prepare(path, workdir):
    """Copy the gradable files of the submission at `path` into a fresh folder in `workdir`."""
    workdir = os.path.abspath(workdir)
    os.makedirs(workdir, exist_ok=True)
    fresh = tempfile.mkdtemp(prefix="submission-", dir=workdir)
    notes = []
    root = _unpacked_root(path, fresh, notes)
    located, depth = _locate(root, notes) if root else (None, 0)
    name = DEFAULT_NAME
    if located and depth > 0:
        shown = _shown_name(os.path.relpath(located, root).replace(os.sep, "/"))
        notes.append(f"Graded the files in {shown}/ of your submission.")
        if _usable_package_name(os.path.basename(located)):
            name = os.path.basename(located)
    folder = os.path.join(fresh, name)
    os.mkdir(folder)
    copied = _copy_python_files(located, folder, notes) if located else []
    if located and not any(f in ANY_KATA_FILE for f in copied):
        shown = _from_notebook(located, copied, folder, notes)
        if shown:
            return Submission(folder, notes, shown)
    if not copied:
        notes.append("No .py file of your submission could be graded: upload the files of "
                     f"your exercises/ folder ({', '.join(KATA_FILES)}), or a .zip of them.")
    else:
        missing = [f for f in KATA_FILES if f not in copied]
        if missing:
            them = "them" if len(missing) > 1 else "it"
            notes.append(f"Not found: {', '.join(missing)}. The stages that need {them} "
                         "count as not started.")
    return Submission(folder, notes, name)


def _from_notebook(located, copied, folder, notes):
    """A submission that is one notebook (or one script) instead of the kata's files: its
    definitions are taken out into `folder` (kata.notebook), the files copied there
    removed. Returns how messages name it, or None when it is not such a submission."""
    from . import notebook
    notebooks = [n for n in _listing(located) if n.lower().endswith(".ipynb")
                 and _is_regular(os.path.join(located, n))]
    if len(notebooks) > 1:
        notes.append(f"{len(notebooks)} notebooks and none of the kata's files: upload one "
                     "notebook (or your exercises/ files). Nothing was graded.")
        return None
    if notebooks:
        source = os.path.join(located, notebooks[0])
    elif len(copied) == 1:
        source = os.path.join(folder, copied[0])
    else:
        return None
    shown = _shown_name(os.path.basename(source))
    holder = os.path.join(os.path.dirname(folder), ".notebook")
    os.mkdir(holder)
    copy = os.path.join(holder, os.path.basename(source))
    try:  # read safely, as any other file of the upload
        with _open_regular(source) as src, open(copy, "wb") as out:
            _copy_limited(src, out, MAX_NOTEBOOK_SIZE)
    except (OSError, _TooBig):
        notes.append(f"{shown} could not be read, or is too large: nothing was graded.")
        return None
    for name in copied:
        os.remove(os.path.join(folder, name))
    try:
        found = notebook.assemble(copy, shown, folder)
    except notebook.NotebookError as problem:
        notes.append(f"{problem}. Nothing was graded.")
        return None
    notes.extend(found.told(shown))
    return shown


# --- where the files are -------------------------------------------------------------


def _unpacked_root(path, fresh, notes):
    """The folder to search: `path` itself, or a safe unpacking of the zip it is or holds."""
    try:
        info = os.stat(path)  # the path handed to the grader is trusted; its content is not
    except OSError:
        notes.append("The submission could not be found: nothing was graded.")
        return None
    if stat.S_ISREG(info.st_mode):
        if path.lower().endswith((".py", ".ipynb")):
            return _single_file(path, fresh)
        return _unzip(path, os.path.join(fresh, ".unzipped"), os.path.basename(path), notes)
    if not stat.S_ISDIR(info.st_mode):
        notes.append("The submission is neither a folder nor a .zip file: nothing was graded.")
        return None
    folders = _folders(path, notes=None)
    has_python = any(_python_names(f) for f, _ in folders)
    zips = [os.path.join(f, n) for f, _ in folders for n in _listing(f)
            if n.lower().endswith(".zip") and _is_regular(os.path.join(f, n))]
    if not has_python and len(zips) == 1:
        shown = _shown_name(os.path.relpath(zips[0], path).replace(os.sep, "/"))
        notes.append(f"Unpacked {shown}.")
        return _unzip(zips[0], os.path.join(fresh, ".unzipped"), shown, notes)
    return path


def _single_file(path, fresh):
    """A lone .py file: graded as a folder that holds just it (read safely later on)."""
    holder = os.path.join(fresh, ".single")
    os.mkdir(holder)
    name = os.path.basename(path)
    limit = MAX_NOTEBOOK_SIZE if name.lower().endswith(".ipynb") else MAX_PY_SIZE
    try:
        with _open_regular(path) as source, open(os.path.join(holder, name), "wb") as out:
            _copy_limited(source, out, limit)
    except (OSError, _TooBig):
        pass  # an unreadable or oversized file is simply not graded: the empty note follows
    return holder


def _locate(root, notes):
    """(folder, depth): the shallowest folder holding kata files, most of them on a tie."""
    folders = _folders(root, notes)
    best = None
    for folder, depth in folders:
        notebooks = [n for n in _listing(folder) if n.lower().endswith(".ipynb")]
        names = _python_names(folder) + notebooks
        kata = sum(n in ANY_KATA_FILE for n in names)
        # Rank: any kata file first, then shallow, then many kata files; then a notebook,
        # shallow first (a stray helper.py above it loses); then any .py at all.
        key = (kata == 0 and not notebooks, kata == 0, depth if kata or notebooks else 0,
               -kata, not names, depth, folder)
        if best is None or key < best[0]:
            best = (key, folder, depth)
    _, folder, depth = best
    return folder, depth


def _folders(root, notes, depth=0, top=None):
    """[(folder, depth)] of root and its sub-folders down to MAX_DEPTH, never via a link."""
    top = top or root
    found = [(root, depth)]
    if depth == MAX_DEPTH:
        return found
    for name in _listing(root):
        if name.startswith(".") or name in SKIPPED_FOLDERS:
            continue
        full = os.path.join(root, name)
        try:
            mode = os.lstat(full).st_mode
        except OSError:
            continue
        if stat.S_ISLNK(mode):
            if notes is not None and os.path.isdir(full):
                shown = _shown_name(os.path.relpath(full, top).replace(os.sep, "/"))
                notes.append(f"{shown}/ is a symbolic link to a folder: not graded.")
            continue
        if stat.S_ISDIR(mode):
            found.extend(_folders(full, notes, depth + 1, top))
    return found


def _listing(folder):
    """Names in a folder, sorted, at most MAX_LISTED of them; [] when it cannot be read."""
    try:
        with os.scandir(folder) as entries:
            names = []
            for entry in entries:
                names.append(entry.name)
                if len(names) >= MAX_LISTED:
                    break
    except OSError:
        return []
    return sorted(names)


def _python_names(folder):
    return [n for n in _listing(folder) if n.endswith(".py") and not n.startswith(".")]


def _is_regular(path):
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _usable_package_name(name):
    """The copy keeps the folder's name when imports like `from exercises.value` can use it."""
    return name.isidentifier() and name not in sys.stdlib_module_names \
        and name not in RESERVED_NAMES


def _shown_name(name):
    return repr(name)[1:-1]  # control characters in a hostile name stay harmless text


# --- copying ---------------------------------------------------------------------------


def _copy_python_files(source, destination, notes):
    """Copy the regular .py files at the top of `source`; return the names copied."""
    copied = []
    for name in _python_names(source):
        path = os.path.join(source, name)
        shown = _shown_name(name)
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if stat.S_ISLNK(mode):
            notes.append(f"{shown} is a symbolic link: not graded. Upload the file itself.")
            continue
        if not stat.S_ISREG(mode):
            if not stat.S_ISDIR(mode):
                notes.append(f"{shown} is not a regular file: not graded.")
            continue
        if not name[:-3].isidentifier():
            notes.append(f"{shown} is not graded: a module name has only letters, digits "
                         "and _ (rename it, e.g. value.py).")
            continue
        if len(copied) == MAX_PY_FILES:
            notes.append(f"Only the first {MAX_PY_FILES} .py files were graded.")
            break
        try:
            with _open_regular(path) as src, \
                    open(os.path.join(destination, name), "wb") as out:
                _copy_limited(src, out, MAX_PY_SIZE)
        except _TooBig:
            os.remove(os.path.join(destination, name))
            notes.append(f"{shown} is larger than {MAX_PY_SIZE // 1024 // 1024} MB: "
                         "not graded.")
            continue
        except OSError:
            notes.append(f"{shown} could not be read: not graded.")
            continue
        copied.append(name)
    return copied


def _open_regular(path):
    """Open for reading without following a link, without blocking on a pipe; files only."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _copy_limited(source, out, limit, budget=None):
    """Copy at most `limit` bytes (and within budget[0] bytes left); raise _TooBig beyond."""
    total = 0
    while True:
        chunk = source.read(CHUNK)
        if not chunk:
            return total
        total += len(chunk)
        if total > limit:
            raise _TooBig
        if budget is not None:
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _TooBig
        out.write(chunk)


# --- zips ------------------------------------------------------------------------------


def _unzip(path, destination, shown, notes):
    """Unpack the .py files of a zip into `destination` by hand; None when it is refused.

    Only .py entries at most MAX_DEPTH folders deep are written: nothing else is graded,
    and what is never written cannot hurt.
    """
    os.mkdir(destination)
    try:
        with _open_regular(path) as raw, zipfile.ZipFile(raw) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                notes.append(f"{shown} holds more than {MAX_ZIP_ENTRIES} files: not unpacked. "
                             "Zip only your .py files.")
                return None
            if sum(e.file_size for e in entries) > MAX_ZIP_TOTAL:
                notes.append(f"{shown} unpacks to more than {MAX_ZIP_TOTAL // 1024 // 1024} "
                             "MB: not unpacked. Zip only your .py files.")
                return None
            budget = [MAX_ZIP_TOTAL]  # sizes in the headers may lie: count what is read
            written = set()
            for entry in entries:
                _unzip_entry(archive, entry, destination, written, budget, notes)
    except _TooBig:
        notes.append(f"{shown} unpacks to more than {MAX_ZIP_TOTAL // 1024 // 1024} MB: "
                     "not unpacked. Zip only your .py files.")
        return None
    except Exception:  # a corrupt or odd zip is the student's to fix, not a grader crash
        notes.append(f"{shown} could not be unpacked: is it a complete .zip file? Make it "
                     "again and upload it, or upload the .py files themselves.")
        return None
    return destination


def _unzip_entry(archive, entry, destination, written, budget, notes):
    parts = _safe_parts(entry.filename)
    shown = _shown_name(entry.filename)
    if parts is None:
        if entry.filename.endswith(".py"):
            notes.append(f"{shown} in the zip has an unsafe name (absolute, or with ..): "
                         "not unpacked.")
        return
    if not parts or entry.is_dir() or not parts[-1].lower().endswith((".py", ".ipynb")):
        return
    if any(p.startswith(".") or p in SKIPPED_FOLDERS for p in parts[:-1]) \
            or len(parts) - 1 > MAX_DEPTH:
        return
    kind = stat.S_IFMT(entry.external_attr >> 16)
    if kind == stat.S_IFLNK:
        notes.append(f"{shown} in the zip is a symbolic link: not graded. Zip the file "
                     "itself.")
        return
    if kind not in (0, stat.S_IFREG):  # 0: made on a system that records no file type
        notes.append(f"{shown} in the zip is not a regular file: not unpacked.")
        return
    relative = "/".join(parts)
    if relative in written:
        notes.append(f"{shown} is in the zip twice: the first copy was graded.")
        return
    limit = MAX_NOTEBOOK_SIZE if parts[-1].lower().endswith(".ipynb") else MAX_PY_SIZE
    if entry.file_size > limit:
        notes.append(f"{shown} is larger than {limit // 1024 // 1024} MB: not graded.")
        return
    target = os.path.join(destination, *parts)
    if os.path.commonpath([destination, os.path.abspath(target)]) != destination:
        return  # belt and braces: _safe_parts already keeps every name inside
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with archive.open(entry) as source, open(target, "xb") as out:
            _copy_limited(source, out, limit, budget)
    except _TooBig:
        os.remove(target)
        if budget[0] < 0:
            raise
        notes.append(f"{shown} is larger than {limit // 1024 // 1024} MB: not graded.")
        return
    except OSError:  # e.g. "a.py" and "a.py/b.py" both in the zip: the second cannot be
        return
    written.add(relative)


def _safe_parts(name):
    """The path components of a zip entry name, or None when it is absolute or climbs out."""
    name = name.replace("\\", "/")  # some Windows tools write backslashes
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or "\0" in name:
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return parts
