"""The course policy (kata/policy.py): honest kata code passes, every way out is named with
its line. Pure function calls on source text: nothing here runs learner code or the grader."""
import ast
import importlib
import os
import types

import pytest

from kata import policy
from kata.policy import check_folder, check_source, kata_imports
from mutants import MUTANTS
from support import ALT_IMPL, ROOT, SOLUTIONS

CASES = os.path.join(ROOT, "tests", "policy_cases")
EXERCISES = os.path.join(ROOT, "exercises")


def found(source, **kwargs):
    return [(v.line, v.message) for v in check_source(source, **kwargs)]


def assert_caught(source, line, *words, **kwargs):
    hits = [message for at, message in found(source, **kwargs) if at == line]
    assert hits, f"nothing caught on line {line} of:\n{source}"
    assert any(all(w in m for w in words) for m in hits), hits


def sources(folder):
    return {name[:-3]: open(os.path.join(folder, name), encoding="utf-8").read()
            for name in os.listdir(folder) if name.endswith(".py")}


# --- honest code passes ---------------------------------------------------------------

@pytest.mark.parametrize("folder", [SOLUTIONS, ALT_IMPL, EXERCISES,
                                    os.path.join(CASES, "lecture")])
def test_correct_code_and_the_stubs_have_no_violation(folder):
    assert {m: v for m, v in check_folder(folder).items() if v} == {}


def defined_in(texts):
    """The private names a folder's files define (check_folder pools them the same way)."""
    return frozenset().union(*map(policy.defined_private_names, texts))


@pytest.mark.parametrize("spelling", ["from ", "from exercises.", "from submission."])
def test_every_accepted_import_spelling_passes(spelling):
    """The reference, importing its siblings as tests/test_loading.py's variants do."""
    defined = defined_in(sources(SOLUTIONS).values())
    for module, text in sources(SOLUTIONS).items():
        siblings = frozenset(sources(SOLUTIONS)) - {module}
        assert check_source(text.replace("from .", spelling), "submission", siblings,
                            defined_private=defined) == []
    for text in ("from . import value\n", "import value\n", "import exercises.value\n",
                 "import submission.value as v\n", "from exercises import topo, value\n",
                 "from .value import *\n", "import utils\n", "from .utils import helper\n"):
        assert found(text, folder_name="submission", siblings={"utils"}) == [], text


def test_every_mutant_of_the_catalogue_passes():
    """Learner bugs are the grader's business, not the policy's."""
    originals = sources(SOLUTIONS)
    for mutant in MUTANTS:
        texts = dict(originals)
        for file, old, new in mutant.edits:
            name = file[:-3]
            texts[name] = new if old == "" else texts[name].replace(old, new)
        defined = defined_in(texts.values())
        for name, text in texts.items():
            assert check_source(text, "exercises", frozenset(texts) - {name},
                                defined_private=defined) == [], mutant.name


def test_ordinary_python_stays_allowed():
    source = (
        "class A:\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "    def __add__(self, other):\n"
        "        return self.__mul__(other)\n"
        "    def __call__(self):\n"
        "        return type(self).__name__, self.__class__, self.__init__\n"
        "    def __getattribute__(self, name):\n"
        "        return 1\n"
        "if __name__ == '__main__':\n"
        "    print(f'{A()!r:>10}', '{:.4f} {}'.format(1.0, 2), '{x}'.format_map({'x': 1}))\n"
        "    input_size = len([1])\n"
        "import random\n"
        "class R(random.Random):\n"
        "    def __init__(self):\n"
        "        random.Random.__init__(self, 1)\n"
        "        self.x = random.uniform(-1, 1) + math.pi\n")
    assert found(source) == []


# --- names, attributes ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(policy.DENIED_NAMES))
def test_every_denied_name_is_caught_with_its_line(name):
    assert_caught(f"x = 1\ny = {name}\n", 2, f"`{name}`", "not allowed")


@pytest.mark.parametrize("attr", sorted(policy.DENIED_ATTRIBUTES))
def test_every_denied_attribute_is_caught_read_or_written(attr):
    assert_caught(f"import math\ny = math.cos(obj.{attr})\n", 2, f"`.{attr}`")
    assert_caught(f"x = 1\n\nobj.{attr} = x\n", 3, f"`.{attr}`")


def test_the_required_lists_are_all_there():
    assert set(policy.ALLOWED_IMPORTS) == {
        "math", "random", "typing", "__future__", "functools", "itertools", "numbers",
        "dataclasses", "collections", "operator", "copy", "abc", "enum"}
    assert policy.KATA_MODULES == ("derivative", "value", "topo", "neuron", "layer", "mlp",
                                   "train")
    assert set(policy.DENIED_NAMES) >= {
        "__import__", "eval", "exec", "compile", "open", "globals", "locals", "vars",
        "breakpoint", "input", "help", "getattr", "setattr", "delattr", "exit", "quit",
        "__builtins__", "__loader__", "__spec__", "__file__"}
    assert set(policy.DENIED_ATTRIBUTES) >= {
        "__globals__", "__subclasses__", "__builtins__", "__code__", "__closure__", "__dict__",
        "__mro__", "__bases__", "__base__", "__loader__", "__spec__", "__traceback__",
        "__reduce__", "__reduce_ex__", "__getattribute__", "tb_frame", "tb_next", "f_back",
        "f_globals", "f_locals", "f_builtins", "f_code", "gi_frame", "gi_code", "cr_frame",
        "cr_code", "ag_frame", "co_code", "mro", "attrgetter", "methodcaller",
        "get_type_hints", "ForwardRef", "_getframe"}
    allowed = {"__name__", "__class__", "__init__", "__add__", "__call__"}
    assert not allowed & (set(policy.DENIED_NAMES) | set(policy.DENIED_ATTRIBUTES))


def test_no_allowed_module_hides_another_module_under_an_unlisted_name():
    """random._os is os: every module an allowed module holds must be allowed itself or its
    attribute name refused. On a new Python, this says which names to add."""
    todo = [importlib.import_module(m) for m in policy.ALLOWED_IMPORTS]
    todo.append(importlib.import_module("collections.abc"))
    seen, hidden = set(), set()
    while todo:
        module = todo.pop()
        if module.__name__ in seen:
            continue
        seen.add(module.__name__)
        for name, value in vars(module).items():
            if isinstance(value, types.ModuleType):
                if value.__name__.split(".")[0] in policy.ALLOWED_IMPORTS:
                    todo.append(value)
                elif name not in policy.DENIED_ATTRIBUTES:
                    hidden.add(f"{module.__name__}.{name}")
    assert hidden == set()


def test_assigning_name_is_refused_reading_it_is_not():
    assert_caught("x = 1\n__name__ = '__main__'\n", 2, "`__name__`")
    assert_caught("def f():\n    pass\nf.__name__ = 'g'\n", 3, "`.__name__`")
    assert_caught("class A:\n    __module__ = 'kata.child'\n", 2, "`__module__`")
    assert found("if __name__ == '__main__':\n    print(__name__)\n") == []


def test_unicode_lookalike_names_are_the_names_they_fold_to():
    assert_caught("x = 1\nｅｘｅｃ('1')\n", 2, "`exec`")
    assert_caught("x = 1\ny = f.__ｇｌｏｂａｌｓ__\n", 2, "`.__globals__`")


@pytest.mark.parametrize("source, line, words", [
    ("x = 1\ny = ().__class__.__base__.__subclasses__()\n", 2, ["`.__base__`"]),
    ("x = 1\ny = ().__class__.__base__.__subclasses__()\n", 2, ["`.__subclasses__`"]),
    ("def f():\n    pass\ng = f.__globals__\n", 3, ["`.__globals__`"]),
    ("x = 1\ny = getattr(x, '__glo' + 'bals__')\n", 2, ["`getattr`"]),
    ("x = 1\ny = object.__getattribute__(x, 'a')\n", 2, ["`.__getattribute__`"]),
    ("x = 1\ny = print.__self__\n", 2, ["`.__self__`"]),
    ("try:\n    1 / 0\nexcept Exception as e:\n    t = e.__traceback__\n", 4,
     ["`.__traceback__`"]),
    ("def g():\n    yield 1\nf = g().gi_frame.f_back\n", 3, ["`.gi_frame`"]),
    ("from operator import *\n\nget = attrgetter('x')\n", 3, ["`attrgetter`"]),
    ("import functools\n@functools.singledispatch\ndef f(x):\n    pass\n", 2,
     ["`.singledispatch`"]),
    ("import typing\nx = 1\nt = typing.List['x'].__args__[0]._evaluate\n", 3,
     ["`._evaluate`"]),
    ("import random\nx = random._os\n", 2, ["`._os`"]),
    ("import random\nx = random._inst\n", 2, ["`random._inst`", "_ are the module's own"]),
    ("from random import Random\nx = Random._randbelow\n", 2, ["`Random._randbelow`"]),
    ("from enum import Enum\nx = Enum._convert_('E', 'sys', bool)\n", 2, ["`._convert_`"]),
    ("import dataclasses\nx = dataclasses.sys.modules\n", 2, ["`.sys`"]),
    ("import random\nx = 1\nrandom.seed = lambda *a: None\n", 3, ["changing `random`"]),
    ("from random import Random\nx = 1\nRandom.uniform = min\n", 3, ["changing `Random`"]),
    ("x = 1\n__package__ = 'os'\n", 2, ["`__package__`"]),
    ("x = 1\nmatch f:\n    case object(__globals__=g):\n        pass\n", 3, ["`.__globals__`"]),
    ("x = 1\nmatch s:\n    case str(format=fmt):\n        pass\n", 3, ["`.format`"]),
    ("x = 1\nmatch f:\n    case Box(g):\n        pass\n", 3, ["class pattern"]),
    ("x = 1\nmatch f:\n    case Box(_hidden=g):\n        pass\n", 3, ["`._hidden`"]),
    ("class Box:\n    __match_args__ = ('x',)\n", 2, ["`__match_args__`"]),
])
def test_dunder_and_string_tricks_are_caught(source, line, words):
    assert_caught(source, line, *words)


# --- the red team's routes (course mode with the policy on) -------------------------

def test_a_positional_class_pattern_is_refused_even_for_int():
    """match_getattr: `int` rebound to a class whose __match_args__ names any attribute."""
    source = ("def get(obj, name):\n"
              "    int = Everything('P', (), {'x': (name,)})\n"
              "    match obj:\n"
              "        case int(found):\n"
              "            return found\n")
    assert_caught(source, 4, "class pattern", "`case int(x)`", "isinstance")
    assert found("match v:\n    case (int() | float()) as n:\n        pass\n"
                 "    case Value(data=d):\n        pass\n") == []


@pytest.mark.parametrize("source, line", [
    ("x = 1\nK = type('K', (), {'__match_args__': ('__traceback__',)})\n", 2),
    ("x = 1\nK = type('K', (), {'__annotations__': {'a,got.append(__import__(\"sys\"))': int}})\n",
     2),
    ("x = 1\nK = type('K', (), {'__module__': 'kata.probes'})\n", 2),
    ("import typing\nx: typing.List['__import__(\"sys\")'] = []\n", 2),
    ("def f():\n    \"\"\"ok\"\"\"\n    return 'a' + \"__glo\" + 'bals__'\n", 3),
    ("x = f'{1}__import__'\n", 1),
])
def test_a_string_that_names_internals_is_refused(source, line):
    assert_caught(source, line, "string containing `__`", "turned into code or an attribute")


def test_docstrings_main_and_method_names_in_strings_are_fine():
    source = ('"""Module __doc__ string: __import__ is not run here."""\n'
              "class Value:\n"
              "    '''A __dunder__ in a class docstring.'''\n"
              "    def __add__(self, other):\n"
              "        '''And in a method's: __annotations__.'''\n"
              "        raise NotImplementedError('stage 1: Value.__add__, __rtruediv__')\n"
              "if __name__ == '__main__':\n"
              "    print('__main__')\n")
    assert found(source) == []


@pytest.mark.parametrize("source, line, attr", [
    ("import dataclasses\nd = 1\nf = d._create_fn('f', [], ['return 1'], globals={})\n", 3,
     "_create_fn"),
    ("import typing\nt = 1\nx = t._eval_type(ref, {}, {})\n", 3, "_eval_type"),
    ("from utils import *\n\nx = t._eval_type(ref, {}, {})\n", 3, "_eval_type"),
    ("x = 1\ny = node._secret()\n", 2, "_secret"),
    ("x = 1\ndel obj._cache\n", 2, "_cache"),
])
def test_a_private_name_the_submission_does_not_define_is_refused(source, line, attr):
    assert_caught(source, line, f"`.{attr}`", "none of your files defines",
                  siblings={"utils"})


def test_private_names_the_submission_defines_may_be_read_anywhere(tmp_path):
    source = ("class Value:\n"
              "    __slots__ = ('_mark',)\n"
              "    _count = 0\n"
              "    _kind: str = 'leaf'\n"
              "    def __init__(self, data, _children=(), _op=''):\n"
              "        self._prev = set(_children)\n"
              "        self._backward = lambda: None\n"
              "    def _helper(self):\n"
              "        return self._mark, self._count, self._kind, self._op, self.__secret\n"
              "    def f(self):\n"
              "        self.__secret = 1\n"
              "        self._backward()\n")
    assert found(source) == []
    (tmp_path / "value.py").write_text(source)
    (tmp_path / "topo.py").write_text("def build_topo(v):\n    v._backward()\n"
                                      "    return [c._op for c in v._prev], v._helper()\n")
    assert check_folder(str(tmp_path)) == {"value": [], "topo": []}
    # alone, topo.py defines none of them; the kata's own _prev, _backward, _op stay allowed
    assert [v.line for v in check_source((tmp_path / "topo.py").read_text())] == [3]
    # a library module's private names stay refused even when the learner defines one
    assert_caught("import random\nclass A:\n    _inst = 1\nx = random._inst\n", 4,
                  "`random._inst`")


@pytest.mark.parametrize("source, line", [
    ("import typing\nt = typing\n", 2),
    ("import random\nx = [random][0]\n", 2),
    ("import random\nf(random)\n", 2),
    ("import random\ndef f():\n    return random\n", 3),
    ("import random as r\nx = r or 1\n", 2),
    ("import collections.abc\nx = collections\n", 2),
])
def test_a_module_may_only_be_read_from(source, line):
    assert_caught(source, line, "as a value", "`r = random`")


def test_reading_from_a_module_and_using_ones_own_modules_stay_allowed():
    source = ("import math\nimport random as rnd\nimport collections.abc\nimport value\n"
              "x = rnd.uniform(-1, 1) + math.exp(1)\n"
              "ok = isinstance(x, collections.abc.Sequence)\nv = value\n")
    assert found(source) == []
    assert_caught("import random\nx = 1\n[random][0].gauss = None\n", 3, "as a value")
    assert_caught("import random as r\nx = 1\nr.seed = None\n", 3, "changing `r`")


@pytest.mark.parametrize("method", policy.DENIED_METHODS)
def test_copy_and_pickle_hooks_may_not_be_defined(method):
    source = (f"class Setter:\n    x = 1\n    def {method}(self, *args):\n"
              "        return (f, (self.t,), (None, {self.n: self.v}))\n")
    assert_caught(source, 3, f"defining `{method}`", "setattr in disguise")


def test_annotations_and_typing_internals_are_refused():
    assert_caught("class K:\n    pass\nK.__annotations__['a'] = int\n", 3, "`.__annotations__`")
    assert_caught("x = 1\n__annotations__['a'] = int\n", 2, "`__annotations__`")
    assert_caught("import typing\nref = typing.get_args(typing.List['x'])[0]\n", 2,
                  "`.get_args`")
    assert_caught("x = 1\nfrom typing import get_args\n", 2, "`get_args`")
    for attr in ("__args__", "__parameters__", "__forward_arg__"):
        assert_caught(f"import typing\nx = typing.List['x'].{attr}\n", 2, f"`.{attr}`")


def test_a_method_of_ones_own_named_evaluate_is_fine():
    assert "evaluate" not in policy.DENIED_ATTRIBUTES
    source = ("class MLP:\n    def evaluate(self, xs):\n        return [self(x) for x in xs]\n"
              "model = MLP()\nloss = model.evaluate([1.0])\n")
    assert found(source) == []


def test_input_is_fine_as_ones_own_variable():
    source = ("class Neuron:\n"
              "    def __call__(self, input):\n"
              "        return [input for _ in input]\n"
              "def step(xs):\n"
              "    for input in xs:\n"
              "        help = exit = quit = input\n"
              "    return lambda input: input + help\n"
              "input = [1.0, 2.0]\n"
              "print(Neuron()(input))\n"
              "if __name__ == '__main__':\n"
              "    for license in (1,):\n"
              "        print(license)\n"
              "    with make() as exit:\n"
              "        print(exit)\n")
    assert found(source) == []


@pytest.mark.parametrize("source, line", [
    ("x = input()\n", 1),
    ("def f(x):\n    return input(x)\n", 2),
    ("x = input()\ninput = 1\n", 1),                                # bound only after
    ("class A:\n    input = 1\n    def f(self):\n        return input()\n", 4),
    ("def f():\n    global input\n    input = input()\n", 3),
    ("def f(input=input):\n    return input()\n", 1),               # a default: outside
    ("x = [input() for _ in ()]\n", 1),
    ("def f():\n    y = [0 for input in ()]\n    return input()\n", 3),
    ("for input in []:\n    pass\nx = input()\n", 3),               # the loop may not run
    ("input = 1\ndel input\ny = input()\n", 3),
])
def test_input_meaning_the_builtin_is_refused(source, line):
    assert_caught(source, line, "`input`", "waits for typing")


@pytest.mark.parametrize("literal", ['"{0.__init__.__globals__}"', '"{0[x]}"', '"{:{0.a}}"',
                                     '"{"'])
def test_format_is_refused_when_a_field_reads_an_attribute(literal):
    assert_caught(f"x = 1\ny = {literal}.format(x)\n", 2, "`.format`")
    assert_caught(f"x = 1\ny = {literal}.format_map(x)\n", 2, "`.format_map`")


def test_format_is_refused_on_anything_but_a_literal():
    assert_caught("s = '{}'\ny = s.format(1)\n", 2, "`.format`")
    assert_caught("x = 1\ny = str.format('{0.a}', x)\n", 2, "`.format`")
    assert found('y = "{:.4f} {0} {name!r:>{width}}".format(1.0, name=2, width=3)\n') == []


# --- imports ------------------------------------------------------------------------------

@pytest.mark.parametrize("statement, words", [
    ("import os", ["`import os`", "import list"]),
    ("import sys", ["`import sys`"]),
    ("import builtins", ["`import builtins`"]),
    ("from importlib import import_module", ["`from importlib import ...`"]),
    ("import solutions.value", ["`solutions` is the grader's own folder"]),
    ("from solutions import value", ["`solutions` is the grader's own folder"]),
    ("from solutions.value import Value", ["grader's own folder"]),
    ("import numpy as np", ["plain Python numbers", "remove it: the grader does not plot"]),
    ("import matplotlib.pyplot as plt", ["remove it: the grader does not plot"]),
    ("from graphviz import Digraph", ["remove it: the grader does not plot"]),
    ("import torch", ["build autograd yourself"]),
    ("from .. import value", ["outside your folder"]),
    ("from . import *", ["`from . import *`"]),
    ("import kata.child", ["grader's own folder"]),
    ("from random import _os", ["`_os`"]),
    ("from collections import _sys", ["`_sys`"]),
    ("from typing import get_type_hints", ["`get_type_hints`"]),
    ("from operator import attrgetter as ag", ["`attrgetter`"]),
    ("from value import __builtins__", ["`__builtins__`"]),
    ("import utils", ["`utils` is not on the course's import list"]),
])
def test_every_import_route_out_is_caught_with_its_line(statement, words):
    assert_caught(f"import math\n\n{statement}\n", 3, *words)
    assert_caught(f"def f():\n    {statement}\n", 2, *words)  # inside a function too


def test_a_sibling_named_like_a_library_module_is_not_a_way_in():
    """kata/learner.py never aliases a stdlib name: `import os` is os, even with an os.py."""
    assert_caught("x = 1\nimport os\n", 2, "`import os`", siblings={"os", "utils"})
    assert found("from . import os\n", siblings={"os"}) == []  # that one is the learner's


def test_only_the_folders_own_name_and_exercises_qualify_an_import():
    assert found("from homework.value import Value\n", folder_name="homework") == []
    assert_caught("x = 1\nfrom homework.value import Value\n", 2, "`homework`")
    assert_caught("x = 1\nimport os.path\n", 2, "`import os.path`", folder_name="os")


# --- hostile input -------------------------------------------------------------------

@pytest.mark.parametrize("source", ["x = " + "-" * 100000 + "1", "x = a" + ".b" * 100000,
                                    "x = " + "lambda: " * 5000 + "1"])
def test_unreadable_input_is_a_violation_never_an_exception(source):
    violations = check_source(source)
    assert len(violations) == 1 and "could not be checked" in violations[0].message


def test_a_null_byte_is_never_an_exception():
    # A ValueError on some Pythons (could not be checked), a SyntaxError on others ([]):
    # either way importing the file fails too.
    for source in ("x = 1\0\n", b"x = 1\0\n", b"\xff\xfe\0"):
        assert all("could not be checked" in v.message for v in check_source(source))


def test_deep_but_legal_nesting_is_not_refused():
    assert found("x = " + "(" * 150 + "1" + ")" * 150 + "\n") == []


def test_a_syntax_error_is_left_to_the_import_message():
    assert check_source("import os\ndef oops(:\n") == []
    assert kata_imports("from .value import Value\ndef oops(:\n") == set()


def test_bytes_that_are_not_utf8_are_read_not_refused(tmp_path):
    (tmp_path / "value.py").write_bytes(b"# caf\xe9 \xff\nimport os\n")
    (tmp_path / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\ncaf\xe9 = 1\n"
                                        b"import sys\n")
    result = check_folder(str(tmp_path))
    assert [(v.line, v.code) for v in result["value"]] == [(2, "import os")]
    # Python honours the coding line, so the check does: the file parses, sys is caught.
    assert [(v.line, v.code) for v in result["latin"]] == [(3, "import sys")]


def test_a_byte_order_mark_hides_nothing():
    for source in ("\ufeffx = 1\nimport os\n", b"\xef\xbb\xbfx = 1\nimport os\n"):
        assert [(v.line, v.code) for v in check_source(source)] == [(2, "import os")]
    assert kata_imports("\ufefffrom .value import Value\n") == {"value"}


def test_lines_are_counted_as_python_counts_them():
    source = "x = 1\x0c\ny = 2\r\nz = eval('3')\n"  # a form feed is not a line break
    assert [(v.line, v.code) for v in check_source(source)] == [(3, "z = eval('3')")]


# --- the grader's helpers and the learner's text --------------------------------------

def test_kata_imports_names_the_learners_modules_a_file_loads():
    source = ("import math\nimport value\nfrom .topo import build_topo\n"
              "from . import neuron\nfrom homework.layer import Layer\nimport exercises.mlp\n"
              "from exercises import train\nfrom .utils import helper\nimport random\n")
    assert kata_imports(source, "homework", {"utils", "value"}) == {
        "value", "topo", "neuron", "layer", "mlp", "train", "utils"}
    assert kata_imports("import math\n") == set()


def test_check_folder_checks_what_the_grader_runs(tmp_path):
    (tmp_path / "value.py").write_text("from utils import twice\n")
    (tmp_path / "utils.py").write_text("import os\ntwice = lambda x: 2 * x\n")
    (tmp_path / "__init__.py").write_text("import os\n")  # the grader writes its own
    (tmp_path / "notes.txt").write_text("import os\n")
    result = check_folder(str(tmp_path))
    assert set(result) == {"value", "utils"} and result["value"] == []
    assert [v.line for v in result["utils"]] == [1]


def test_violation_text_names_the_place_the_reason_and_the_policy():
    violations = check_source("import math\nimport os\ny = eval('1')\n")
    text = policy.violation_text("exercises/value.py", violations)
    assert text.splitlines()[0] == "exercises/value.py:2: import os"
    assert "exercises/value.py:3: y = eval('1')" in text
    assert "runs a string as Python code" in text
    assert text.count("math, random, typing") == 1
    assert "COURSE_POLICY.md" in text and "python grader.py policy" in text
    assert policy.violation_text("x.py", []) == ""


def test_policy_report(tmp_path):
    text, ok = policy.policy_report(SOLUTIONS)
    assert ok and text == "no violations: your files follow the course policy"
    (tmp_path / "value.py").write_text("import os\n")
    (tmp_path / "neuron.py").write_text("x = 1\nimport numpy as np\n")
    text, ok = policy.policy_report(str(tmp_path))
    assert not ok
    assert f"{tmp_path / 'value.py'}:1: import os" in text
    assert f"{tmp_path / 'neuron.py'}:2: import numpy as np" in text
    assert text.count("COURSE_POLICY.md") == 1
    assert policy.policy_report(str(tmp_path / "missing"))[1] is False


def test_course_policy_md_is_the_rendered_policy():
    """Regenerate with: python -c 'from kata.policy import policy_markdown as m;
    open("COURSE_POLICY.md", "w").write(m())'"""
    with open(os.path.join(ROOT, "COURSE_POLICY.md"), encoding="utf-8") as f:
        assert f.read() == policy.policy_markdown()


def test_the_document_lists_every_entry():
    text = policy.policy_markdown()
    for name in [*policy.ALLOWED_IMPORTS, *policy.DENIED_NAMES, *policy.DENIED_ATTRIBUTES]:
        assert f"`{name}`" in text, name
    assert "remove it: the grader does not plot" in text


def test_messages_are_one_line_and_every_violation_is_frozen():
    violation = check_source("x = 1\nimport os\n")[0]
    assert "\n" not in violation.message
    with pytest.raises(AttributeError):
        violation.line = 3
    assert isinstance(ast.parse(violation.code).body[0], ast.Import)


ATTACKS = ("blame_leak", "daemon_rewrite", "exec_reference", "exec_test_copies",
           "forge_channel", "forge_run", "import_reference", "signal_grader", "tamper_grader",
           "torch_unblock")


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_hostile_submissions_of_tests_attacks_are_refused(attack):
    folder = os.path.join(ROOT, "tests", "attacks", attack)
    if not os.path.isdir(folder):
        pytest.skip(f"tests/attacks/{attack} is not there")
    assert any(check_folder(folder).values())


# --- classes built at run time (red team: dataclass turning annotation keys into code) -----

@pytest.mark.parametrize("source, line", [
    ("import dataclasses\nclass A:\n    x: int = 0\nK = dataclasses.dataclass(A)\n", 4),
    ("from dataclasses import dataclass\nclass A:\n    x: int = 0\nK = dataclass(A)\n", 4),
    ("from dataclasses import dataclass\ndc = dataclass\n", 2),
])
def test_dataclass_is_only_a_decorator(source, line):
    assert_caught(source, line, "dataclass", "decorator")


def test_type_with_three_arguments_is_refused():
    assert_caught("K = type('K', (), {})\n", 1, "type(name, bases, namespace)")


def test_dataclass_decorators_and_type_of_an_object_pass():
    source = ("import dataclasses\nfrom dataclasses import dataclass, field\n"
              "@dataclass\nclass A:\n    x: int = 0\n"
              "@dataclass(eq=False)\nclass B:\n    y: list = field(default_factory=list)\n"
              "@dataclasses.dataclass(frozen=True)\nclass C:\n    z: int = 1\n"
              "t = type(A())\nname = type(A()).__name__\n")
    assert found(source) == []


# --- red team, second round: library functions that take names as data -------------------

@pytest.mark.parametrize("source, line, words", [
    ("import functools\npeek = functools.cached_property(len)\n", 2, ("cached_property",)),
    ("from functools import cached_property\n", 1, ("cached_property",)),
    ("import dataclasses\nK = dataclasses.make_dataclass('K', [])\n", 2, ("make_dataclass",)),
    ("from dataclasses import make_dataclass\n", 1, ("make_dataclass",)),
    ("from random import *\n", 1, ("import the names you use",)),
    ("class Meta(type):\n    pass\n", 1, ("metaclass",)),
    ("class K(metaclass=object):\n    pass\n", 1, ("metaclass",)),
    ("from exercises import sys\n", 1, ("holds only your files",)),
    ("import exercises\nx = exercises\n", 2, ("as a value",)),
    ("x = 'a,got.append(__import__(1))'\n", 1, ("`__`",)),
])
def test_names_taken_as_data_are_refused(source, line, words):
    assert_caught(source, line, *words)


def test_what_the_allow_lists_keep_passes():
    source = ("import math, random, itertools, functools, operator, copy, collections.abc\n"
              "from collections import deque, defaultdict\n"
              "from typing import List, Optional, Union\n"
              "from dataclasses import dataclass, field\n"
              "from math import *\n"
              "from exercises.value import Value\n"
              "from exercises import value\n"
              "import exercises.value\n"
              "w = random.uniform(-1, 1) + math.fsum([1.0]) + functools.reduce(operator.add, [1])\n"
              "c = list(itertools.chain([1], [2])) + copy.copy([1])\n"
              "v = exercises.value.Value(1.0)\n"
              "print('____________________', 'model__v2')\n"
              "ok = isinstance(c, collections.abc.Iterable)\n")
    assert found(source, siblings={"value"}) == []
