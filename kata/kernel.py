"""`check("stage2")` inside a notebook: grade the code this kernel has run so far.

IPython keeps the source of every cell it ran, in the order it ran them (its history).
check() writes those cells into a notebook of its own (kata.notebook reads it, naming each
cell "Cell In[7]" as IPython does) and grades it with the grader in a process of its own:
the kernel is where the learner's code lives, and the judge (pytest, torch) never shares a
process with learner code. That process is a warm grading session (kata.session.Server),
started by the first check() and kept for the next ones: torch and the checks are loaded
once per kernel, and each grading still runs the code in fresh children. The result comes back as JSON and is shown as the terminal shows
it (text), or as a table in Jupyter and Colab (HTML). check() never raises: a notebook
cell that calls it must not end in a traceback of the grader's.
"""
import html
import io
import json
import os
import tempfile

from .places import KERNEL_SHOWN
from .report import STATUS_COLOUR, TextReport
from .stages import CHALLENGES, STAGES, stage_by_name

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # where grader.py is
SERVER = []  # the kernel's warm grader, once a check() has started it
COLOURS = {"32": "#1a7f37", "31": "#cf222e", "33": "#9a6700"}


def shell():
    """The running IPython shell, or None (plain Python)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def history(ipython):
    """[(execution number, source)] of the cells this kernel ran, in the order it ran them
    (the cell calling check() included: what it defined before the call counts too)."""
    raw = ipython.history_manager.input_hist_raw
    return [(number, source) for number, source in enumerate(raw) if number and source]


def as_notebook(cells):
    return {"cells": [{"cell_type": "code", "execution_count": number, "metadata": {},
                       "outputs": [], "source": source} for number, source in cells],
            "metadata": {"kata": {"history": True}}, "nbformat": 4, "nbformat_minor": 5}


def warm_server():
    """The kernel's warm grader, started now if there is none (or it has ended)."""
    from .session import Server
    if not SERVER or SERVER[0].process.poll() is not None:
        SERVER[:] = [Server(PROJECT)]
    return SERVER[0]


def grade(cells, stages, timeout):
    """(summary, problem): the grader's JSON summary of the cells, or why there is none."""
    with tempfile.TemporaryDirectory(prefix="kata-kernel-") as folder:
        path = os.path.join(folder, "kernel.ipynb")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(as_notebook(cells), f)
        server = warm_server()
        try:
            code, out, err = server.run([*stages, "--target", path, "--json", "--timeout",
                                         str(timeout)], env={"NO_COLOR": "1"}, cwd=folder)
        except RuntimeError as problem:  # it ended or hung: the next check() starts anew
            SERVER.clear()
            return None, str(problem)
        except KeyboardInterrupt:  # stopped mid-grading: it cannot be trusted to go on
            server.process.kill()
            SERVER.clear()
            raise
    try:
        return json.loads(out), None
    except ValueError:
        return None, (err.strip() or f"the grader ended with code {code}")


def text_report(summary, verbose=False):
    """(table, details): the report as the terminal prints it, in its two parts (the HTML
    table replaces the first), with the terminal's advice said as a notebook says it."""
    table, details = io.StringIO(), io.StringIO()
    report = TextReport(table, verbose=verbose)
    print(f"Grading {KERNEL_SHOWN} (the cells this kernel has run, in the order it ran them)",
          file=table)
    for note in summary.get("notes", []):
        print(f"  {note}", file=table)
    print(report.COLUMNS.format("stage", "title", "checks", "status"), file=table)
    for stage in summary["stages"]:
        report.row(stage["name"], stage["checks"])
    report.out = details
    report.details(summary, focus_all=len(summary["stages"]) < 8)
    return table.getvalue(), details.getvalue().replace(
        "the same command with --timeout 20", "check(..., timeout=20)")


def html_report(summary, details):
    """A table of the stages and, below it, the same details the terminal shows."""
    rows = []
    for stage in summary["stages"]:
        colour = COLOURS.get(STATUS_COLOUR.get(stage["status"]), "inherit")
        rows.append(f"<tr><td>{stage['name']}</td><td>{html.escape(stage['title'])}</td>"
                    f"<td>{stage['passed']}/{stage['total']}</td>"
                    f"<td style='color:{colour};font-weight:bold'>{stage['status']}</td></tr>")
    rest = details.strip("\n")
    notes = "".join(f"<div style='opacity:0.7'>{html.escape(n)}</div>"
                    for n in summary.get("notes", []))
    return ("<div><b>Grading your notebook</b> (the cells this kernel has run, in the order "
            f"it ran them){notes}<table><tr><th>stage</th><th>title</th><th>checks</th>"
            f"<th>status</th></tr>{''.join(rows)}</table>"
            + (f"<pre>{html.escape(rest)}</pre>" if rest else "") + "</div>")


def in_jupyter(ipython):
    """Jupyter, JupyterLab, VS Code and Colab kernels show HTML; a terminal IPython does not."""
    return any(c.__name__ == "ZMQInteractiveShell" for c in type(ipython).__mro__)


def check(*stages, timeout=5.0, verbose=False):
    """Grade the code this kernel has run so far; show the result; return None."""
    try:
        ipython = shell()
        if ipython is None:
            print("check() grades the cells of a notebook (Jupyter, Colab or IPython). "
                  "Outside one, run: python grader.py --target your_notebook.ipynb")
            return None
        words = [str(w) for s in stages for w in (s if isinstance(s, (list, tuple)) else [s])]
        if any(stage_by_name(w) is None for w in words):
            print(f"check() takes stages: check('stage2'), check(2) or check() for all; "
                  f"there is no stage {', '.join(w for w in words if stage_by_name(w) is None)}"
                  f" (stage0 ... stage{len(STAGES) - 1}, challenge1 ... challenge"
                  f"{len(CHALLENGES)}). For a hint: hint('stage2').")
            return None
        summary, problem = grade(history(ipython), words, timeout)
        if summary is None:
            print(f"check() could not grade your notebook: {problem}")
            return None
        table, details = text_report(summary, verbose)
        if in_jupyter(ipython):
            from IPython.display import HTML, display
            display(HTML(html_report(summary, details)))
        else:
            print(table + details, end="")
    except KeyboardInterrupt:
        print("check() was interrupted.")
    except Exception as problem:  # never a traceback of the grader's in the learner's cell
        print(f"check() itself failed ({type(problem).__name__}: {problem}): this is a bug "
              "in the grader, not in your code. Please report it.")
    return None
