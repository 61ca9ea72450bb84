"""The learner's files as files: which stages each holds, where the grader may write its
own (backups, pictures), and `reset`, the one command that writes a learner's file.

The pristine stubs are a copy the project ships (kata/stubs/), not git's: a learner may
have downloaded a zip. A self-test keeps the copy equal to exercises/ as committed.
"""
import os
import shutil
import tempfile
import time

from .stages import ALL_STAGES, STAGES, stage_by_name

from .paths import HOME, STUBS
OUTPUT = os.path.join(HOME, "kata-output")  # git-ignored: backups, graphs, loss curves


def output_folder(*parts):
    """A folder under kata-output/ (made if missing): the one place the grader writes."""
    folder = os.path.join(OUTPUT, *parts)
    os.makedirs(folder, exist_ok=True)
    return folder


def write_atomically(path, text, mode=None, durable=False):
    """Write `text` to `path` at once: a reader sees the old file or the new one, never half
    of one, and a failure leaves the old one. `mode`: the new file's permissions (default:
    what the umask gives a new file; the temporary file is made 0600); `durable`: on disk
    before it replaces the old one."""
    fd, temporary = tempfile.mkstemp(prefix=".partial-", dir=os.path.dirname(
        os.path.abspath(path)))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~umask() if mode is None else mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def umask():
    mask = os.umask(0o022)  # reading it means setting it: put it straight back
    os.umask(mask)
    return mask


def stages_of(file_name):
    """The stages whose checks grade `file_name` (value.py: stages 1, 2 and 3)."""
    return [s for s in ALL_STAGES if file_name in s.files]


def files_named(word):
    """The stub files `reset WORD` means: a stage's files, or one file ('value' or
    'value.py'); None when WORD names neither."""
    stage = stage_by_name(word)
    if stage is not None:
        return list(stage.files)
    name = os.path.basename(word)
    name = name if name.endswith(".py") else name + ".py"
    if any(name in s.files for s in ALL_STAGES):
        return [name]
    return None


def backup(path, stamp):
    """Copy the learner's file to kata-output/backups/<stamp>/ and return the copy's path."""
    copy = os.path.join(output_folder("backups", stamp), os.path.basename(path))
    shutil.copy2(path, copy)
    with open(path, "rb") as original, open(copy, "rb") as kept:
        if original.read() != kept.read():  # never restore over work we could not keep
            raise OSError(f"the backup {copy} differs from {path}")
    return copy


def reset(target, word, confirm, out):
    """`grader.py reset WORD`: back up, then restore the stubs of WORD's files in `target`.
    `confirm(question)` says yes or no. Returns an exit code (0 done, 1 declined, 2 unknown)."""
    stage = stage_by_name(word)
    shared = [f for f in (stage.files if stage and stage.optional else ())
              if any(f in s.files for s in STAGES)]
    if shared:
        # its stubs are a section of files the core stages fill too: a reset would put
        # back their stubs as well, which nobody asking for a challenge means
        out.write(f"grader.py: {stage.name}'s code sits in {' and '.join(shared)} beside "
                  "stages 1-3, so there is no resetting it alone. To start a whole file "
                  f"over, name it: python grader.py reset {shared[0]} (it is backed up "
                  "first).\n")
        return 2
    files = files_named(word)
    if files is None:
        names = sorted({f for s in ALL_STAGES for f in s.files})
        out.write(f"grader.py: nothing called '{word}' to reset: name a stage (stage0 ... "
                  f"stage{len(STAGES) - 1}, challenge1 ...) or a file ({', '.join(names)})\n")
        return 2
    present = [f for f in files if os.path.isfile(os.path.join(target, f))]
    changed = [f for f in present if read(os.path.join(target, f)) != read(os.path.join(STUBS, f))]
    missing = [f for f in files if f not in present]
    if not changed and not missing:
        out.write(f"{', '.join(files)}: already the pristine stub; nothing to reset.\n")
        return 0
    for name in changed:
        owners = ", ".join(s.name for s in stages_of(name))
        out.write(f"{name} holds {owners}: resetting it replaces your work on "
                  f"{'all of them' if ',' in owners else 'it'} with the stub (a backup is "
                  "kept).\n")
    if changed and not confirm(f"Reset {', '.join(changed)}? [y/N] "):
        out.write("Nothing changed.\n")
        return 1
    stamp = free_stamp(changed)
    for name in changed:
        copy = backup(os.path.join(target, name), stamp)
        out.write(f"Saved your {name} to {os.path.relpath(copy)}\n")
    for name in changed + missing:
        shutil.copyfile(os.path.join(STUBS, name), os.path.join(target, name))
        out.write(f"Restored the stub of {name}.\n")
    return 0


def free_stamp(names):
    """A backup folder name from the time, never one that already holds one of `names`
    (two resets within a second must not overwrite the first backup)."""
    base = time.strftime("%Y%m%d-%H%M%S")
    stamp, n = base, 1
    while any(os.path.exists(os.path.join(OUTPUT, "backups", stamp, name)) for name in names):
        n += 1
        stamp = f"{base}-{n}"
    return stamp


def read(path):
    with open(path, "rb") as f:
        return f.read()
