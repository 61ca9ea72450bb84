"""Loading the learner's code inside the child process (never in the grader's own).

The target folder's top-level .py files are imported as one package with a fixed name,
from a snapshot the grader took at the start of the run, so that
- a folder without __init__.py, or with a dash in its name, still imports;
- `from value import Value` and `from .value import Value` give the same class;
- every run compiles the learner's current source, never a cached .pyc.
"""
import importlib
import importlib.abc
import importlib.util
import os
import sys
import traceback

from .stages import MODULE_STAGE, NAME_STAGE

PACKAGE = "kata_target"


class LearnerProblem(Exception):
    """Something about the learner's code that a probe reports instead of a result."""

    def __init__(self, kind, message, **details):
        super().__init__(message)
        self.kind = kind
        self.details = details


class _ModuleAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
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


class LearnerCode:
    """The learner's modules, imported on demand, with failures remembered per module."""

    def __init__(self, snapshot_dir, shown_dir, poisoned, notify, folder_name=""):
        self.package_dir = os.path.join(snapshot_dir, PACKAGE)
        self.shown_dir = shown_dir  # the learner's own folder, for messages
        self.poisoned = poisoned    # module -> why: it killed or hung an earlier child
        self.notify = notify
        self.failures = {}
        self.modules = sorted(f[:-3] for f in os.listdir(self.package_dir)
                              if f.endswith(".py") and f != "__init__.py")
        sys.path.insert(0, snapshot_dir)
        aliases = {m: f"{PACKAGE}.{m}" for m in self.modules
                   if m not in sys.stdlib_module_names}
        if folder_name.isidentifier() and folder_name not in sys.stdlib_module_names \
                and folder_name not in ("kata", PACKAGE):
            # `from exercises.value import Value`, as an IDE writes it from the project root
            aliases[folder_name] = PACKAGE
            aliases.update({f"{folder_name}.{m}": f"{PACKAGE}.{m}" for m in self.modules})
        sys.meta_path.insert(0, _ModuleAlias(aliases))

    def module(self, name):
        if name in self.failures:
            raise self.failures[name]
        full = f"{PACKAGE}.{name}"
        if full in sys.modules:
            return sys.modules[full]
        if name not in self.modules:
            raise LearnerProblem("missing", f"{name}.py not found in {self.shown_dir}",
                                 name=f"{name}.py", stage=MODULE_STAGE.get(name))
        if name in self.poisoned:
            raise LearnerProblem("import", self.poisoned[name], module=name)
        self.notify({"event": "importing", "module": name})
        try:
            return importlib.import_module(full)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt too: report, go on
            sys.modules.pop(full, None)
            problem = self.import_problem(name, exc)
            self.failures[name] = problem
            raise problem from None
        finally:
            self.notify({"event": "imported", "module": name})

    def need(self, module, attr):
        """The learner's `module.attr`; a missing one is reported with the stage that owns it."""
        mod = self.module(module)
        if not hasattr(mod, attr):
            raise LearnerProblem("missing", f"{module}.py has no `{attr}`",
                                 name=f"{module}.{attr}",
                                 stage=NAME_STAGE.get(f"{module}.{attr}"))
        return getattr(mod, attr)

    def import_problem(self, name, exc):
        shown = os.path.join(self.shown_dir, f"{name}.py")
        if isinstance(exc, SystemExit):
            return LearnerProblem("import", f"{shown} called sys.exit({exc.code!r}) while "
                                  "being imported: code at the top level of a module runs on "
                                  "import; move it under `if __name__ == '__main__':`",
                                  module=name)
        info = describe_exception(exc, self)
        return LearnerProblem("import", f"{shown} could not be imported: "
                              f"{info['type']}: {info['message']}", module=name, error=info)

    def shown_path(self, path):
        """A snapshot path back as the learner's own path, or None if not learner code."""
        path = os.path.abspath(path)
        if os.path.dirname(path) == self.package_dir:
            return os.path.join(self.shown_dir, os.path.basename(path))
        return None


def describe_exception(exc, code):
    """An exception as plain data: type, message, and only the learner's own frames."""
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        shown = code.shown_path(frame.filename)
        if shown:
            frames.append({"file": shown, "line": frame.lineno, "func": frame.name,
                           "code": (frame.line or "").strip()})
    if isinstance(exc, SyntaxError) and exc.filename and code.shown_path(exc.filename):
        frames.append({"file": code.shown_path(exc.filename), "line": exc.lineno,
                       "func": "<module>", "code": (exc.text or "").strip()})
        message = exc.msg
    else:
        message = str(exc)
    return {"type": type(exc).__name__, "message": message, "frames": frames}
