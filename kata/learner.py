"""Loading the learner's code inside the child process (never in the grader's own).

The target folder's top-level .py files are imported as one package with a fixed name,
from a snapshot the grader took at the start of the run, so that
- a folder without __init__.py, or with a dash in its name, still imports;
- `from value import Value` and `from .value import Value` give the same class;
- every run compiles the learner's current source, never a cached .pyc.
"""
import importlib
# The import system needs only find_spec, create_module and exec_module of these classes:
# importlib.abc's base classes would cost every child 20 ms of imports (importlib.resources,
# pathlib, typing, tempfile), a third of its start.
import importlib.machinery
import importlib.util
import os
import sys
import traceback

from .places import Sources, locate
from .stages import MODULE_STAGE, NAME_STAGE

PACKAGE = "kata_target"


def learner_files(folder):
    """The files of a target folder that are the learner's code: its top-level .py files,
    not hidden, not __init__.py (the snapshot writes its own). What the grader copies and
    runs, and so what the course policy checks."""
    return sorted(name for name in os.listdir(folder)
                  if name.endswith(".py") and name != "__init__.py" and not name.startswith(".")
                  and os.path.isfile(os.path.join(folder, name)))


class LearnerProblem(Exception):
    """Something about the learner's code that a probe reports instead of a result."""

    def __init__(self, kind, message, **details):
        super().__init__(message)
        self.kind = kind
        self.details = details


class _ModuleAlias:  # a meta path finder and its loader (no importlib.abc: see below)
    """Makes `import value` (and `import exercises.value`, the target folder's own name)
    return the same module object as `kata_target.value`: one Value class, however the
    learner imports it."""

    def __init__(self, aliases):
        self.aliases = aliases  # name the learner may import -> name in the package

    def find_spec(self, fullname, path=None, target=None):
        if fullname in self.aliases:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module(self.aliases[spec.name])

    def exec_module(self, module):
        pass  # already executed as part of the package


class _NoAutogradLibraries:  # a meta path finder
    """The kata is to build autograd, and the child never holds torch (it is the judge's):
    learner code that imports it gets a clear ImportError."""
    BLOCKED = ("torch", "jax", "tensorflow")

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.BLOCKED:
            raise ImportError(f"`import {fullname}` is not available to your code here: the "
                              "point of the kata is to build autograd yourself")
        return None


class _ImportWatcher:  # a meta path finder
    """Announces every learner module as it starts and ends importing, nested imports too
    (neuron.py importing value.py), so that a hang or a crash at import is blamed on the
    file that caused it; and refuses a module that already hung or killed a child."""

    def __init__(self, code):
        self.code = code

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(PACKAGE + "."):
            return None
        name = fullname[len(PACKAGE) + 1:]
        if name in self.code.poisoned:
            raise LearnerProblem("import", self.code.poisoned[name], module=name)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _AnnouncingLoader(spec.loader, name, self.code)
        return spec


class _AnnouncingLoader:  # a loader
    def __init__(self, loader, name, code):
        self.loader, self.name, self.code = loader, name, code

    def __getattr__(self, attr):  # get_source and friends, for tracebacks
        return getattr(self.loader, attr)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        if self.code.notify:
            self.code.notify({"event": "importing", "module": self.name})
        try:
            self.loader.exec_module(module)
        finally:
            if self.code.notify:
                self.code.notify({"event": "imported", "module": self.name})


class LearnerCode:
    """The learner's modules, imported on demand, with failures remembered per module."""

    def __init__(self, snapshot_dir, shown_dir, poisoned, notify, folder_name=""):
        self.package_dir = os.path.join(snapshot_dir, PACKAGE)
        self.shown_dir = shown_dir  # the learner's own folder, for messages
        self.poisoned = poisoned    # module -> why: it killed or hung an earlier child
        self.notify = notify
        self.failures = {}
        # Code taken out of a notebook: where each line came from (kata.notebook)
        self.sources = Sources.load(snapshot_dir)
        self.modules = sorted(f[:-3] for f in os.listdir(self.package_dir)
                              if f.endswith(".py") and f != "__init__.py")
        sys.path.insert(0, snapshot_dir)
        aliases = {m: f"{PACKAGE}.{m}" for m in self.modules
                   if m not in sys.stdlib_module_names}
        # `from exercises.value import Value`, as an IDE writes it from the project root:
        # under the folder's own name, and as `exercises` wherever the files were copied to
        # (a course submission's folder may have any name).
        for folder in {folder_name, "exercises"}:
            if folder.isidentifier() and folder not in sys.stdlib_module_names \
                    and folder not in ("kata", PACKAGE):
                aliases[folder] = PACKAGE
                aliases.update({f"{folder}.{m}": f"{PACKAGE}.{m}" for m in self.modules})
        sys.meta_path.insert(0, _ModuleAlias(aliases))
        sys.meta_path.insert(0, _ImportWatcher(self))
        sys.meta_path.insert(0, _NoAutogradLibraries())

    def module(self, name):
        if name in self.failures:
            raise self.failures[name]
        full = f"{PACKAGE}.{name}"
        if full in sys.modules:
            return sys.modules[full]
        if name not in self.modules:
            why = self.sources and self.sources.why_missing(name)
            raise LearnerProblem("missing", why or f"{name}.py not found in {self.shown_dir}",
                                 name=f"{name}.py", stage=MODULE_STAGE.get(name))
        try:
            return importlib.import_module(full)
        except LearnerProblem:  # it imports a module that hung or killed an earlier child
            sys.modules.pop(full, None)
            raise
        except BaseException as exc:  # SystemExit and KeyboardInterrupt too: report, go on
            sys.modules.pop(full, None)
            problem = self.import_problem(name, exc)
            self.failures[name] = problem
            raise problem from None

    def need(self, module, attr):
        """The learner's `module.attr`; a missing one is reported with the stage that owns it."""
        mod = self.module(module)
        if not hasattr(mod, attr):
            why = self.sources and self.sources.why_missing(module, attr)
            raise LearnerProblem("missing", why or f"{module}.py has no `{attr}`",
                                 name=f"{module}.{attr}",
                                 stage=NAME_STAGE.get(f"{module}.{attr}"))
        return getattr(mod, attr)

    def module_label(self, name):
        """How messages name a learner module: 'exercises/value.py', or for a notebook
        'Value from lecture.ipynb'."""
        if self.sources:
            return self.sources.module_label(name)
        return os.path.join(self.shown_dir, f"{name}.py")

    def import_problem(self, name, exc):
        shown = self.module_label(name)
        if isinstance(exc, SystemExit):
            return LearnerProblem("import", f"{shown} called sys.exit({exc.code!r}) while "
                                  "being imported: code at the top level of a module runs on "
                                  "import; move it under `if __name__ == '__main__':`",
                                  module=name)
        info = describe_exception(exc, self)
        if self.sources:  # a notebook: the file that failed is another kata name's
            failed = last_learner_file(exc, self)
            inside = f" (it uses {self.module_label(failed)}, which does not load)" \
                if failed and failed != name else ""
        else:
            culprit = info["frames"][-1]["file"] if info["frames"] else shown
            inside = "" if culprit == shown else \
                f" (in {os.path.basename(culprit)}, which {name}.py imports)"
        return LearnerProblem("import", f"{shown} could not be imported{inside}: "
                              f"{info['type']}: {info['message']}", module=name, error=info)

    def shown_path(self, path):
        """A snapshot path back as the learner's own path, or None if not learner code."""
        path = os.path.abspath(path)
        if os.path.dirname(path) != self.package_dir:
            return None
        if self.sources:  # assembled from a notebook: the learner's only if mapped
            module = os.path.basename(path)
            return self.sources.module_label(module[:-3]) \
                if module in self.sources.files else None
        return os.path.join(self.shown_dir, os.path.basename(path))

    def place(self, path, line):
        """{"file", "line"} of a line of learner code as the learner knows it (a notebook's
        cell and line), or None when `path` is not learner code."""
        if not self.shown_path(path):
            return None
        file, line = locate(self.sources, self.shown_dir, os.path.basename(path), line)
        return {"file": file, "line": line}


def last_learner_file(exc, code):
    """The module name of the innermost learner file an exception went through."""
    paths = [f.filename for f in traceback.extract_tb(exc.__traceback__)]
    if isinstance(exc, SyntaxError) and exc.filename:
        paths.append(exc.filename)
    mine = [p for p in paths if code.shown_path(p)]
    return os.path.basename(mine[-1])[:-3] if mine else None


def describe_exception(exc, code):
    """An exception as plain data: type, message, and only the learner's own frames."""
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        place = code.place(frame.filename, frame.lineno)
        if place and place["line"] is not None:  # not an import the grader wrote
            frames.append({**place, "func": frame.name, "code": (frame.line or "").strip()})
    place = code.place(exc.filename, exc.lineno) \
        if isinstance(exc, SyntaxError) and exc.filename else None
    if place:
        frames.append({**place, "func": "<module>", "code": (exc.text or "").strip()})
        message = exc.msg
    else:
        message = str(exc)
    # The snapshot is the grader's business: name the learner's own folder and modules.
    shown = code.sources.shown if code.sources else code.shown_dir
    message = message.replace(code.package_dir, shown).replace(f"'{PACKAGE}.", "'")
    return {"type": type(exc).__name__, "message": message, "frames": frames}
