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
import importlib
import os
import re
import string
import sys
import unicodedata
from dataclasses import dataclass

from .learner import learner_files
from .places import Sources, at, locate

ALLOWED_IMPORTS = ("math", "random", "typing", "__future__", "functools", "itertools",
                   "numbers", "dataclasses", "collections", "operator", "copy", "abc", "enum")
KATA_MODULES = ("derivative", "value", "topo", "neuron", "layer", "mlp", "train")

# What may be taken from each allowed module (a closed list: a library function that is
# not here may turn a string into an attribute or into code, as `cached_property.attrname`
# and `make_dataclass` do). None: every public name (pure numbers and iterators).
ALLOWED_MEMBERS = {
    "math": None, "itertools": None, "numbers": None, "__future__": None,
    "random": ("random", "uniform", "seed", "gauss", "normalvariate", "choice", "choices",
               "shuffle", "sample", "randint", "randrange", "Random", "getrandbits",
               "triangular", "betavariate", "expovariate", "lognormvariate", "gammavariate",
               "vonmisesvariate", "paretovariate", "weibullvariate", "getstate", "setstate"),
    "functools": ("reduce", "partial", "total_ordering", "lru_cache", "cache", "cmp_to_key"),
    "dataclasses": ("dataclass", "field", "fields", "asdict", "astuple", "replace",
                    "is_dataclass", "InitVar", "KW_ONLY", "MISSING", "FrozenInstanceError"),
    "collections": ("deque", "defaultdict", "OrderedDict", "Counter", "namedtuple", "ChainMap",
                    "UserDict", "UserList", "UserString", "abc"),
    "operator": ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg", "pos",
                 "abs", "lt", "le", "eq", "ne", "ge", "gt", "not_", "truth", "is_", "is_not",
                 "index", "itemgetter", "getitem", "setitem", "delitem", "contains", "countOf",
                 "indexOf", "iadd", "isub", "imul", "itruediv", "ipow", "matmul", "and_",
                 "or_", "xor", "invert", "inv", "lshift", "rshift"),
    "copy": ("copy", "deepcopy", "Error"),
    "abc": ("ABC", "abstractmethod", "abstractproperty", "abstractclassmethod",
            "abstractstaticmethod"),
    "enum": ("Enum", "IntEnum", "Flag", "IntFlag", "StrEnum", "auto", "unique"),
    "typing": ("Any", "Callable", "ClassVar", "Collection", "Container", "Counter", "DefaultDict",
               "Deque", "Dict", "Final", "FrozenSet", "Generator", "Generic", "Hashable",
               "Iterable", "Iterator", "List", "Literal", "Mapping", "MutableMapping",
               "MutableSequence", "MutableSet", "NamedTuple", "NoReturn", "Optional",
               "OrderedDict", "Protocol", "Reversible", "Sequence", "Set", "Sized",
               "SupportsAbs", "SupportsFloat", "SupportsInt", "Tuple", "Type", "TypeVar",
               "TYPE_CHECKING", "Union", "cast", "overload", "runtime_checkable", "Self",
               "Never", "TypeAlias", "AbstractSet", "Annotated"),
}

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
    "getattr": "reads an attribute named by a string, around this policy: write obj.name "
               "(for `getattr(other, 'data', other)`, write `other = other if "
               "isinstance(other, Value) else Value(other)`)",
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
    "get_args": "typing.get_args hands out ForwardRef objects, which run strings as code",
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
    "__dict__": "an object's namespace, read or written by strings: name the attributes "
                "instead (`self.data`, `self.grad`)",
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
    "__setstate__": "copy and pickle set attributes named by the strings it is given",
    "__copy__": "a hook of the copy module, which sets attributes from data",
    "__deepcopy__": "a hook of the copy module, which sets attributes from data",
    "__annotations__": "library code (dataclasses, typing) turns its strings into code",
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
    "__forward_code__": "a string compiled to code, ready to run",
    "__forward_arg__": "a ForwardRef's string, which typing runs as code",
    "__args__": "hands out ForwardRef objects (typing.List['x']), which run strings as code",
    "__parameters__": "hands out typing's internal objects, which run strings as code",
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
# Methods that copy and pickle call to rebuild an object: the attributes they name in the
# data they return get set, by string, on any object (setattr in disguise). The kata's
# classes need none of them.
DENIED_METHODS = ("__reduce__", "__reduce_ex__", "__setstate__", "__getstate__", "__copy__",
                  "__deepcopy__")
# Built-ins refused only where the name means the built-in: `def __call__(self, input)`
# is the learner's own variable.
BUILTIN_ONLY = ("input", "help", "license", "exit", "quit")
# A str constant holding `__` names Python's internals ("__annotations__",
# "__import__('os')"); library code (type(), dataclasses, typing) turns such strings into
# attributes or code. Docstrings stay allowed, and so do these names inside a string
# (`NotImplementedError("stage 1: Value.__add__")`): the methods a class body may define
# anyway, nothing a library reads as an instruction.
STRING_DUNDERS = ("__main__", "__init__", "__repr__", "__str__", "__call__", "__add__",
                  "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
                  "__rtruediv__", "__pow__", "__rpow__", "__neg__", "__pos__", "__abs__",
                  "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__",
                  "__len__", "__iter__", "__getitem__", "__float__", "__int__", "__bool__")
STRING_REASON = ("a string that names Python's internals can be turned into code or an "
                 "attribute by library code")
# Bare names checked: the refused names, and the refused dunders (`__globals__: int` in a
# class body would let a dataclass read that attribute of anything).
_DENIED_BARE = {**{a: r for a, r in DENIED_ATTRIBUTES.items() if a.startswith("__")},
                **DENIED_NAMES}
_PLAIN_NAMES_NOTE = " (if it is your own variable, give it another name)"


def _plain_name_note(node):
    """What to do about a denied plain name: a call is to be removed, a name of the
    learner's own (a variable called `vars`) renamed."""
    called = getattr(node, "kata_called", False)
    if called and node.id in ("breakpoint", "exit", "quit", "input", "help", "license"):
        return "; remove it"
    return "" if called else _PLAIN_NAMES_NOTE
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
            return ("remove it: the grader does not plot (code under `if __name__ == "
                    "'__main__':` is checked too)")
        if top in GRADER_PACKAGES:
            return f"`{top}` is the grader's own folder, not yours"
        if top == "sys":
            return ("`sys` is not on the course's import list; if it was for "
                    "sys.setrecursionlimit, the kata's graphs are small enough without it (and "
                    "a build_topo with a list as its own stack needs no recursion at all)")
        return f"`{top}` is not on the course's import list (your code needs only those below)"


# --- the check -------------------------------------------------------------------------

def _lines(source):
    """The source's lines as Python numbers them (not str.splitlines: a form feed is no
    line break for Python)."""
    return re.split(r"\r\n|\r|\n", source)


_PARSED = {}  # source -> _parse's answer, for the latest few files: each is read 3 ways


def _parse(source):
    """(tree, None), (None, None) for a syntax error, or (None, why) when unreadable."""
    if source not in _PARSED:
        if len(_PARSED) >= 32:
            _PARSED.clear()
        _PARSED[source] = _parse_once(source)
    return _PARSED[source]


def _parse_once(source):
    if isinstance(source, str):
        source = source.removeprefix("\ufeff")  # a byte order mark, as Python skips it in files
    try:
        return ast.parse(source), None
    except SyntaxError:
        return None, None  # not a policy matter: importing it explains the error
    except (RecursionError, MemoryError, ValueError, OverflowError):
        return None, UNCHECKABLE


_WALKED = []  # [(tree, its nodes)] of the latest trees: a file's tree is read a dozen ways


def _walk(tree):
    """ast.walk(tree) as a list, made once per tree (nothing here changes a tree's shape:
    a grading's policy check walked each file ten times, a tenth of its time)."""
    for known, nodes in _WALKED:
        if known is tree:
            return nodes
    nodes = list(ast.walk(tree))
    _WALKED.insert(0, (tree, nodes))
    del _WALKED[4:]
    return nodes


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


def _exists(module, name):
    """Whether the allowed standard module `module` has `name` (it is imported here, in the
    grader, to look: these are the standard library's own modules)."""
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return True  # cannot tell: judge it as if it existed


def _member_problem(module, name, imports=None):
    """Why `name` may not be taken from the allowed library module `module` (or from the
    submission's own package), or None."""
    top = module.split(".")[0] if module else ""
    if imports is not None and top in imports.prefixes:
        if name in imports.siblings or "." in module:
            return None
        return (f"`{top}` holds only your files ({', '.join(sorted(imports.siblings))}), "
                f"and `{name}` is not one of them")
    if module == "collections.abc" or name.startswith("_"):
        return None  # collections.abc: classes only; private names: their own rule
    allowed = ALLOWED_MEMBERS.get(module, ALLOWED_MEMBERS.get(top, None))
    if allowed is None or name in allowed or not _exists(module, name):
        return None  # a name the module lacks (random.normal) is a bug for grading to name
    return (f"`{name}` is not among what the course allows from `{module}` ("
            + ", ".join(allowed) + "): other library functions can turn strings into "
            "attributes or code")


def _root_name(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _imported_library_names(tree, imports):
    """{name: module} for the names a file binds by importing a library module (not one of
    the learner's files) or a name from one: Python's own objects, shared with the grader."""
    bound = {}
    for node in _walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if imports.library(alias.name, 0):
                    top = alias.name.split(".")[0]
                    bound[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and imports.library(node.module, node.level):
            bound.update((a.asname or a.name, node.module) for a in node.names if a.name != "*")
    return bound


def _is_private(name):
    """`_name` or `__name`, not a dunder such as `__init__`."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _private_definitions(tree):
    """The private names a file defines itself: attributes it sets (`self._prev = ...`),
    names it assigns, defines or takes as parameters (`def f(_children=())`, `_op: str`),
    and `__slots__` entries."""
    defined = set()
    for node in _walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__slots__" for t in node.targets):
            defined.update(c.value for c in ast.walk(node.value)
                           if isinstance(c, ast.Constant) and isinstance(c.value, str))
    return {name for name in map(_normal, defined) if _is_private(name)}


def defined_private_names(source):
    """The private names (`_prev`, `_backward`) one file's source defines; check_folder
    pools them over a submission's files. Empty for a file that does not parse."""
    tree, _ = _parse(source)
    return set() if tree is None else _private_definitions(tree)


def _denied_attribute_message(attr, receiver=None):
    attr = _normal(attr)
    if attr in DENIED_ATTRIBUTES:
        return f"`.{attr}` is not allowed in course mode: {DENIED_ATTRIBUTES[attr]}"
    if attr in FORMAT_METHODS and not _safe_format_literal(receiver):
        return (f"`.{attr}` is allowed only on a string literal whose fields read no "
                "attribute or index (\"{:.4f}\".format(x) is fine); use an f-string")
    return None


# The kata's own private names (the stubs and the lecture use them): always the learner's,
# even in a file set that misspells or renames them elsewhere (then grading says what is
# wrong, which the policy should not pre-empt with "none of your files defines _prev").
KATA_PRIVATE = ("_prev", "_backward", "_op", "_children", "_label")


def _private_message(attr, defined):
    if _is_private(attr) and attr not in defined and attr not in KATA_PRIVATE:
        return (f"`.{attr}` is not allowed in course mode: a name starting with _ belongs to "
                f"the code that defines it, and none of your files defines `{attr}` (Python's "
                "own internals are not for your code)")
    return None


def _names_internals(text):
    """Whether a string holds `__` outside the harmless method names of STRING_DUNDERS."""
    rest = re.sub(r"__[a-z]+__", lambda m: "" if m[0] in STRING_DUNDERS else m[0], text)
    # `__` before a letter starts a name of Python's internals ("__import__", "__globals");
    # a divider line of underscores or "model__v2"-like names say nothing of the sort.
    return re.search(r"(?<![A-Za-z0-9])__[A-Za-z]", rest) is not None


def _docstrings(tree):
    """The ids of the docstring constants: the first statement of a module, class or def."""
    found = set()
    for node in _walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant) \
                and isinstance(node.body[0].value.value, str):
            found.add(id(node.body[0].value))
    return found


def _imported_module_names(tree, imports):
    """{name: module} for the names `import X` / `import X as Y` bind to a library module,
    or to the submission's own package (`import exercises.value` binds `exercises`)."""
    bound = {}
    for node in _walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if imports.library(alias.name, 0) or (top in imports.prefixes
                                                      and not alias.asname):
                    bound[alias.asname or top] = alias.name
    return bound


def _attribute_receivers(tree):
    """The ids of the Name nodes read as `name.attribute`."""
    return {id(node.value) for node in _walk(tree) if isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name)}


def _findings(tree, imports, defined):
    """(line, message) for every violation in the tree; iterative, so any depth is safe."""
    library = _imported_library_names(tree, imports)
    modules = _imported_module_names(tree, imports)
    receivers = _attribute_receivers(tree)
    docstrings = _docstrings(tree)
    decorators = _decorator_nodes(tree)
    for node in _walk(tree):  # `breakpoint()`: a call to remove, not a name to rename
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            node.func.kata_called = True
    for node in _walk(tree):
        line = getattr(node, "lineno", 1)
        if _dataclass_reference(node) and id(node) not in decorators:
            yield line, ("`dataclass` is allowed in course mode only as a decorator on a class "
                         "statement (`@dataclass`): called on a class built at run time, it "
                         "turns the names in that class's annotations into code")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and _normal(node.func.id) == "type" and len(node.args) + len(node.keywords) > 1:
            yield line, ("`type(name, bases, namespace)` is not allowed in course mode: it "
                         "builds a class from strings; write a `class` statement")
        if isinstance(node, ast.Import):
            for alias in node.names:
                why = imports.problem(alias.name, 0)
                if why:
                    yield line, f"`import {alias.name}` is not allowed in course mode: {why}"
        elif isinstance(node, ast.ImportFrom):
            yield from _from_import_findings(node, imports)
        elif isinstance(node, ast.Name):
            yield from _name_findings(node, line, modules, receivers)
        elif isinstance(node, ast.Attribute):
            yield from _attribute_findings(node, line, library, defined, modules, imports)
        elif isinstance(node, ast.MatchClass):
            yield from _match_findings(node, line, defined)
        elif isinstance(node, ast.ClassDef) and _makes_classes(node):
            yield line, ("a metaclass (`metaclass=...`, or a class derived from `type`) is not "
                         "allowed in course mode: it can rewrite a class's namespace with "
                         "names built from strings; the kata's classes need none")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and _normal(node.name) in DENIED_METHODS:
            yield line, (f"defining `{_normal(node.name)}` is not allowed in course mode: copy "
                         "and pickle call it, then set attributes named by the strings it "
                         "hands them (setattr in disguise); the kata's classes need none")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and _names_internals(node.value) and id(node) not in docstrings:
            yield line, ("a string containing `__` is not allowed in course mode (docstrings, "
                         "\"__main__\" and method names such as \"Value.__add__\" are fine): "
                         f"{STRING_REASON}")
    for node in _builtin_references(tree, BUILTIN_ONLY):
        yield node.lineno, (f"`{node.id}` is not allowed in course mode: "
                            f"{DENIED_NAMES[node.id]}{_plain_name_note(node)}")


def _makes_classes(node):
    """A class statement with a metaclass, or one that is itself a metaclass."""
    if any(k.arg == "metaclass" for k in node.keywords):
        return True
    return any((isinstance(b, ast.Name) and _normal(b.id) == "type")
               or (isinstance(b, ast.Attribute) and _normal(b.attr) in ("type", "ABCMeta",
                                                                       "EnumMeta", "EnumType"))
               for b in node.bases)


def _decorator_nodes(tree):
    """The ids of the expressions used as decorators (`@dataclass`, `@dataclass(eq=False)`,
    `@dataclasses.dataclass`): the callee counts as used in a decorator too."""
    found = set()
    for node in _walk(tree):
        for decorator in getattr(node, "decorator_list", ()):
            found.add(id(decorator))
            if isinstance(decorator, ast.Call):
                found.add(id(decorator.func))
    return found


def _dataclass_reference(node):
    """`dataclass` or `something.dataclass` read as a value."""
    if isinstance(node, ast.Name):
        return _normal(node.id) == "dataclass" and isinstance(node.ctx, ast.Load)
    return isinstance(node, ast.Attribute) and _normal(node.attr) == "dataclass" \
        and isinstance(node.ctx, ast.Load)


def _name_findings(node, line, modules, receivers):
    name = _normal(node.id)
    if name in BUILTIN_ONLY:
        return  # checked with its scope: _builtin_references
    if name in _DENIED_BARE:
        note = "" if name.startswith("__") else _plain_name_note(node)
        yield line, f"`{name}` is not allowed in course mode: {_DENIED_BARE[name]}{note}"
    elif name in RENAME_PROTECTED and not isinstance(node.ctx, ast.Load):
        yield line, (f"assigning `{name}` is not allowed in course mode: it would make "
                     "your code pass for someone else's")
    elif name in modules and isinstance(node.ctx, ast.Load) and id(node) not in receivers:
        yield line, (f"using the module `{name}` as a value is not allowed in course mode: "
                     f"write `{name}.something` (as in `math.exp(x)`); a module handed on or "
                     "renamed (`r = random`) gets around the checks on what is read from it")


# --- which names mean the built-in: input(), help(), exit() ----------------------------

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _stored_names(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)}


def _local_bindings(function):
    """(names the function binds in its own scope, names it declares global): parameters,
    and whatever its body assigns, imports, defines, catches or captures. Any of them is a
    local variable of the function everywhere in it, never the built-in."""
    args = function.args
    bound = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    bound |= {a.arg for a in (args.vararg, args.kwarg) if a}
    todo = [] if isinstance(function, ast.Lambda) else list(function.body)
    declared, global_names = set(), set()
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
            if isinstance(node, ast.Global):
                global_names.update(node.names)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        if isinstance(node, _FUNCTIONS + (ast.ClassDef,)):
            bound.add(node.name)
            continue  # a scope of its own
        if isinstance(node, (ast.Lambda,) + _COMPREHENSIONS):
            continue  # a scope of its own
        todo.extend(ast.iter_child_nodes(node))
    return bound - declared, global_names


def _binds_before_next(statement):
    """Names a statement surely binds once it has run (so the statements after it see them)."""
    if isinstance(statement, ast.Assign):
        return set().union(*map(_stored_names, statement.targets))
    if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and statement.value is not None:
        return _stored_names(statement.target)
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in statement.names}
    if isinstance(statement, _FUNCTIONS + (ast.ClassDef,)):
        return {statement.name}
    return set()


def _block_bindings(node, field, bound):
    """What the statements of `field` (a body) start with: a loop's target, a `with`'s
    `as` name, an `except`'s name or a `case`'s captures are bound inside their own body."""
    if field == "body":
        if isinstance(node, (ast.For, ast.AsyncFor)):
            return bound | _stored_names(node.target)
        if isinstance(node, (ast.With, ast.AsyncWith)):
            return bound.union(*(_stored_names(i.optional_vars) for i in node.items
                                 if i.optional_vars is not None))
        if isinstance(node, ast.ExceptHandler) and node.name:
            return bound | {node.name}
        if isinstance(node, ast.match_case):
            return bound | {n.name for n in ast.walk(node.pattern)
                            if isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name}
    return bound


def _builtin_references(tree, names):
    """The loads of `names` that can only mean the built-in: not bound in an enclosing
    function (parameters and assignments anywhere in it), lambda or comprehension, nor by a
    statement that runs before them in the module or class. Iterative, any depth."""
    deleted = {n.id for n in _walk(tree)
               if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Del)}
    names = frozenset(names)
    # (node, bound, base): `base` is what a function nested here sees, when that is not
    # `bound` (a class body's names are invisible to its methods)
    todo = [(tree, frozenset(), None)]
    while todo:
        node, bound, base = todo.pop()
        outer = bound if base is None else base
        if isinstance(node, ast.Name):
            if node.id in names and isinstance(node.ctx, ast.Load) and node.id not in bound:
                yield node
            continue
        if isinstance(node, _FUNCTIONS + (ast.Lambda,)):
            local, global_names = _local_bindings(node)
            inner = (outer - global_names) | (local & names)
            for field, value in ast.iter_fields(node):
                if field != "body":
                    todo.extend((c, bound, base) for c in _nodes(value))
            if isinstance(node, ast.Lambda):
                todo.append((node.body, inner, None))
            else:
                todo.extend(_sequence(node, "body", node.body, inner, None, deleted))
            continue
        if isinstance(node, _COMPREHENSIONS):
            first, *_ = node.generators
            inner = outer | set().union(*(_stored_names(g.target) for g in node.generators))
            todo.append((first.iter, bound, base))
            for child in ast.iter_child_nodes(node):
                if child is not first:
                    todo.append((child, inner, None))
            todo.extend((c, inner, None) for c in [first.target, *first.ifs])
            continue
        class_base = outer if isinstance(node, ast.ClassDef) else base
        for field, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                todo.extend(_sequence(node, field, value, bound, class_base, deleted))
            else:
                todo.extend((c, bound, base) for c in _nodes(value))


def _nodes(value):
    if isinstance(value, ast.AST):
        return [value]
    return [v for v in value if isinstance(v, ast.AST)] if isinstance(value, list) else []


def _sequence(node, field, statements, bound, base, deleted):
    """Work items for a list of statements, each seeing what the ones before it bound
    (a name deleted anywhere, `del input`, may be unbound again: it never counts)."""
    bound = frozenset(_block_bindings(node, field, bound))
    items = []
    for statement in statements:
        items.append((statement, bound, base))
        bound = bound | (_binds_before_next(statement) - deleted)
    return items


def _from_import_findings(node, imports):
    line = node.lineno
    module = "." * node.level + (node.module or "")
    why = imports.problem(node.module or "", node.level)
    if why:
        yield line, f"`from {module} import ...` is not allowed in course mode: {why}"
        return
    library = imports.library(node.module, node.level)
    package = node.level == 0 and node.module in imports.prefixes  # `from exercises import x`
    for alias in node.names:
        name = _normal(alias.name)
        if package and name != "*" and _member_problem(node.module, name, imports):
            yield line, (f"importing `{name}` from `{node.module}` is not allowed in course "
                         f"mode: {_member_problem(node.module, name, imports)}")
            continue
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
        elif library and name == "*" and ALLOWED_MEMBERS.get(node.module.split(".")[0],
                                                              None) is not None:
            yield line, (f"`from {node.module} import *` is not allowed in course mode: "
                         "import the names you use, e.g. "
                         f"`from {node.module} import {ALLOWED_MEMBERS[node.module.split('.')[0]][0]}`")
        elif library and _member_problem(node.module, name):
            yield line, (f"importing `{name}` from `{node.module}` is not allowed in course "
                         f"mode: {_member_problem(node.module, name)}")


def _attribute_findings(node, line, library, defined, modules, imports):
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
        elif isinstance(node.ctx, ast.Del) and _private_message(attr, defined):
            yield line, _private_message(attr, defined)
    elif isinstance(node.value, ast.Name) and node.value.id in modules \
            and _member_problem(modules[node.value.id], attr, imports):
        yield line, (f"`{node.value.id}.{attr}` is not allowed in course mode: "
                     f"{_member_problem(modules[node.value.id], attr, imports)}")
    elif isinstance(node.value, ast.Name) and node.value.id in library \
            and attr.startswith("_") and not (attr.startswith("__") and attr.endswith("__")):
        # (dunders such as Random.__init__ are fine unless on the list above)
        yield line, (f"`{node.value.id}.{attr}` is not allowed in course mode: names starting "
                     "with _ are the module's own, not for your code")
    elif _private_message(attr, defined):
        yield line, _private_message(attr, defined)


def _match_findings(node, line, defined):
    for attr in node.kwd_attrs:
        why = _denied_attribute_message(attr) or _private_message(_normal(attr), defined)
        if why:
            yield line, why
    if node.patterns:
        yield line, ("a class pattern with positions (`case Point(x, y)`, `case int(x)`) is "
                     "not allowed in course mode: it reads attributes named by strings "
                     "(__match_args__); write `case Point(x=x, y=y)`, or use isinstance")


def check_source(source, folder_name=DEFAULT_FOLDER, siblings=frozenset(),
                 defined_private=None):
    """Every policy violation in one file's source, in line order ([] when it follows the
    policy, and for a syntax error, which importing the file explains better).

    `source` may be bytes (then a `# coding:` line counts, as it does for Python);
    `folder_name` is the submission folder's name, `siblings` the module names of the
    other .py files beside it (both say which imports are the learner's own files);
    `defined_private` the private names (`_prev`) the submission defines, in any of its files
    (None: the ones this file defines)."""
    text = source.decode("utf-8", errors="replace") if isinstance(source, bytes) else source
    lines = _lines(text.removeprefix("\ufeff"))
    tree, unreadable = _parse(source)
    if unreadable:
        return [Violation(1, lines[0].strip(), unreadable)]
    if tree is None:
        return []
    try:
        if defined_private is None:
            defined_private = _private_definitions(tree)
        found = sorted(set(_findings(tree, _Imports(folder_name, siblings),
                                     frozenset(defined_private))))
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
    for node in _walk(tree):
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


def _read_folder(folder):
    """(the folder's name, {module: source bytes}) for the files the grader runs; bytes, so
    that a `# coding:` line counts as it does for Python."""
    sources = {}
    for name in learner_files(folder):
        with open(os.path.join(folder, name), "rb") as f:
            sources[name[:-3]] = f.read()
    return os.path.basename(os.path.normpath(folder)), sources


def check_folder(folder):
    """{module name: its violations} for every file of a submission folder."""
    folder_name, sources = _read_folder(folder)
    # `v._prev` in topo.py is fine when value.py sets it
    defined = frozenset().union(*map(defined_private_names, sources.values()))
    return {module: check_source(source, folder_name, frozenset(sources) - {module}, defined)
            for module, source in sources.items()}


def folder_imports(folder):
    """{module: the learner's modules it imports} for every file of a submission folder:
    which files a stage loads, beyond its own."""
    folder_name, sources = _read_folder(folder)
    return {module: kata_imports(source, folder_name, frozenset(sources) - {module})
            for module, source in sources.items()}


# --- what the learner reads ------------------------------------------------------------

def _footer():
    return (f"Your files may import: {', '.join(ALLOWED_IMPORTS)}, and each other.\n"
            f"The course policy: {POLICY_FILE}, or run: {POLICY_COMMAND}")


def _violation_lines(shown_path, violations, sources=None):
    lines = []
    for v in violations:
        # a file taken out of a notebook: the cell and line it came from
        where = at(*locate(sources, os.path.dirname(shown_path),
                           os.path.basename(shown_path), v.line))
        lines.append(f"{where}: {v.code}" if v.code else where)
        lines.append(f"    {v.message}")
    return lines


def violation_text(shown_path, violations, sources=None):
    """What a learner is shown for one file's violations ("" when there are none);
    `sources` maps a notebook's assembled files back to its cells (kata.places)."""
    if not violations:
        return ""
    return "\n".join(_violation_lines(shown_path, violations, sources) + ["", _footer()])


def policy_report(folder):
    """(text, ok): what `python grader.py policy [--target DIR]` prints, and whether every
    file follows the policy."""
    try:
        found = check_folder(folder)
    except OSError as problem:
        return f"cannot read {folder}: {problem.strerror or problem}", False
    lines = []
    sources = Sources.load(folder)  # a notebook's assembled files: name its cells instead
    for module, violations in sorted(found.items()):
        lines += _violation_lines(os.path.join(folder, module + ".py"), violations, sources)
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
        "Of these, " + ", ".join(f"`{n}`" for n in BUILTIN_ONLY) + " are refused only where "
        "they mean the built-in: a parameter or a variable of your own with that name "
        "(`def __call__(self, input):`) is fine.",
        "",
        "## Attributes",
        "",
        "These attributes may not be read, written or deleted (`x.__globals__`). Defining a "
        "method of the same name in your class (`def __getattribute__(self, name):`) is "
        "allowed, except for " + ", ".join(f"`{m}`" for m in DENIED_METHODS)
        + ": copy and pickle call them, then set attributes named by the strings they "
        "return. `__name__`, `__class__`, `__init__`, `__add__`, `__call__` and the other "
        "dunder methods are allowed.",
        "",
        *_table(core_attributes),
        "",
        "## What you may take from each module",
        "",
        "From these modules, only the names below (as `module.name` or `from module import "
        "name`); other library functions can turn a string into an attribute or into code "
        "(`functools.cached_property`, `dataclasses.make_dataclass`). Every public name of "
        + ", ".join(f"`{m}`" for m, allowed in ALLOWED_MEMBERS.items() if allowed is None)
        + " and `collections.abc` is fine.",
        "",
        *[f"- `{m}`: " + ", ".join(f"`{n}`" for n in allowed)
          for m, allowed in ALLOWED_MEMBERS.items() if allowed is not None],
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
        "- A module you import is used only as `module.name` (`random.uniform(-1, 1)`, "
        "`math.exp(x)`): `r = random`, `f(random)`, `[random][0]` or `return random` are "
        "refused, since they get around the checks on what is read from it.",
        "- A name starting with `_` (`x._prev`, not a dunder such as `__init__`) may be read "
        "only if your own files define it: set as an attribute (`self._prev = ...`), "
        "assigned or defined in a class, a `def _name`, a parameter (`_children=()`) or a "
        "`__slots__` entry; the kata's own " + ", ".join(f"`{n}`" for n in KATA_PRIVATE)
        + " are always fine. Python's own private names (`random._inst`, "
        "`typing._eval_type`) are refused.",
        "- No string with `__` before a letter (`\"__annotations__\"`, "
        "`\"__import__('os')\"`; a divider line `\"____\"` is fine): "
        + STRING_REASON + ". Docstrings, `\"__main__\"` and strings that name only the "
        "methods a class defines anyway (`NotImplementedError(\"stage 1: Value.__add__\")`: "
        + ", ".join(f"`{d}`" for d in STRING_DUNDERS if d != "__main__") + ") are fine.",
        "- In a `match` statement, a class pattern names its attributes (`case Point(x=a)`); "
        "positions (`case Point(a)`, `case int(n)`) read attributes named by strings "
        "(`__match_args__`), so they are refused: write `case Point(x=a)` or "
        "`case int() as n`.",
        "- `dataclass` only as a decorator on a class statement (`@dataclass`, "
        "`@dataclass(eq=False)`), and no `type(name, bases, namespace)`: a class built at "
        "run time can carry annotations that are not names, which `dataclass` turns into "
        "code.",
        "- No metaclasses (`class K(metaclass=M)`, `class M(type)`): a metaclass can fill "
        "a class's namespace with names built from strings.",
        "- Your folder's package (`exercises`, or your folder's own name) holds only your "
        "files: `from exercises import value` is fine, `from exercises import sys` is not, "
        "and `exercises` is used only as `exercises.value`.",
        "- A file too deeply nested to be read is refused: it could not be checked.",
        "- A file with a syntax error is not a policy matter: grading it shows the error.",
        "",
    ]
    return "\n".join(out)
