"""Where a line of the learner's code is, said as the learner knows it.

A folder's files are named as they are: `exercises/value.py:12`. Code taken out of a
notebook or a script (kata.notebook) runs from files the grader assembled; a sources map
written beside them (SOURCES_FILE) says, line by line, which cell and which line of the
learner's own file each came from, so every message says `lecture.ipynb, cell 7, line 12`
and never names the grader's temporary file. The child (learner.py, nodes.py) and the
grader (client.py: where a stuck run was) both read places through `Sources`.
Plain data only: no torch, no pytest, no learner code.
"""
import json
import os

SOURCES_FILE = "kata-sources.json"  # beside the assembled files; never a .py, never graded
KERNEL_SHOWN = "your notebook"  # how messages name the cells a kernel ran (kata.kernel)


def from_notebook(shown):
    """True when the graded code was taken out of a notebook, a script or a kernel."""
    return shown == KERNEL_SHOWN or shown.lower().endswith((".ipynb", ".py"))


def at(file, line):
    """'value.py:12' for a file, 'lecture.ipynb, cell 7, line 12' for a notebook's cell."""
    if line is None:
        return file
    return f"{file}:{line}" if file.endswith(".py") else f"{file}, line {line}"


def locate(sources, folder, file_name, line):
    """(file, line) of line `line` of the learner's file `file_name` as the learner knows
    it: in `folder` as messages name it, or, for code taken out of a notebook (`sources`),
    its cell and line (a line the grader wrote: the notebook, no line). The one mapping the
    child's tracebacks, a stuck run's stack and the course policy all use."""
    if sources is None:
        return os.path.join(folder, file_name), line
    return sources.place(file_name, line) or (sources.shown, None)


class Sources:
    """The map from assembled files back to the learner's cells; None-like when absent."""

    def __init__(self, data):
        self.shown = data["shown"]            # the notebook or script, as messages name it
        self.places = data["places"]          # "lecture.ipynb, cell 7", ... each once
        self.files = data["files"]            # file name -> [[place's index, line] or None]
        self.modules = data.get("modules", {})  # module -> "Value from lecture.ipynb"
        self.missing = data.get("missing", {})  # "topo" or "train.sgd_step" -> why

    @classmethod
    def load(cls, folder):
        """The map in `folder`, or None (a plain folder of the learner's files)."""
        try:
            with open(os.path.join(folder, SOURCES_FILE), encoding="utf-8") as f:
                return cls(json.load(f))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def place(self, file_name, line):
        """(place, line) of line `line` of an assembled file, or None when the file is not
        the learner's (a reference file beside it in blame isolation)."""
        lines = self.files.get(file_name)
        if lines is None:
            return None
        if isinstance(line, int) and 0 < line <= len(lines) and lines[line - 1]:
            return self.places[lines[line - 1][0]], lines[line - 1][1]
        return self.shown, None  # a line the grader wrote (an import it added)

    def module_label(self, module):
        return self.modules.get(module, f"{module}.py")

    def why_missing(self, module, attr=None):
        """The assembler's sentence for a name or a module it found no definition of."""
        return self.missing.get(f"{module}.{attr}" if attr else module)
