"""A notebook or a single script, graded as the usual layout of files.

Learners of the lecture write everything in one namespace, cell after cell: `Value`
redefined as it grows, a helper here, `Value.relu = relu` there, training loops and plots
in between. `assemble` takes out, in the order the cells run, the top-level definitions the
kata grades (KATA_NAMES), the helpers, constants and imports they use, and the patches of
their classes (`Value.__rsub__ = ...`, `setattr(Value, ...)`), the last definition of each
name winning as when the notebook runs top to bottom; and writes them as value.py, topo.py,
... into a folder of the grader's, with a sources map (kata.places) so that every message
points at the learner's cell and line. Nothing else of the notebook ever runs: no training,
no plots, no `!pip install`. Parsing only: no learner code runs here.

Magic and shell lines (`%matplotlib inline`, `!pip install`, `x = !ls`, `obj?`) are left
out line by line, so the rest of their cell still counts; a cell that does not parse even
then is skipped with a note, unless it holds the last definition of a kata name: then that
name's file is the cell as it is, and its stages show the SyntaxError at its cell and line.
"""
import ast
import builtins
import contextlib
import io
import json
import os
import re
import shutil
import symtable
import tempfile
import tokenize
from dataclasses import dataclass, field

from .places import KERNEL_SHOWN, SOURCES_FILE
from .stages import ALL_STAGES, MODULE_STAGE, NAME_STAGE

STUBS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs")
# name -> module: every top-level name a stage's checks load ("value.Value" -> Value)
KATA_NAMES = {key.split(".")[1]: key.split(".")[0] for key in NAME_STAGE
              if key.split(".")[0] in MODULE_STAGE}
KATA_CLASSES = {n for n in KATA_NAMES if n[0].isupper()}
MODULES = sorted(MODULE_STAGE, key=MODULE_STAGE.get)  # derivative, value, topo, ...
MAX_SIZE = 20 * 1024 * 1024  # a notebook keeps its outputs (pictures): allow for them
MAX_NOTES = 12  # cells that do not parse, each said; beyond, counted
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}  # their body is Python
# matched on a line's stripped text (no backtracking over its indentation), and only on lines
# a magic can be: a long line is Python
MAGIC_LINE = re.compile(r"(?:[%!]|[\w.\[\], ]+=\s*[%!]|get_ipython\(\)|\?)|\??[\w.]+\?{1,2}$")
MAGIC_LENGTH = 500
KATA_DEF = re.compile(r"^(?:class|def)\s+(\w+)|^(\w+)\s*=", re.M)


class NotebookError(Exception):
    """The file cannot be read as a notebook or a script (said to the learner as it is)."""


@dataclass
class Cell:
    place: str    # how messages name it: "lecture.ipynb, cell 7", "Cell In[7]", "kata.py"
    source: str


@dataclass
class Piece:
    """One top-level statement worth keeping, with what it binds and what it uses."""
    order: tuple       # (cell index, statement index): the order the notebook runs in
    cell: Cell
    first: int         # its first and last line in the cell (1-based)
    last: int
    text: list         # its lines
    binds: set
    segment: str       # its source, read for its names only when it is needed (lazily: a
                       # cell of 20,000 assignments costs nothing then)
    patches: str = None  # the kata class it changes (`Value.relu = relu`)
    defines: bool = True  # a def, a class or an alias: may stand for a kata name
    scanned: tuple = None

    def scan(self):
        if self.scanned is None:
            self.scanned = global_uses(self.segment)
        return self.scanned

    @property
    def uses(self):
        """Every top-level name it reads, now or when its functions run."""
        return self.scan()[0]

    @property
    def now(self):
        """The names it reads as it runs (a base class, a default, a patch's right side)."""
        return self.scan()[1]


@dataclass
class Assembly:
    notes: list = field(default_factory=list)   # sentences for the learner
    found: dict = field(default_factory=dict)   # kata name -> the place of its definition
    modules: list = field(default_factory=list)  # the files written
    shown: str = None  # how the report names what was graded, when not as given

    def told(self, shown):
        """What the report says of it: the notes, then where each kata name came from."""
        return self.notes + [summary_line(self, shown)]


# --- reading ---------------------------------------------------------------------------


def read_cells(path, shown):
    """(cells, shown): the code cells of a notebook (.ipynb) in order, or a script as one
    cell; and how messages name it (a kernel's history: "your notebook")."""
    try:
        if os.path.getsize(path) > MAX_SIZE:
            raise NotebookError(f"{shown} is larger than {MAX_SIZE // 2 ** 20} MB: clear its "
                                "outputs (Edit > Clear all outputs) and save it again")
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as problem:
        raise NotebookError(f"{shown} could not be read: {problem.strerror or problem}")
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")  # Notepad's BOM
    if not path.lower().endswith(".ipynb"):
        return [Cell(shown, text)], shown
    try:
        notebook = json.loads(text)
        cells = notebook["cells"]
        history = bool(notebook.get("metadata", {}).get("kata", {}).get("history"))
        found = []
        for index, cell in enumerate(cells, 1):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            if not isinstance(source, str):
                continue
            # a lone surrogate (\ud800 in the JSON) cannot be written as a file
            source = source.encode("utf-8", "replace").decode("utf-8")
            # A kernel's history names a cell as IPython does; a file's cells are counted
            # from the top, text cells too, as the learner scrolls through them.
            count = cell.get("execution_count")
            count = count if isinstance(count, int) and 0 <= count < 10 ** 9 else "?"
            place = f"Cell In[{count}]" if history else \
                f"{shown}, cell {index}"
            found.append(Cell(place, source))
        return found, KERNEL_SHOWN if history else shown
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise NotebookError(f"{shown} is not a notebook Jupyter can open (its JSON could not "
                            "be read): save it again from Jupyter or Colab") from None


def without_magics(source):
    """The cell with IPython's own lines (magics, shell commands, help) made `pass`, line
    numbers kept; None for a cell magic whose body is not Python (%%bash, %%html, ...)."""
    lines = source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        name = lines[first].lstrip()[2:].split(maxsplit=1)
        if not name or name[0] not in PYTHON_CELL_MAGICS:
            return None
        lines[first] = ""
    continued = continued_lines("\n".join(lines))
    return "\n".join(line[:len(line) - len(line.lstrip())] + "pass"
                     if is_magic(line) and number not in continued else line
                     for number, line in enumerate(lines, 1))


def is_magic(line):
    return len(line) <= MAGIC_LENGTH and bool(MAGIC_LINE.match(line.strip()))


def continued_lines(source):
    """The numbers of the lines that go on a statement begun above them (inside brackets,
    a string, after a backslash): `% (self.data, self.grad))` there is Python, not a
    magic. Empty when the cell cannot even be split into tokens."""
    inside, depth = set(), 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth = max(0, depth - 1)
            elif token.type == tokenize.NL and depth:
                inside.add(token.end[0] + 1)
            if token.end[0] > token.start[0]:  # a string over several lines
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    lines = source.split("\n")
    inside.update(n + 1 for n, line in enumerate(lines, 1) if line.endswith("\\"))
    return inside


def parse(cell):
    """(tree, source) of a cell, magics left out only when they are what keeps it from
    parsing (a `!` or `%` inside a string stays as written); SyntaxError otherwise."""
    try:
        return ast.parse(cell.source), cell.source
    except (SyntaxError, ValueError):
        pass
    except (RecursionError, MemoryError):
        raise SyntaxError("too deeply nested to read")
    cleaned = without_magics(cell.source)
    if cleaned is None:
        return None, None
    try:
        return ast.parse(cleaned), cleaned
    except ValueError as problem:  # a NUL byte
        raise SyntaxError(str(problem))
    except (RecursionError, MemoryError):
        raise SyntaxError("too deeply nested to read")


# --- what each statement binds and uses ------------------------------------------------


def global_uses(text):
    """(all, now): the top-level names a statement reads, at any depth (a method's
    `helper(x)`), not the names its functions keep for themselves (a method's local
    `out`); and of those, the ones read as the statement runs (not when a function runs)."""
    try:
        table = symtable.symtable(text, "<cell>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set(), set()
    now = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    names = set(now)
    todo = [t for t in table.get_children() if t.get_type() == "class"]
    while todo:  # a class body runs with its statement: its reads are now too
        inner = todo.pop()
        now |= {s.get_name() for s in inner.get_symbols() if s.is_global()
                and s.is_referenced()}
        todo.extend(t for t in inner.get_children() if t.get_type() == "class")
    names |= now
    todo = list(table.get_children())
    while todo:
        inner = todo.pop()
        names |= {s.get_name() for s in inner.get_symbols()
                  if s.is_global() and (s.is_referenced() or s.is_assigned())}
        todo.extend(inner.get_children())
    return names, now


def binds_of(node):
    """(names bound at the top level, the kata class patched or None) of a statement that
    is kept; None for a statement that is not (a loop, a call, a print)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}, None
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        if any(a.name == "*" for a in node.names):
            return set(), None  # `from math import *`: kept apart (module_lines)
        return imported(node), None
    if isinstance(node, ast.AnnAssign) and node.value is not None \
            and isinstance(node.target, ast.Name):
        return {node.target.id}, None
    if isinstance(node, ast.Assign):
        names, patched = set(), None
        for target in node.targets:
            for part in (target.elts if isinstance(target, (ast.Tuple, ast.List))
                         else [target]):
                if isinstance(part, ast.Name):
                    names.add(part.id)
                elif isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name) \
                        and part.value.id in KATA_CLASSES:
                    patched = part.value.id  # Value.relu = relu
        return (names, patched) if names or patched else None
    if isinstance(node, (ast.Try, ast.If)) and only_definitions(node):
        # `try: import numpy as np / except ImportError: np = None`
        names = set()
        for inner in ast.walk(node):
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                names |= imported(inner)
            elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(inner.name)
            elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                names.add(inner.id)
        return (names, None) if names else None
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
            and isinstance(node.value.func, ast.Name) and node.value.func.id == "setattr" \
            and node.value.args and isinstance(node.value.args[0], ast.Name) \
            and node.value.args[0].id in KATA_CLASSES:
        return set(), node.value.args[0].id  # setattr(Value, "relu", relu)
    return None


def imported(node):
    """The names an import binds: `import os.path` binds os, `import numpy as np` np."""
    return {(a.asname or a.name).split(".")[0] for a in node.names}


QUIET = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.FunctionDef,
         ast.AsyncFunctionDef, ast.ClassDef, ast.Pass, ast.Try, ast.If, ast.ExceptHandler)


def only_definitions(node):
    """A try or if at the top level that only imports, assigns and defines (no call runs
    training there): it may be kept for the names it binds."""
    for inner in node.body + node.orelse + getattr(node, "handlers", []) + \
            getattr(node, "finalbody", []):
        if isinstance(inner, (ast.Try, ast.If)):
            if not only_definitions(inner):
                return False
        elif isinstance(inner, ast.ExceptHandler):
            if not all(isinstance(i, QUIET) and (not isinstance(i, (ast.Try, ast.If))
                                                 or only_definitions(i)) for i in inner.body):
                return False
        elif not isinstance(inner, QUIET):
            return False
    return True


def is_definition(node):
    """Whether a statement binding a kata name is the learner's own definition of it: a
    def, a class, or an alias (`train = my_train`, a lambda); not an import (`from
    functools import partial`) nor data (`train = [...]`)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    value = getattr(node, "value", None)
    return isinstance(node, (ast.Assign, ast.AnnAssign)) and \
        isinstance(value, (ast.Lambda, ast.Name, ast.Attribute))


def pieces_of(index, cell, tree, source):
    """The statements of one parsed cell worth keeping, as Pieces."""
    lines = source.split("\n")
    body = tree.body
    pieces, stars = [], []
    for number, node in enumerate(body):
        bound = binds_of(node)
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        last = node.end_lineno
        neighbours = body[max(0, number - 1):number] + body[number + 1:number + 2]
        shared = any(other.lineno <= last and other.end_lineno >= first
                     for other in neighbours)  # statements are in order: only these can
        segment = "\n".join(lines[first - 1:last])
        if shared:  # `import math; x = 1` on one line: this statement's text alone
            segment = ast.get_source_segment(source, node) or ""
        text = segment.split("\n")
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            stars.append(Piece((index, number), cell, first, last, text, set(), ""))
            continue
        if bound is None:
            continue
        names, patched = bound
        pieces.append(Piece((index, number), cell, first, last, text, names, segment,
                            patched, is_definition(node)))
    return pieces, stars


# --- the kata's names, where they are and where they are not ----------------------------


def signature(name):
    """How the stub declares a kata name: 'build_topo(root)', 'Neuron(nin)'."""
    module = KATA_NAMES[name]
    try:
        with open(os.path.join(STUBS, module + ".py"), encoding="utf-8") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError):
        return name
    for node in tree.body:
        if getattr(node, "name", None) != name:
            continue
        if isinstance(node, ast.ClassDef):
            init = next((n for n in node.body if getattr(n, "name", "") == "__init__"), None)
            args = ast.unparse(init.args).split(", ", 1)[1:] if init else []
            return f"class {name}({args[0] if args else ''})"
        return f"def {name}({ast.unparse(node.args)})"
    return name


def nested_definitions(trees):
    """{name: (outer qualified name, is a method, place)} of the kata names defined inside
    a function or class instead of at the top level; the last one found wins."""
    found = {}
    kata = re.compile(r"\b(?:def|class)\s+(?:" + "|".join(KATA_NAMES) + r")\b")
    for cell, tree in trees:  # a loop, not recursion: a cell may nest a thousand deep
        if not kata.search(cell.source):
            continue
        todo = [(tree, [], False)]
        while todo:
            node, outer, in_class = todo.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    if outer and child.name in KATA_NAMES:
                        found[child.name] = (".".join(outer), in_class, cell.place)
                    todo.append((child, outer + [child.name], isinstance(child, ast.ClassDef)))
                else:
                    todo.append((child, outer, in_class))
    return found


def missing_sentence(names, shown, nested, unparsable):
    """Why the stage of `names` (all of one file) cannot start, and what to define."""
    stage = NAME_STAGE[f"{KATA_NAMES[names[0]]}.{names[0]}"]
    kinds = {"class" if n in KATA_CLASSES else "function" for n in names}
    kind = kinds.pop() if len(kinds) == 1 else "definition"
    listed = [f"`{signature(n)}`" for n in names]
    wanted = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    text = f"{ALL_STAGES[stage].spoken} needs {'a ' if len(names) == 1 else ''}top-level " \
        f"{kind}{'s' if len(names) > 1 else ''} {wanted}"
    reasons = []
    for name in names:
        if name in nested:
            outer, method, place = nested[name]
            if method:
                reasons.append(f"your {name} is a method of `{outer}` ({place}): make it a "
                               f"{'class' if name in KATA_CLASSES else 'function'} of its "
                               "own, at the top level of a cell")
            else:
                reasons.append(f"your {name} is nested inside `{outer}` ({place}): move it "
                               "out, to the top level of a cell")
    if reasons:
        return f"{text}; " + "; ".join(reasons)
    none = "none" if len(names) == 1 else "none of them"
    return f"{text}, and {shown} defines {none}" + \
        (" (cells that do not parse are left out: see the note above)" if unparsable else "")


# --- assembling --------------------------------------------------------------------------


def assemble(path, shown, folder):
    """Write the kata files taken out of the notebook or script at `path` into `folder`
    (which exists and is empty), with the sources map. `shown` names it in messages.
    Returns an Assembly; raises NotebookError when the file is no notebook at all."""
    # Cells are named by the file's name alone: the header names its folder already.
    cells, shown = read_cells(path, os.path.basename(shown))
    result = Assembly(shown=shown if shown == KERNEL_SHOWN else None)
    pieces, stars, trees, broken, unparsable = [], [], [], {}, []
    for index, cell in enumerate(cells):
        try:
            tree, source = parse(cell)
        except SyntaxError as problem:
            defined = {a or b for a, b in KATA_DEF.findall(without_magics(cell.source) or "")}
            for name in defined & set(KATA_NAMES):
                broken[name] = (index, cell)
            where = f"line {problem.lineno}: " if problem.lineno else ""
            unparsable.append((index, cell, f"{cell.place} does not parse ({where}"
                               f"{problem.msg})"))
            continue
        if tree is None:
            continue  # %%bash and friends: not Python
        try:
            found, star = pieces_of(index, cell, tree, source)
        except (RecursionError, MemoryError):
            unparsable.append((index, cell, f"{cell.place} is too deeply nested to read"))
            continue
        trees.append((cell, tree))
        pieces += found
        stars += star
    winner, not_mine = {}, {}
    for piece in pieces:  # in the order the cells run: the last definition wins
        for name in piece.binds:
            if name in KATA_NAMES and not piece.defines:
                not_mine[name] = piece  # `from functools import partial`, `train = [...]`
            else:
                winner[name] = piece
    patches = {}
    for piece in pieces:
        if not piece.patches or piece.patches not in winner:
            continue
        if piece.order > winner[piece.patches].order:
            patches.setdefault(piece.patches, []).append(piece)  # on the class that counts
        else:
            result.notes.append(
                f"{piece.cell.place} changes {piece.patches} ({piece.text[0].strip()[:60]}), "
                f"but {short(winner[piece.patches].cell.place, shown)} defines "
                f"{piece.patches} again afterwards, so the change is lost with the old class "
                "(as when the notebook runs top to bottom): make it after the last "
                "definition.")
    for name, piece in not_mine.items():
        if name not in winner or winner[name].order < piece.order:
            result.notes.append(
                f"{piece.cell.place}: `{piece.text[0].strip()[:60]}` is not a definition of "
                f"yours, so it is not graded as your {name}"
                + (" (the earlier def is)." if name in winner else "."))
    futures = [p for p in pieces if p.text and p.text[0].startswith("from __future__")]

    nested = nested_definitions(trees)
    sources = {"shown": shown, "places": [], "files": {}, "modules": {}, "missing": {}}
    counted, shown_as_error = {}, set()
    for piece in pieces:
        for name in piece.binds & set(KATA_NAMES):
            counted[name] = counted.get(name, 0) + 1
    for module in MODULES:
        names = [n for n, m in KATA_NAMES.items() if m == module]
        fresh_broken = [n for n in names if n in broken
                        and (n not in winner or broken[n][0] > winner[n].order[0])]
        present = [n for n in names if n in winner and n not in fresh_broken]
        label = f"{', '.join(n for n in names if n in winner or n in broken)} from {shown}"
        if fresh_broken:
            index, cell = broken[fresh_broken[0]]
            shown_as_error.add(index)
            text = without_magics(cell.source) or cell.source
            write_lines(folder, module, [(line, cell.place, n) for n, line in
                                         enumerate(text.split("\n"), 1)], sources)
            sources["modules"][module] = label
            result.modules.append(module)
            continue
        for name in names:
            if name not in present:
                sources["missing"][f"{module}.{name}"] = missing_sentence(
                    [name], shown, nested, unparsable)
        if not present:
            sources["missing"][module] = missing_sentence(names, shown, nested, unparsable)
            continue
        lines = module_lines(module, present, winner, patches, stars, pieces, futures,
                             result.notes)
        write_lines(folder, module, lines, sources)
        sources["modules"][module] = label
        result.modules.append(module)
        for name in present:
            again = f", defined {counted[name]} times: the last one counts" \
                if counted.get(name, 1) > 1 else ""
            piece = winner[name]
            place = f"line {piece.first}" if piece.cell.place == shown else \
                short(piece.cell.place, shown)  # a script: its lines
            result.found[name] = f"{place}{again}"
        for name in names:
            places = [short(piece.cell.place, shown) for piece in patches.get(name, [])]
            if places:
                result.found[f"patches of {name}"] = list(dict.fromkeys(places))
    told = 0
    for index, cell, sentence in unparsable:
        if shown == KERNEL_SHOWN and index not in shown_as_error:
            continue  # the kernel ran it and said so: it changed nothing
        told += 1
        if told > MAX_NOTES:
            result.notes.append(f"... and {len(unparsable) - MAX_NOTES} more cells that do "
                                "not parse: left out.")
            break
        if index in shown_as_error:
            names = sorted(n for n, (i, _) in broken.items() if i == index)
            result.notes.append(f"{sentence}: it defines {', '.join(names)}, so the stages "
                                f"that need {'it' if len(names) == 1 else 'them'} show the "
                                "error.")
        else:
            result.notes.append(f"{sentence}: left out.")
    with open(os.path.join(folder, SOURCES_FILE), "w", encoding="utf-8") as f:
        json.dump(sources, f)
    return result


def short(place, shown):
    """'cell 7' for 'lecture.ipynb, cell 7' where the notebook is named already."""
    return place[len(shown) + 2:] if place.startswith(shown + ", ") else place


def module_lines(module, present, winner, patches, stars, pieces, futures=(), notes=None):
    """[(text, place or None, line)] of one assembled file: the pieces its names need, in
    the order the notebook runs them, and imports of the kata names other files hold.

    A name read when a function runs is its last definition (the notebook's state once
    every cell has run); a name read as a statement runs (`Value.relu = relu`, a base
    class, a default value) is the definition that came before it, as it was then: both
    are kept when they differ, in the notebook's order."""
    versions = {}
    for piece in pieces:
        for name in piece.binds:
            versions.setdefault(name, []).append(piece)

    def as_it_was(name, piece):
        """The definition of `name` that `piece` saw as it ran: the one before it; for a
        name defined only later, that one (a notebook run top to bottom has it)."""
        earlier = [p for p in versions.get(name, []) if p.order < piece.order
                   and (name not in KATA_NAMES or p.defines)]
        if earlier:
            return earlier[-1]
        # `class Value(Value)` reads the Value before it; a class naming itself in an
        # annotation reads nothing (a later definition is not what it means)
        return None if name in piece.binds else winner.get(name)

    wanted, todo, imports, first = {}, [], {}, {}
    for name in present:
        todo.append(winner[name])
        todo.extend(patches.get(name, []))
    while todo:
        piece = todo.pop()
        if id(piece) in wanted:
            continue
        wanted[id(piece)] = piece
        for name in piece.uses:
            now = name in piece.now
            if name in piece.binds and not now:
                continue  # a def reading its own name calls itself
            home = KATA_NAMES.get(name)
            if home and home != module:
                if name in winner:
                    imports.setdefault(home, set()).add(name)
                continue
            needed = as_it_was(name, piece) if now else winner.get(name)
            if needed is None or needed is piece:
                continue
            todo.append(needed)
            if now:
                first.setdefault(id(piece), []).append(needed)
                later_one = winner.get(name)
                if notes is not None and later_one is not None and later_one is not needed \
                        and later_one.order > piece.order:
                    notes.append(
                        f"{piece.cell.place} ({piece.text[0].strip()[:50]}) takes {name} as "
                        f"it was then; {later_one.cell.place} defines {name} again afterwards, "
                        "which that line never sees unless it runs again after it (as when "
                        "the notebook runs top to bottom).")
            if name in KATA_CLASSES and needed is winner.get(name):
                todo.extend(patches.get(name, []))
    chosen, done = [], set()

    def place(piece, path=()):
        if id(piece) in done or id(piece) in path:
            return
        for needed in sorted(first.get(id(piece), []), key=lambda p: p.order):
            place(needed, path + (id(piece),))  # read as it runs: it must come first
        done.add(id(piece))
        chosen.append(piece)
    for piece in sorted(wanted.values(), key=lambda p: p.order):
        place(piece)
    later = [m for m in imports if MODULES.index(m) > MODULES.index(module)]
    lines = [(f"# {module}.py, taken from the learner's notebook by the grader", None, None)]
    # `from __future__ import annotations` in any cell holds for the cells after it (IPython
    # keeps it), and must open a file
    lines += [(text, p.cell.place, p.first + i) for p in futures
              for i, text in enumerate(p.text)]
    lines += [(f"from .{m} import {', '.join(sorted(imports[m]))}", None, None)
              for m in imports if m not in later]
    unknown = {n for p in chosen for n in p.uses} - set(versions) - set(dir(builtins))
    if unknown and stars:  # `from math import *` somewhere: a name nothing defines is its
        lines += [(text, s.cell.place, s.first + i) for s in stars
                  for i, text in enumerate(s.text)]
    opening = {id(p) for p in futures}
    for piece in chosen:
        if id(piece) in opening:
            continue
        lines.append(("", None, None))
        lines += [(text, piece.cell.place, piece.first + i)
                  for i, text in enumerate(piece.text)]
    # A kata name of a later file is imported at the end: files that import each other
    # (topo.py using Value, value.py using build_topo) then both load, as in the notebook.
    lines += [(f"from .{m} import {', '.join(sorted(imports[m]))}", None, None)
              for m in later]
    return lines


def write_lines(folder, module, lines, sources):
    """Write one assembled file, and its lines' places into the map (each place's text
    once, in sources["places"]: a line holds its number)."""
    with open(os.path.join(folder, module + ".py"), "w", encoding="utf-8") as f:
        f.write("\n".join(text for text, _, _ in lines) + "\n")
    numbers = {place: n for n, place in enumerate(sources["places"])}
    mapped = []
    for _, place, line in lines:
        if place is not None and place not in numbers:
            numbers[place] = len(sources["places"])
            sources["places"].append(place)
        mapped.append([numbers[place], line] if place is not None else None)
    sources["files"][module + ".py"] = mapped


def summary_line(result, shown):
    """One line for the report: which cell each kata name was taken from."""
    shown = os.path.basename(shown)
    if not result.found:
        return f"Nothing the kata grades was found in {shown}."
    parts = []
    for name, place in result.found.items():
        if name.startswith("patches of "):
            parts.append(f"{name}: {', '.join(place)}")
        else:
            parts.append(f"{name} ({place})")
    return f"Taken from {shown}: " + "; ".join(parts)


@contextlib.contextmanager
def taken_out(args):
    """For the length of a command: `args.target` is a folder of the grader's with the
    kata's definitions taken out of the notebook or script `args.source` now; then the
    folder is gone and `args` as before. `args.notebook` holds the Assembly meanwhile.
    Raises NotebookError when the file is no notebook."""
    source, shown = args.source, args.shown
    folder = os.path.join(tempfile.mkdtemp(prefix="kata-notebook-"), "exercises")
    try:
        os.mkdir(folder)
        found = assemble(source, shown, folder)
        args.target, args.source, args.notebook = folder, None, found
        args.shown = found.shown or shown
        yield args
    finally:
        args.target, args.source, args.shown, args.notebook = source, source, shown, None
        shutil.rmtree(os.path.dirname(folder), ignore_errors=True)
