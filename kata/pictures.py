"""`python grader.py graph [stageN]`: draw what the first failing check of a stage saw.

A graph (stages 1-4): every node with its data and grad beside torch's, wrong ones marked,
as a tree on the terminal and as a Graphviz .dot file (and .svg when Graphviz's `dot` is
installed); stage 4's Neuron is drawn as the lecture builds it, the nodes inside it with
torch's numbers only. A network (stages 5-7): a table of the parameters. The pictures come from the
checks (checks/pictures.py) as plain data; nothing here runs learner code or torch.
"""
import os
import shutil
import subprocess

from . import graph, progress, report, runner
from .stages import BY_NAME
from .workspace import output_folder

MARK = "x"  # a wrong number; plain ASCII, as every terminal shows it


def close(got, want):
    """The checks' own tolerance; where torch has no number (stage 1 has no grads), equal."""
    if want is None or isinstance(want, dict):
        return got == want
    return graph.close(got, want)


def number(value):
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value.get("not_a_number", value)) if isinstance(value, dict) else str(value)
    return f"{value:.6g}"


def pair(name, got, want):
    """'grad 4 (torch 2)', or 'grad 4' when they agree; None when there is nothing."""
    if want is None and got is None:
        return None
    if want is None or close(got, want):
        return f"{name} {number(got)}"
    return f"{name} {number(got)} (torch {number(want)})"


def wrong(node):
    if node.get("unseen"):  # the grader has none of the learner's numbers for it
        return False
    return not close(node["data"], node["want_data"]) or (
        node.get("want_grad") is not None and not close(node["grad"], node["want_grad"]))


def facts(node):
    """What a node shows: its numbers beside torch's, or torch's alone for a node the
    grader could not see (stage 4: the nodes inside the learner's Neuron)."""
    if node.get("unseen"):
        return [f"torch: data {number(node['want_data'])}, grad {number(node['want_grad'])}"]
    return [p for p in (pair("data", node["data"], node["want_data"]),
                        pair("grad", node["grad"], node["want_grad"])) if p]


def graph_text(picture):
    """The graph as a tree from the output down; a node used twice is drawn once."""
    nodes, lines, drawn = picture["nodes"], [], set()

    def draw(i, prefix, last, top=False, cut=False):
        node = nodes[i]
        branch = "" if top else ("`- " if last else "|- ")
        seen = " (drawn above)" if i in drawn else ""
        if cut:
            seen += "   <- not in its parent's _prev: the graph is cut here"
        mark = f"[{MARK}] " if wrong(node) or cut else "    "
        lines.append(f"{mark}{prefix}{branch}{node['formula']}   {'   '.join(facts(node))}"
                     f"{seen}")
        if i in drawn:
            return
        drawn.add(i)
        kids = node["children"]
        inner = prefix + ("" if top else ("   " if last else "|  "))
        for k, child in enumerate(kids):
            draw(child, inner, k == len(kids) - 1, cut=child in node.get("cut", ()))
    draw(picture["out"], "", True, top=True)
    if picture.get("unseen"):
        lines.append(picture["unseen"])
        lines += inside_clue(picture)
    return "\n".join(lines)


def inside_clue(picture):
    """Stage 4: when the learner's output is wrong but equals what torch has at a node
    inside the Neuron, say so: what comes after that node is missing or different (the
    output of a Neuron without its tanh is torch's w.x + b)."""
    out = picture["nodes"][picture["out"]]
    if out["data"] is None or close(out["data"], out["want_data"]):
        return []
    same = [n["formula"] for n in picture["nodes"]
            if n.get("unseen") and n["want_data"] is not None and close(out["data"], n["want_data"])]
    if not same:
        return ["Your output is wrong, so the difference is made inside your Neuron; the [x] "
                "on weights and inputs follow from it."]
    return [f"Your output equals torch's {same[-1]}: what your Neuron does after that (the "
            f"step up to {out['formula']}) is missing or different."]


def table_text(picture):
    rows = picture["rows"]
    after = any(r["want_data"] is not None for r in rows)  # training: data after the run
    heads = ("parameter", "data after training", "torch's") if after else \
        ("parameter", "data", "grad", "torch's grad")
    table = []
    for r in rows:
        cells = (r["name"], number(r["data"]), number(r["want_data"])) if after else \
            (r["name"], number(r["data"]), number(r["grad"]), number(r["want_grad"]))
        bad = not close(r["data"], r["want_data"]) if after else \
            r["want_grad"] is not None and not close(r["grad"], r["want_grad"])
        table.append((bad, cells))
    widths = [max(len(h), *(len(c[k]) for _, c in table)) for k, h in enumerate(heads)]

    def line(cells):
        return "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths)).rstrip()
    return "\n".join(["    " + line(heads)] +
                     [(f"[{MARK}] " if bad else "    ") + line(cells) for bad, cells in table])


def dot_text(picture, title):
    """Graphviz source: one box per node (formula, data, grad), edges child -> parent,
    wrong nodes in red."""
    def quote(text):
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("{", "\\{") \
            .replace("}", "\\}").replace("|", "\\|").replace("<", "\\<").replace(">", "\\>")
    lines = ["digraph kata {", f'  label="{quote(title)}"; labelloc=t; rankdir=LR;',
             '  node [shape=record, fontname="Helvetica"];']
    for i, node in enumerate(picture["nodes"]):
        fields = [quote(node["formula"])] + [quote(p) for p in facts(node)]
        colour = ', color=red, fontcolor=red, penwidth=2' if wrong(node) else ""
        lines.append(f'  n{i} [label="{{ {" | ".join(fields)} }}"{colour}];')
        for child in node["children"]:
            cut = ', style=dashed, color=red, fontcolor=red' if child in node.get("cut", ()) \
                else ""
            label = f'{node["op"] or ""}{" (cut)" if cut else ""}'
            lines.append(f'  n{child} -> n{i} [label="{label}"{cut}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def first_picture(checks):
    """(check, its picture) of the first check that did not pass, or (check, None)."""
    failing = [c for c in checks if c["status"] != "passed"]
    if not failing:
        return None, None
    return failing[0], failing[0].get("picture")


def run(args, out):
    """Grade the stage (the named one, or the first not passed) and draw its first failure."""
    if args.focus_all:
        stage = args.selected[0]
    else:
        states, _ = progress.statuses(args.target, args.shown, args.seed, args.timeout)
        stage = progress.first_unfinished(states)
        if stage is None:
            print("Every stage passes: there is no failing check to draw.", file=out)
            return 0
    if stage == "stage0":
        print("stage0 has no graph: derivative and partial work on plain numbers.", file=out)
        return 0
    checks, _ = runner.grade(args.target, args.shown, [stage], args.seed, args.timeout)
    check, picture = first_picture(checks.get(stage, []))
    if check is None:
        print(f"{stage} passes: there is no failing check to draw.", file=out)
        return 0
    title = f"{stage} ({BY_NAME[stage].title}), check {check['name']}"
    if picture is None:
        print(f"{title} has no graph to draw ({check['status']}); its message says what is "
              f"wrong: {report.command(stage, args.shown)}", file=out)
        return 1
    said = check["message"]
    if check.get("diagnosis"):
        said += f"\nLikely cause: {check['diagnosis']['name']}. {check['diagnosis']['hint']}"
    print(f"{title}:\n" + "\n".join("  " + line for line in said.splitlines()), file=out)
    print(f"\nWhat it saw, beside torch ([{MARK}] marks what torch does not agree with):\n",
          file=out)
    if picture["kind"] == "parameters":
        print(table_text(picture), file=out)
        return 1
    print(graph_text(picture), file=out)
    folder = output_folder("graphs")
    path = os.path.join(folder, f"{stage}-{check['name']}.dot")
    with open(path, "w", encoding="utf-8") as f:
        f.write(dot_text(picture, title))
    print(f"\nGraphviz file: {os.path.relpath(path)}", file=out)
    print(svg(path), file=out)
    return 1


def svg(dot_path):
    """Render the .svg with Graphviz when it is installed; else say how to get it."""
    dot = shutil.which("dot")
    if dot is None:
        return ("No picture file: Graphviz is not installed (it draws .dot files). Get it "
                "with `apt install graphviz`, `brew install graphviz` or "
                "`winget install graphviz`, then run this again.")
    target = dot_path[:-len(".dot")] + ".svg"
    done = subprocess.run([dot, "-Tsvg", dot_path, "-o", target], capture_output=True,
                          text=True, timeout=60)
    if done.returncode != 0:
        return f"Graphviz could not draw it: {done.stderr.strip()[:300]}"
    return f"Picture: {os.path.relpath(target)} (open it in a browser)"
