"""report.html of a batch: one self-contained page (inline CSS and SVG, no script, nothing
fetched) that says what the class got wrong.

Every number on it is computed here from the same results grades.csv is written from, and
the elements that hold them carry data- attributes, so a test can read them back.
Everything from a submission (student names, messages) is escaped.
"""
import collections
import datetime
import html
import statistics
import urllib.parse

from .gradebook import (FEEDBACK_FOLDER, feedback_name, misconception_ranking, needs_a_look,
                        plural, twins)
from .progress import first_unfinished
from .stages import course_stages

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;
border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.muted{color:#59636e}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #eaeef2;vertical-align:top}th{background:#f6f8fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#eaeef2;border-radius:4px;height:.9rem;width:12rem;display:inline-block;
vertical-align:middle}.bar span{display:block;height:100%;border-radius:4px;
background:#2da44e}.bar.stop span{background:#cf222e}
.pass{color:#1a7f37}.fail{color:#cf222e}.none{color:#8c959f}
.status-timeout,.status-policy,.status-crashed{color:#cf222e;font-weight:600}
.who{font-size:.9rem}.who a{color:#0969da;text-decoration:none;margin-right:.4rem}
code{background:#f6f8fa;padding:0 .25rem;border-radius:4px}
.warning{border:1px solid #cf222e;background:#ffebe9;padding:.5rem 1rem;border-radius:6px}
pre{white-space:pre-wrap;font-size:.8rem}
"""
BIN_WIDTH = 10


def html_page(results, skipped, info):
    """The whole page, as text."""
    total = len(results)
    scores = [r["score"] for r in results]
    top = results[0]["max"] if results else sum(s.points for s in course_stages())
    statuses = collections.Counter(r["status"] for r in results)
    parts = [f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
             f"<meta name=viewport content='width=device-width,initial-scale=1'>"
             f"<title>Class report: autograd-kata</title><style>{STYLE}</style></head><body>",
             "<h1>Class report: autograd-kata</h1>",
             f"<p class=muted>{total} submissions from <code>{esc(info['submissions'])}</code>"
             f", graded {datetime.datetime.now():%Y-%m-%d %H:%M} in course mode (seed "
             f"{info['seed']}, {info['timeout']:g} s per run, a budget of "
             f"{budget_words(info['budget'])} per student). Each student's feedback is in "
             f"<code>{FEEDBACK_FOLDER}/</code> beside this page; the grades in "
             f"<code>grades.csv</code>.</p>"]
    parts.append("<div class=cards>" + "".join(
        f"<div class=card data-card='{key}'><b>{value}</b>{label}</div>" for key, value, label in (
            ("students", total, "students"),
            ("mean", f"{statistics.mean(scores):.1f}" if scores else "-", f"mean of {top}"),
            ("median", f"{statistics.median(scores):g}" if scores else "-", "median"),
            ("all", sum(s == top for s in scores), "passed every stage"),
            ("attention", len(attention_rows(results, skipped)),
             "need a look (below)"))) + "</div>")
    parts += [section_warnings(results), section_what_to_reteach(results), section_stages(results),
              section_histogram(scores, top), section_attention(results, skipped),
              section_students(results)]
    parts.append("<p class=muted>Made by <code>python grader.py batch</code>. Numbers count "
                 "students; a mistake is listed when the grader named it in a check's "
                 "feedback.</p></body></html>")
    return "\n".join(parts) + "\n"


def section_what_to_reteach(results):
    ranking = misconception_ranking(results)
    rows = []
    for rank, (name, stages, who) in enumerate(ranking, 1):
        rows.append(f"<tr data-mistake='{esc(name)}' data-count='{len(who)}'>"
                    f"<td class=num>{rank}</td><td>{esc(name)}</td>"
                    f"<td>{', '.join(stages)}</td><td class=num>{len(who)}</td>"
                    f"<td class=who>{student_links(who)}</td></tr>")
    body = ("<table><tr><th class=num>#</th><th>mistake the grader named</th><th>named in</th>"
            "<th class=num>students</th><th>who</th></tr>" + "".join(rows) + "</table>"
            if rows else "<p>The grader named no mistake in any submission.</p>")
    return ("<h2>What to reteach: the mistakes the grader named, most students first</h2>"
            + body)


def section_stages(results):
    """Each stage's pass rate, and where students stopped (their first unfinished stage)."""
    total = len(results) or 1
    stopped = collections.Counter(first_unfinished(r["stages"]) for r in results)
    rows = []
    for stage in course_stages():
        passed = sum(r["stages"].get(stage.name) == "passed" for r in results)
        started = sum(r["stages"].get(stage.name) not in ("not started", None)
                      for r in results)
        rows.append(f"<tr data-stage='{stage.name}' data-passed='{passed}' "
                    f"data-stopped='{stopped[stage.name]}'><td>{stage.name}</td>"
                    f"<td>{esc(stage.title)}</td><td class=num>{stage.points}</td>"
                    f"<td class=num>{passed}/{len(results)}</td><td>{bar(passed / total)} "
                    f"{100 * passed / total:.0f}%</td><td class=num>{started - passed}</td>"
                    f"<td class=num>{len(results) - started}</td>"
                    f"<td>{bar(stopped[stage.name] / total, 'stop')} "
                    f"{stopped[stage.name]}</td></tr>")
    return ("<h2>Stages: how many passed, and where students stopped</h2>"
            "<table><tr><th>stage</th><th>title</th><th class=num>points</th>"
            "<th class=num>passed</th><th>pass rate</th><th class=num>failing</th>"
            "<th class=num>not started</th><th>first stage not passed</th></tr>"
            + "".join(rows) + "</table>"
            f"<p class=muted data-all-passed='{stopped[None]}'>{stopped[None]} passed "
            "every stage. A submission the grader could not grade counts as not started.</p>")


def section_histogram(scores, top):
    """Scores in bins of ten points (the last bin is the full score alone), as SVG bars."""
    bins = histogram(scores, top)
    most = max([count for _, _, count in bins] + [1])
    width, height, gap = 52, 160, 8
    bars = []
    for i, (low, high, count) in enumerate(bins):
        tall = round(height * count / most)
        x = 30 + i * (width + gap)
        label = f"{low}" if low == high else f"{low}-{high}"
        bars.append(f"<g class=bin data-low='{low}' data-high='{high}' data-count='{count}'>"
                    f"<title>{plural(count, 'student')} scored {label}</title>"
                    f"<rect x='{x}' y='{20 + height - tall}' width='{width}' height='{tall}' "
                    f"rx='3' fill='#218bff'/><text x='{x + width / 2}' y='{14 + height - tall}'"
                    f" text-anchor=middle font-size=13>{count}</text>"
                    f"<text x='{x + width / 2}' y='{height + 38}' text-anchor=middle "
                    f"font-size=12 fill='#59636e'>{label}</text></g>")
    total_width = 30 + len(bins) * (width + gap)
    return ("<h2>Scores</h2><svg role=img aria-label='histogram of scores' "
            f"width='{total_width}' height='{height + 50}' viewBox='0 0 {total_width} "
            f"{height + 50}'>" + "".join(bars) + "</svg>")


def histogram(scores, top):
    """[(low, high, count)]: 0-9, 10-19, ..., and `top` on its own."""
    bins = [(low, min(low + BIN_WIDTH - 1, top - 1), 0) for low in range(0, top, BIN_WIDTH)]
    bins.append((top, top, 0))
    counts = collections.Counter()
    for score in scores:
        index = len(bins) - 1 if score >= top else min(int(score) // BIN_WIDTH, len(bins) - 2)
        counts[index] += 1
    return [(low, high, counts[i]) for i, (low, high, _) in enumerate(bins)]


def attention_rows(results, skipped):
    """The table's rows: students whose grading needs a look, entries not graded, and
    students with more than one entry."""
    rows = [f"<tr data-attention='{esc(r['student'])}'><td>{student_links([r['student']])}"
            f"</td><td class='status-{r['status']}'>{r['status']}</td>"
            f"<td>{esc(r.get('problem') or '')}{details(r.get('detail'))}</td></tr>"
            for r in results if needs_a_look(r)]
    rows += [f"<tr><td>{esc(name)}</td><td>not graded</td><td>{esc(why)}</td></tr>"
             for name, why in skipped]
    rows += [f"<tr><td>{student_links(names)}</td><td>{len(names)} entries</td><td>one "
             "student's name twice: each entry was graded on its own</td></tr>"
             for names in twins(results)]
    return rows


def section_attention(results, skipped):
    rows = attention_rows(results, skipped)
    if not rows:
        return "<h2>Needs a look</h2><p>Nothing: every submission was graded normally.</p>"
    return ("<h2>Needs a look</h2><p class=muted><b>ok</b> with a reason: nothing in the "
            "upload could be graded (a broken zip, no .py file); <b>timeout</b>: some code ran "
            "out of time (the stages left were not graded); <b>policy</b>: a file broke the course "
            "policy and failed the stages that load it; <b>crashed</b>: the grader could not "
            "grade it (no grade yet: run the batch again with <code>--resume</code>).</p>"
            "<table><tr><th>student</th><th>status</th><th>what happened</th></tr>"
            + "".join(rows) + "</table>")


def short_name(stage):
    """A column head: the stage's number, or c1 for challenge1."""
    return f"c{stage.name[len('challenge'):]}" if stage.optional else str(stage.number)


def section_students(results):
    marks = {"passed": ("pass", "&#10003;"), "failed": ("fail", "&#10007;"),
             "not started": ("none", "&ndash;"), None: ("none", "?")}
    graded = course_stages()
    head = "".join(f"<th title='{esc(s.title)}'>{esc(short_name(s))}</th>" for s in graded)
    rows = []
    for r in sorted(results, key=lambda r: (-r["score"], r["student"].lower())):
        cells = "".join("<td class='{}'>{}</td>".format(*marks.get(r["stages"].get(s.name),
                                                                  marks[None]))
                        for s in graded)
        rows.append(f"<tr data-student='{esc(r['student'])}' data-score='{r['score']}'>"
                    f"<td>{student_links([r['student']])}</td><td class=num>{r['score']}</td>"
                    f"{cells}<td class='status-{r['status']}'>{r['status']}</td></tr>")
    return ("<h2>Every student (best first)</h2><table><tr><th>student</th>"
            f"<th class=num>score</th>{head}<th>status</th></tr>" + "".join(rows) + "</table>")


def details(text):
    """What the grader knows of a crash (its traceback), folded: for whoever debugs it."""
    return f"<details><summary>details</summary><pre>{esc(text)}</pre></details>" \
        if text else ""


def section_warnings(results):
    """The sandbox's warnings (a machine that could not fence learner code in), once."""
    warnings = sorted({w for r in results for w in r.get("warnings", ())})
    return "".join(f"<p class=warning>{esc(w)}</p>" for w in warnings)


def student_links(students):
    return " ".join(f"<a href='{FEEDBACK_FOLDER}/{urllib.parse.quote(feedback_name(s))}'>"
                    f"{esc(s)}</a>" for s in students)


def bar(fraction, kind=""):
    return f"<span class='bar {kind}'><span style='width:{100 * fraction:.1f}%'></span></span>"


def budget_words(budget):
    return f"{budget:g} s" if budget else "no limit"


def esc(text):
    return html.escape(str(text), quote=True)
