"""Course mode's published static policy: what learner code may import and name.

A submission's files are read as syntax trees (the `ast` module) before any of them runs;
nothing here ever executes learner code, so it is safe on any input. The policy is a
closed, written-down list, published as COURSE_POLICY.md (rendered from this module, so
the document and the check never disagree): a learner reads exactly what is refused and
why, and honest kata code (classes, closures, f-strings, `import math`, `import random`)
never meets it.

It is one fence among several: the sandboxed child is the other. Its job is to turn away
the known ways out of plain Python (imports, `eval`, frames, `__globals__`, getattr by a
string built at run time) with a message a beginner understands.
"""
import ast
import os
import re
import string
import sys
import unicodedata
from dataclasses import dataclass

ALLOWED_IMPORTS = ("math", "random", "typing", "__future__", "functools", "itertools",
                   "numbers", "dataclasses", "collections", "operator", "copy", "abc", "enum")
KATA_MODULES = ("derivative", "value", "topo", "neuron", "layer", "mlp", "train")

# The README lets learner files import each other through the project's folder name too:
# `from exercises.value import Value`, as an IDE writes it from the project root.
DEFAULT_FOLDER = "exercises"
# The grader's own folders and packages: never the learner's, whatever their files say.
GRADER_PACKAGES = ("solutions", "checks", "kata", "kata_target", "tests", "grader", "tools")
AUTOGRAD_LIBRARIES = ("torch", "jax", "tensorflow")
PLOTTING_LIBRARIES = ("matplotlib", "graphviz")
POLICY_FILE = "COURSE_POLICY.md"
POLICY_COMMAND = "python grader.py policy"

# Built-in names (and module globals) a course submission may not use, with why.
DENIED_NAMES = {
    "__import__": "imports any module, around the import list",
    "eval": "runs a string as Python code",
    "exec": "runs a string as Python code",
    "compile": "turns a string into code to run",
    "open": "reads and writes files; the kata needs no files",
    "globals": "hands out a module's namespace, the grader's included",
    "locals": "hands out a namespace as a dictionary",
    "vars": "hands out an object's namespace as a dictionary",
    "breakpoint": "stops in the debugger, which waits for typing forever",
    "input": "waits for typing, and would read the grader's messages instead",
    "help": "opens the interactive help, which waits for typing",
    "license": "waits for typing",
    "getattr": "reads an attribute named by a string, around this policy: write obj.name",
    "setattr": "writes an attribute named by a string, around this policy: write obj.name = x",
    "delattr": "deletes an attribute named by a string",
    "exit": "stops the process that runs your code",
    "quit": "stops the process that runs your code",
    "__builtins__": "every built-in function, the refused ones included",
    "__loader__": "the import machinery",
    "__spec__": "the import machinery",
    "__file__": "where the grader keeps your file; the kata needs no paths",
    "__package__": "changes what `from . import x` finds",
    "__path__": "changes where a package's modules are found",
}

# Functions of the allowed modules that read attributes by a string or run a string as code:
# refused under any name, bare (`from operator import *`) or as an attribute.
DENIED_HELPERS = {
    "attrgetter": "operator.attrgetter reads attributes named by a string (getattr in disguise)",
    "methodcaller": "operator.methodcaller calls methods named by a string",
    "get_type_hints": "typing.get_type_hints runs strings as code",
    "ForwardRef": "typing.ForwardRef runs a string as code",
    "evaluate_forward_ref": "runs a string as code",
    "singledispatch": "functools.singledispatch runs annotation strings as code",
    "singledispatchmethod": "runs annotation strings as code",
    "update_wrapper": "functools.update_wrapper copies attributes named by strings",
    "wraps": "functools.wraps copies attributes named by strings",
    "global_enum": "enum.global_enum writes into another module",
}

# Attributes that lead out of your own objects, with why. Refused when read, written or
# deleted; defining a method of that name (def __getattribute__) stays allowed.
DENIED_ATTRIBUTES = {
    "__globals__": "a function's module namespace: the way into the grader's code",
    "__subclasses__": "lists every class in the process, the grader's included",
    "__builtins__": "every built-in function, the refused ones included",
    "__code__": "a function's compiled code, which can be swapped or rebuilt",
    "__closure__": "the variables captured by someone else's function",
    "cell_contents": "what a captured variable holds",
    "__dict__": "an object's namespace, read or written by strings",
    "__mro__": "climbs to `object`, and from there down to every class",
    "__bases__": "climbs to `object`, and from there down to every class",
    "__base__": "climbs to `object`, and from there down to every class",
    "mro": "climbs to `object`, and from there down to every class",
    "__loader__": "the import machinery",
    "__spec__": "the import machinery",
    "__path__": "changes where a package's modules are found",
    "__import__": "imports any module, around the import list",
    "__self__": "a built-in function's __self__ is the module of all built-ins",
    "__traceback__": "the frames of the code that ran, the grader's included",
    "tb_frame": "a frame of the code that ran",
    "tb_next": "the next frame of a traceback",
    "f_back": "the calling frame: the grader's",
    "f_globals": "a frame's module namespace",
    "f_locals": "a frame's local variables",
    "f_builtins": "a frame's built-ins",
    "f_code": "a frame's compiled code",
    "gi_frame": "a generator's frame, and from there the caller's",
    "gi_code": "a generator's compiled code",
    "cr_frame": "a coroutine's frame",
    "cr_code": "a coroutine's compiled code",
    "ag_frame": "an async generator's frame",
    "ag_code": "an async generator's compiled code",
    "co_code": "raw bytecode",
    "__reduce__": "the pickling protocol, which hands out internal functions",
    "__reduce_ex__": "the pickling protocol, which hands out internal functions",
    "__getstate__": "an object's whole state, like __dict__",
    "__getattribute__": "reads an attribute named by a string (getattr in disguise)",
    "__setattr__": "writes an attribute named by a string (setattr in disguise)",
    "__delattr__": "deletes an attribute named by a string",
    "__defaults__": "the default values of someone else's function",
    "__kwdefaults__": "the default values of someone else's function",
    "__match_args__": "lets a `case` pattern read attributes named by strings",
    "__dataclass_fields__": "makes dataclasses read attributes named by strings",
    "_getframe": "the frames of the code that is running, the grader's included",
    "_convert_": "looks a module up by its name and copies its contents",
    "_evaluate": "a ForwardRef's: runs a string as code",
    "evaluate": "a ForwardRef's (Python 3.14): runs a string as code",
    "__forward_code__": "a string compiled to code, ready to run",
}
DENIED_ATTRIBUTES.update(DENIED_HELPERS)
DENIED_NAMES.update(DENIED_HELPERS)

# Modules that the allowed ones hold as attributes (random._os is the os module): reaching
# them through an allowed module would get around the import list. Python 3.10 to 3.14;
# tests/test_policy.py checks that the running Python adds none.
MODULE_ATTRIBUTES = ("_os", "_sys", "_random", "_thread", "_weakref", "_collections_abc",
                     "_abc", "_functools", "_operator", "_heapq", "_warnings", "_sha512",
                     "_sha2", "bltns", "builtins", "sys", "os", "types", "inspect", "re",
                     "stdlib_re", "keyword", "warnings", "contextlib", "copyreg", "reprlib",
                     "weakref", "heapq", "annotationlib", "linecache", "tokenize", "io",
                     "importlib", "gc", "threading")
MODULE_REASON = "another module, outside the import list, reached through an allowed one"
DENIED_ATTRIBUTES.update({name: MODULE_REASON for name in MODULE_ATTRIBUTES})

# Assigning these would let code pass for someone else's (a relative import resolves from
# __name__; tracebacks and reports name functions by __qualname__ and __module__).
RENAME_PROTECTED = ("__name__", "__qualname__", "__module__")
FORMAT_METHODS = ("format", "format_map")
# `case int(x)`: these classes match the subject itself, reading no attribute.
SELF_MATCHING = ("bool", "bytearray", "bytes", "dict", "float", "frozenset", "int", "list",
                 "set", "str", "tuple")
# Bare names checked: the refused names, and the refused dunders (`__globals__: int` in a
# class body would let a dataclass read that attribute of anything).
_DENIED_BARE = {**{a: r for a, r in DENIED_ATTRIBUTES.items() if a.startswith("__")},
                **DENIED_NAMES}
_PLAIN_NAMES_NOTE = " (if it is your own variable, give it another name)"
UNCHECKABLE = ("this file could not be checked: it is nested too deeply for the grader to "
               "read; write it more simply")


@dataclass(frozen=True)
class Violation:
    line: int
    code: str     # the line of source, stripped
    message: str  # what is not allowed, and why, in a beginner's words


# --- which imports are the learner's own files ---------------------------------------

def _bare_importable(name):
    """A sibling file the child lets `import name` reach (kata/learner.py's aliases)."""
    return (name.isidentifier() and name not in sys.stdlib_module_names
            and name not in GRADER_PACKAGES and name not in AUTOGRAD_LIBRARIES)


def _folder_prefixes(folder_name):
    prefixes = {DEFAULT_FOLDER}
    if folder_name and folder_name.isidentifier() and folder_name not in sys.stdlib_module_names \
            and folder_name not in ("kata", "kata_target"):
        prefixes.add(folder_name)
    return prefixes


class _Imports:
    """Decides what one file's imports reach: an allowed module, or the learner's own file."""

    def __init__(self, folder_name, siblings):
        self.prefixes = _folder_prefixes(folder_name)
        self.own = set(KATA_MODULES) | {s for s in siblings if _bare_importable(s)}
        self.siblings = set(KATA_MODULES) | set(siblings)

    def own_module(self, module, level):
        """The learner's module `module` names (None: not one of theirs)."""
        if level >= 1:
            return None
        parts = module.split(".")
        if parts[0] in self.own and len(parts) == 1:
            return parts[0]
        if parts[0] in self.prefixes and len(parts) >= 2 and parts[1] in self.siblings:
            return parts[1]
        return None

    def library(self, module, level):
        """Whether an import that passes names a library module, not the learner's files."""
        return level == 0 and bool(module) and self.own_module(module, 0) is None \
            and module.split(".")[0] not in self.prefixes

    def problem(self, module, level):
        """Why `module` (level dots before it) may not be imported, or None."""
        if level >= 2:
            return "it imports from outside your folder"
        if level == 1:
            return None  # a file beside this one: every one of them is checked too
        top = module.split(".")[0]
        if top in ALLOWED_IMPORTS or top in self.prefixes or top in self.own:
            return None
        if top in AUTOGRAD_LIBRARIES:
            return "the point of the kata is to build autograd yourself"
        if top == "numpy":
            return ("the kata needs only plain Python numbers; if it came with the lecture's "
                    "plotting code, remove it: the grader does not plot")
        if top in PLOTTING_LIBRARIES:
            return "remove it: the grader does not plot"
        if top in GRADER_PACKAGES:
            return f"`{top}` is the grader's own folder, not yours"
        return f"`{top}` is not on the course's import list (your code needs only those below)"


# --- the check -------------------------------------------------------------------------

def _lines(source):
    """The source's lines as Python numbers them (not str.splitlines: a form feed is no
    line break for Python)."""
    return re.split(r"\r\n|\r|\n", source)


def _parse(source):
    """(tree, None), (None, None) for a syntax error, or (None, why) when unreadable."""
    if isinstance(source, str):
        source = source.removeprefix("\ufeff")  # a byte order mark, as Python skips it in files
    try:
        return ast.parse(source), None
    except SyntaxError:
        return None, None  # not a policy matter: importing it explains the error
    except (RecursionError, MemoryError, ValueError, OverflowError):
        return None, UNCHECKABLE


def _normal(name):
    # The parser already folds identifiers to NFKC (`ｅｘｅｃ` is `exec`); do it again for
    # names that reach us as strings.
    return unicodedata.normalize("NFKC", name)


def _safe_format_literal(node):
    """A str literal whose replacement fields read no attribute and no index."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    todo = [node.value]
    try:
        while todo:
            for _, field, spec, _ in string.Formatter().parse(todo.pop()):
                if field is not None and ("." in field or "[" in field):
                    return False
                if spec:
                    todo.append(spec)  # "{:{width}}": fields nest inside the spec
    except ValueError:  # malformed: nothing to vouch for
        return False
    return True


def _root_name(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _imported_library_names(tree, imports):
    """{name: module} for the names a file binds by importing a library module (not one of
    the learner's files) or a name from one: Python's own objects, shared with the grader."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if imports.library(alias.name, 0):
                    top = alias.name.split(".")[0]
                    bound[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and imports.library(node.module, node.level):
            bound.update((a.asname or a.name, node.module) for a in node.names if a.name != "*")
    return bound


def _denied_attribute_message(attr, receiver=None):
    attr = _normal(attr)
    if attr in DENIED_ATTRIBUTES:
        return f"`.{attr}` is not allowed in course mode: {DENIED_ATTRIBUTES[attr]}"
    if attr in FORMAT_METHODS and not _safe_format_literal(receiver):
        return (f"`.{attr}` is allowed only on a string literal whose fields read no "
                "attribute or index (\"{:.4f}\".format(x) is fine); use an f-string")
    return None


def _findings(tree, imports):
    """(line, message) for every violation in the tree; iterative, so any depth is safe."""
    library = _imported_library_names(tree, imports)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 1)
        if isinstance(node, ast.Import):
            for alias in node.names:
                why = imports.problem(alias.name, 0)
                if why:
                    yield line, f"`import {alias.name}` is not allowed in course mode: {why}"
        elif isinstance(node, ast.ImportFrom):
            yield from _from_import_findings(node, imports)
        elif isinstance(node, ast.Name):
            name = _normal(node.id)
            if name in _DENIED_BARE:
                note = "" if name.startswith("__") else _PLAIN_NAMES_NOTE
                yield line, f"`{name}` is not allowed in course mode: {_DENIED_BARE[name]}{note}"
            elif name in RENAME_PROTECTED and not isinstance(node.ctx, ast.Load):
                yield line, (f"assigning `{name}` is not allowed in course mode: it would make "
                             "your code pass for someone else's")
        elif isinstance(node, ast.Attribute):
            yield from _attribute_findings(node, line, library)
        elif isinstance(node, ast.MatchClass):
            yield from _match_findings(node, line)


def _from_import_findings(node, imports):
    line = node.lineno
    module = "." * node.level + (node.module or "")
    why = imports.problem(node.module or "", node.level)
    if why:
        yield line, f"`from {module} import ...` is not allowed in course mode: {why}"
        return
    library = imports.library(node.module, node.level)
    for alias in node.names:
        name = _normal(alias.name)
        if name == "*" and node.level >= 1 and not node.module:
            yield line, ("`from . import *` is not allowed in course mode: name the file "
                         "you import, as in `from . import value`")
        elif name in DENIED_NAMES or (name in DENIED_ATTRIBUTES
                                      and (library or name not in MODULE_ATTRIBUTES)):
            # (a learner's own `os.py` may be imported as `from . import os`)
            reason = DENIED_NAMES.get(name) or DENIED_ATTRIBUTES[name]
            yield line, f"importing `{name}` is not allowed in course mode: {reason}"
        elif library and name.startswith("_") and node.module != "__future__":
            yield line, (f"importing `{name}` is not allowed in course mode: names starting "
                         f"with _ are {node.module}'s own, not for your code")


def _attribute_findings(node, line, library):
    why = _denied_attribute_message(node.attr, node.value)
    if why:
        yield line, why
        return
    attr = _normal(node.attr)
    if not isinstance(node.ctx, ast.Load):
        if attr in RENAME_PROTECTED:
            yield line, (f"assigning `.{attr}` is not allowed in course mode: it would make "
                         "code pass for someone else's")
        elif _root_name(node.value) in library:
            module = library[_root_name(node.value)]
            yield line, (f"changing `{_root_name(node.value)}` is not allowed in course "
                         f"mode: it comes from `{module}`, which the grader uses too")
    elif isinstance(node.value, ast.Name) and node.value.id in library \
            and attr.startswith("_") and not (attr.startswith("__") and attr.endswith("__")):
        # (dunders such as Random.__init__ are fine unless on the list above)
        yield line, (f"`{node.value.id}.{attr}` is not allowed in course mode: names starting "
                     "with _ are the module's own, not for your code")


def _match_findings(node, line):
    for attr in node.kwd_attrs:
        why = _denied_attribute_message(attr)
        if why:
            yield line, why
    if node.patterns and not (isinstance(node.cls, ast.Name) and node.cls.id in SELF_MATCHING):
        yield line, ("a class pattern with positions (`case Point(x, y)`) is not allowed in "
                     "course mode: it reads attributes named by strings; write "
                     "`case Point(x=x, y=y)`")


def check_source(source, folder_name=DEFAULT_FOLDER, siblings=frozenset()):
    """Every policy violation in one file's source, in line order ([] when it follows the
    policy, and for a syntax error, which importing the file explains better).

    `source` may be bytes (then a `# coding:` line counts, as it does for Python);
    `folder_name` is the submission folder's name, `siblings` the module names of the
    other .py files beside it (both say which imports are the learner's own files)."""
    text = source.decode("utf-8", errors="replace") if isinstance(source, bytes) else source
    lines = _lines(text.removeprefix("\ufeff"))
    tree, unreadable = _parse(source)
    if unreadable:
        return [Violation(1, lines[0].strip(), unreadable)]
    if tree is None:
        return []
    try:
        found = sorted(set(_findings(tree, _Imports(folder_name, siblings))))
    except (RecursionError, MemoryError):
        return [Violation(1, lines[0].strip(), UNCHECKABLE)]
    return [Violation(line, lines[line - 1].strip() if 0 < line <= len(lines) else "", message)
            for line, message in found]


def kata_imports(source, folder_name=DEFAULT_FOLDER, siblings=frozenset()):
    """The kata modules and sibling files that a file imports, by module name
    (`from .value import Value` -> {"value"}); empty for a file that does not parse."""
    tree, _ = _parse(source)
    if tree is None:
        return set()
    imports = _Imports(folder_name, siblings)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(imports.own_module(alias.name, 0))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 and module:
                found.add(module.split(".")[0] if module.split(".")[0] in imports.siblings
                          else None)
            elif node.level == 1 or (node.level == 0 and module in imports.prefixes):
                found.update(a.name for a in node.names if a.name in imports.siblings)
            elif node.level == 0:
                found.add(imports.own_module(module, 0))
    found.discard(None)
    return found


def _module_files(folder):
    """The files the grader copies and runs (kata/client.py's snapshot): top-level .py
    files, not hidden, not __init__.py (the grader writes its own)."""
    return sorted(name for name in os.listdir(folder)
                  if name.endswith(".py") and name != "__init__.py" and not name.startswith(".")
                  and os.path.isfile(os.path.join(folder, name)))


def check_folder(folder):
    """{module name: its violations} for every file of a submission folder."""
    folder_name = os.path.basename(os.path.normpath(folder))
    modules = [name[:-3] for name in _module_files(folder)]
    result = {}
    for module in modules:
        with open(os.path.join(folder, module + ".py"), "rb") as f:
            source = f.read()
        result[module] = check_source(source, folder_name, frozenset(modules) - {module})
    return result


# --- what the learner reads ------------------------------------------------------------

def _footer():
    return (f"Your files may import: {', '.join(ALLOWED_IMPORTS)}, and each other.\n"
            f"The course policy: {POLICY_FILE}, or run: {POLICY_COMMAND}")


def _violation_lines(shown_path, violations):
    lines = []
    for v in violations:
        lines.append(f"{shown_path}:{v.line}: {v.code}" if v.code else f"{shown_path}:{v.line}")
        lines.append(f"    {v.message}")
    return lines


def violation_text(shown_path, violations):
    """What a learner is shown for one file's violations ("" when there are none)."""
    if not violations:
        return ""
    return "\n".join(_violation_lines(shown_path, violations) + ["", _footer()])


def policy_report(folder):
    """(text, ok): what `python grader.py policy [--target DIR]` prints, and whether every
    file follows the policy."""
    try:
        found = check_folder(folder)
    except OSError as problem:
        return f"cannot read {folder}: {problem.strerror or problem}", False
    lines = []
    for module, violations in sorted(found.items()):
        lines += _violation_lines(os.path.join(folder, module + ".py"), violations)
    if not lines:
        return "no violations: your files follow the course policy", True
    count = sum(len(v) for v in found.values())
    head = f"{count} course policy violation{'s' if count != 1 else ''}:"
    return "\n".join([head, ""] + lines + ["", _footer()]), False


# --- the published document ---------------------------------------------------------------

def _table(entries):
    rows = ["| name | why it is refused |", "|---|---|"]
    rows += [f"| `{name}` | {why} |" for name, why in entries]
    return rows


def policy_markdown():
    """COURSE_POLICY.md: the whole policy, in the words the checker uses."""
    core_names = [(n, w) for n, w in DENIED_NAMES.items() if n not in DENIED_HELPERS]
    core_attributes = [(n, w) for n, w in DENIED_ATTRIBUTES.items()
                       if n not in DENIED_HELPERS and n not in MODULE_ATTRIBUTES]
    out = [
        "# Course policy",
        "",
        "<!-- Generated from kata/policy.py (policy_markdown); a self-test keeps them equal. -->",
        "",
        "In course mode the grader reads every `.py` file of your submission before any of it "
        "runs, and refuses a file that imports, names or reaches something on the lists "
        "below. A stage that loads a refused file fails, with the line and the reason. "
        "Check your files yourself at any time:",
        "",
        "```",
        f"{POLICY_COMMAND}                  # your exercises/ folder",
        f"{POLICY_COMMAND} --target DIR     # another folder",
        "```",
        "",
        "Why: the grade must be one an instructor can trust. Everything the kata asks for is "
        "plain Python (classes, functions, lambdas, closures, f-strings, `super()`, "
        "`isinstance`, `type(self)`, dunder methods such as `__add__` and `__radd__`, "
        "`if __name__ == \"__main__\":`), and none of it is on these lists. What is on them "
        "are the ways out of your own code: into files, other processes, the grader's "
        "memory, or code that runs from a string.",
        "",
        "## Imports",
        "",
        "Your files may import these modules (and their submodules, such as "
        "`collections.abc`):",
        "",
        ", ".join(f"`{m}`" for m in ALLOWED_IMPORTS),
        "",
        "and each other: the kata's files (" + ", ".join(f"`{m}`" for m in KATA_MODULES)
        + ") and any other `.py` file beside them, such as a `utils.py` of your own (it is "
        "checked too). Any of these spellings works:",
        "",
        "```python",
        "from .value import Value",
        "from value import Value",
        "from exercises.value import Value     # or your folder's own name",
        "from . import value",
        "import value",
        "import exercises.value",
        "```",
        "",
        "Anything else is refused, for example:",
        "",
        "- `import numpy`, `import matplotlib`, `import graphviz`: the lecture's plotting "
        "code. The kata needs only plain Python numbers; if one of them is in your file, "
        "remove it: the grader does not plot.",
        "- `import torch` (or jax, tensorflow): the point of the kata is to build autograd "
        "yourself.",
        "- `import solutions`, `from solutions import value`: the grader's own folders are "
        "not yours.",
        "- `import os`, `import sys`, `import builtins`, `from importlib import "
        "import_module`: not on the list.",
        "- `from .. import x`: outside your folder.",
        "- names starting with `_` from an allowed module (`from random import _os`, "
        "`random._os`): they are the module's own.",
        "",
        "## Names",
        "",
        "These names may not appear in your code (if one is your own variable, rename it):",
        "",
        *_table(core_names),
        "",
        "## Attributes",
        "",
        "These attributes may not be read, written or deleted (`x.__globals__`). Defining a "
        "method of the same name in your class (`def __getattribute__(self, name):`) is "
        "allowed; `__name__`, `__class__`, `__init__`, `__add__`, `__call__` and the other "
        "dunder methods are allowed.",
        "",
        *_table(core_attributes),
        "",
        "## Functions of the allowed modules",
        "",
        "Refused under any name: imported (`from operator import attrgetter`), bare, or as an "
        "attribute (`operator.attrgetter`):",
        "",
        *_table(DENIED_HELPERS.items()),
        "",
        "## Modules inside allowed modules",
        "",
        "Some allowed modules hold other modules as attributes (`random._os` is `os`). These "
        "attribute names are refused, since they get around the import list: "
        + ", ".join(f"`{m}`" for m in MODULE_ATTRIBUTES) + ".",
        "",
        "## Other rules",
        "",
        "- `.format` and `.format_map` only on a string literal whose replacement fields read "
        "no attribute and no index: `\"{:.4f}\".format(x)` is fine, "
        "`\"{0.__init__.__globals__}\".format(f)` is not (a field like `{0.x}` reads an "
        "attribute by a string). An f-string is always fine: `f\"{v.data:.4f}\"`.",
        "- No assigning to " + ", ".join(f"`{n}`" for n in RENAME_PROTECTED)
        + " (as a name or an attribute): it would make code pass for someone else's. "
        "Reading `__name__` is fine.",
        "- No changing Python's own modules: `random.seed = ...` or `math.tanh = ...` "
        "change them for the grader too.",
        "- In a `match` statement, a class pattern names its attributes (`case Point(x=a)`); "
        "positions (`case Point(a)`) read attributes named by strings, so they are refused "
        "(except for " + ", ".join(f"`{c}(x)`" for c in SELF_MATCHING) + ").",
        "- A file too deeply nested to be read is refused: it could not be checked.",
        "- A file with a syntax error is not a policy matter: grading it shows the error.",
        "",
    ]
    return "\n".join(out)
