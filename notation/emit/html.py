"""Everything side by side (SPEC §4): one self-contained HTML page, as the book's page.

Algebra, the math (MathML, rendered by the browser itself), NumPy (highlighted), LaTeX,
the plan's table and the diagram (inline SVG), in one file with no script, no font and no
link to anything outside it, so it works offline and in a Jupyter output cell alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from ..nodes import Program

CSS = """
:root { --ink: #1d2733; --muted: #5b6878; --line: #d8dee6; --paper: #ffffff;
        --tint: #f5f8fb; --accent: #3a6ea5; }
body.notation { font-family: "DejaVu Sans", Arial, sans-serif; color: var(--ink);
                background: var(--paper); margin: 24px; }
.notation h1 { font-size: 20px; font-weight: 600; margin: 0 0 16px 0; }
.notation h1 code { font-size: 20px; }
.notation .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr));
                  gap: 16px; }
.notation section { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px;
                    background: var(--tint); min-width: 0; }
.notation h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em;
               color: var(--muted); margin: 0 0 8px 0; }
.notation pre { margin: 0; font: 13px/1.45 "DejaVu Sans Mono", Consolas, monospace;
                white-space: pre; overflow-x: auto; }
.notation math { font-size: 20px; }
.notation table.plan { border-collapse: collapse; font: 12px/1.4 "DejaVu Sans Mono", monospace; }
.notation table.plan th, .notation table.plan td { padding: 2px 8px; text-align: right;
                                                   border-bottom: 1px solid var(--line); }
.notation table.plan th { color: var(--muted); font-weight: normal; }
.notation table.plan td.op, .notation table.plan th.op { text-align: left; }
.notation section.wide { grid-column: 1 / -1; }
.notation .totals { margin-top: 8px; font-size: 13px; color: var(--muted); }
.notation .notice { margin: 0 0 8px 0; font-size: 13px; color: var(--muted); }
.notation .kw { color: #8a3ab9; } .notation .num { color: #b5461f; }
.notation .str { color: #2f7d32; } .notation .com { color: #6a737d; font-style: italic; }
.notation .fn { color: #1f5fa8; } .notation .tex { color: #8a3ab9; }
.notation svg { max-width: 100%; height: auto; background: white; }
"""


# The page draws at most this many layers of the diagram (a 47,620-layer network at the
# 1,000,000-character limit is a 49 MB SVG over 5 million pixels tall, and drawing it took
# as long as the rest of the page): the first 1,000, and a notice saying so and where the
# whole picture is. `notation diagram` draws every layer. docs/views.md, docs/performance.md.
PAGE_LAYERS = 1_000


# The page shows at most this many statements of the algebra, MathML, NumPy, LaTeX and the
# plan's table: the first 1,000, each under a notice naming the command that prints them
# all. At the 1,000,000-character limit the whole page was 41 MB, which headless Chromium
# took 95 s to show (a 2,000-statement page: 3.4 s), and which Jupyter's output cell refuses
# past its data rate. The plan's figures and every check are still the whole program's.
# docs/views.md, "The HTML page".
PAGE_STATEMENTS = 1_000

# ... and at most this many characters of them: a program of one long statement (a chain of
# 158,728 factors at the limit) made a 73 MB page with a single statement. 1,000 statements
# of 50 characters are shown whole; a first statement longer than this is not shown.
PAGE_CHARACTERS = 50_000

# A figure of the page longer than this is cut at a term and ends in "…" (the totals of a
# chain of distinct dimensions are polynomials of one term a factor: 6.5 MB for parameters).
PAGE_FIGURE = 1_000


@dataclass(frozen=True, slots=True)
class PagePart:
    """The statements of a program the page shows: ``program`` (its first ``shown``), and,
    when some are left out, how many there are (``total``; None when none is) and the first
    statement's length in characters (``first``, which the notice gives when none is shown)."""

    program: Program
    shown: int
    total: int | None
    first: int

    def notice(self, what: str, command: str, figures: bool = False) -> str:
        """The notice over a section showing these statements ("" when they are all):
        ``what`` it shows of them, and the ``command`` that prints all of them; with
        ``figures``, that the section's figures are the whole program's."""
        if self.total is None:
            return ""
        also = ", and the figures of the whole program" if figures else ""
        if self.shown == PAGE_STATEMENTS:
            cut = (f"the first {PAGE_STATEMENTS:,} of the {self.total:,} statements (a page "
                   f"shows at most {PAGE_STATEMENTS:,}){also}")
        elif self.shown:
            cut = (f"the first {self.shown:,} of the {self.total:,} statements (a page shows at "
                   f"most {PAGE_CHARACTERS:,} characters of statements){also}")
        else:
            also = "; the figures are the whole program's" if figures else ""
            cut = (f"the program: not shown, as its first statement is {self.first:,} "
                   f"characters long (a page shows at most {PAGE_CHARACTERS:,} characters of "
                   f"statements){also}")
        return (f"<p class='notice'>{what} {cut}; all of them: <code>{escape(command)}</code> "
                "with the same program and options.</p>")


def page_part(program: Program) -> PagePart:
    """The part of ``program`` the page shows: its first statements, at most PAGE_STATEMENTS
    of at most PAGE_CHARACTERS characters in all (of source; of algebra for a statement
    with no span, made by hand)."""
    statements = program.statements
    used = first = 0
    for count, statement in enumerate(statements):
        if count == PAGE_STATEMENTS:
            break
        length = _length(statement)
        first = first or length
        if used + length > PAGE_CHARACTERS:
            break
        used += length
    else:
        return PagePart(program, len(statements), None, first)
    return PagePart(Program(statements[:count], source=program.source), count,
                    len(statements), first)


def _length(statement) -> int:
    span = getattr(statement, "span", None)
    if span is not None:
        return span.end - span.start
    from .algebra import algebra
    return len(algebra(statement))


def page_figures(figures: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The plan's figures as the page shows them: each longer than PAGE_FIGURE cut after its
    last whole term that fits, with "…" and where the whole one is."""
    out = []
    for label, text in figures:
        if len(text) > PAGE_FIGURE:
            at = text.rfind(" + ", 0, PAGE_FIGURE)
            text = text[:at if at > 0 else PAGE_FIGURE] + " + … (all of it: notation plan)"
        out.append((label, text))
    return out


def page_title(first_line: str) -> str:
    """The page's title: the first line of the algebra, cut at 100 characters."""
    return first_line if len(first_line) <= 100 else first_line[:99] + "…"


def diagram_html(pic) -> str:
    """The page's diagram section: the SVG, with a notice when only the first layers are
    drawn (a picture made with ``limit=PAGE_LAYERS``)."""
    from .diagram import svg
    if pic.total is None:
        return svg(pic)
    return (f"<p class='notice'>The diagram of the first {len(pic.strips):,} of the "
            f"{pic.total:,} layers (a page draws at most {PAGE_LAYERS:,}); the whole network: "
            "<code>notation diagram --svg -o net.svg</code> with the same program and "
            f"options.</p>{svg(pic)}")


def plan_table(plan_dict: dict) -> str:
    """The plan's steps as an HTML table, and its totals."""
    return _table(((s["step"], s["value"], s["operation"], _shape_text(s["shape"]), s["flops"],
                    s["allocates"]) for s in plan_dict["steps"]), plan_dict["figures"])


def plan_steps_table(plan, statements: int | None = None) -> str:
    """``plan_table(plan_dict(plan))`` from the plan itself, reading only the columns the
    table shows (plan_dict would also explain every dimension and print every count).
    With ``statements``, the rows are the steps of the program's first ``statements``
    statements only; the figures are the whole plan's."""
    from .plan_cells import operation_text, shape_cells, target_text
    from .plan_figures import figures
    shape = shape_cells(plan)
    steps = plan.steps if statements is None else _steps_of_first(plan, statements)
    rows = ((step.index, target_text(step), operation_text(plan, step), shape(step.shape),
             step.flops, step.allocates) for step in steps)
    return _table(rows, page_figures(figures(plan)))


def _steps_of_first(plan, statements: int) -> list:
    """The plan's steps that compute the program's first ``statements`` statements: those
    before the first step of a later one (a plan's steps follow its statements' order)."""
    later = {id(s) for s in plan.program.statements[statements:]}
    for at, step in enumerate(plan.steps):
        if id(step.statement) in later:
            return plan.steps[:at]
    return plan.steps


def _shape_text(shape) -> str:
    return "×".join([str(d) for d in shape]) if shape else "scalar"


def _table(rows, figures) -> str:
    """The table of the rows (step, value, operation, shape's text, FLOPs, bytes) and the
    figures."""
    from .plan_cells import printed_once
    head = ("<tr><th>step</th><th>value</th><th class='op'>operation</th><th>shape</th>"
            "<th>FLOPs</th><th>bytes</th></tr>")
    text = printed_once(str)        # each count object of the plan printed once
    rows = list(rows)
    out = [f"<tr><td>{step}</td><td>{value}</td><td class='op'>{operation}</td>"
           f"<td>{shape}</td><td>{text(flops)}</td><td>{text(allocates)}</td></tr>"
           for step, value, operation, shape, flops, allocates in rows]
    body = "".join(out)
    # Escaped cell by cell only when some cell has a character to escape (a derivative's
    # relu'(…) has): most tables have none, and 700,000 escapes were a third of the table.
    if not _plain(body, len(out)):
        body = "".join([f"<tr><td>{step}</td><td>{escape(str(value))}</td><td class='op'>"
                        f"{escape(operation)}</td>"
                        f"<td>{escape(shape)}</td>"
                        f"<td>{escape(text(flops))}</td><td>{escape(text(allocates))}</td></tr>"
                        for step, value, operation, shape, flops, allocates in rows])
    # the figures under the labels the text plan gives them (emit/plan.figures)
    totals = " · ".join(f"{escape(label)} {escape(text)}" for label, text in figures)
    return (f"<table class='plan'>{head}{body}</table>"
            f"<div class='totals'>{totals}</div>")


# A row of the plan's table with its cells empty: its own quotes and brackets (_plain).
_ROW_TAGS = "<tr><td></td><td></td><td class='op'></td><td></td><td></td><td></td></tr>"
_ROW_MARKS = tuple((c, _ROW_TAGS.count(c)) for c in "'<>")
_AMP_QUOT = re.compile('[&"]')


def _plain(body: str, rows: int) -> bool:
    """Has no cell of the table's ``rows`` rows a character to escape? (Counted in the whole
    text, less the rows' own, instead of looking at every cell.)"""
    return _AMP_QUOT.search(body) is None and all(body.count(c) == n * rows
                                                   for c, n in _ROW_MARKS)


def _sections_html(sections) -> str:
    """Each (title, HTML, wide) section (notation/views.py's page_sections) as a <section>."""
    out = []
    for title, body, wide in sections:
        attrs = " class='wide'" if wide else ""
        out.append(f"<section{attrs}><h2>{escape(title)}</h2>{body}</section>")
    return "".join(out)


def fragment(program: Program, sections) -> str:
    """The side-by-side view as an HTML fragment (for Jupyter's ``_repr_html_``): the
    sections, in the order given (the registry's, notation/views.py)."""
    parts = _sections_html(sections)
    return (f"<div class='notation'><style>{CSS}</style>"
            f"<div class='grid'>{parts}</div></div>")


def page(program: Program, sections) -> str:
    """A complete, self-contained HTML document of the sections, in the order given."""
    from .algebra import algebra
    # The first line of the algebra, from the first statement alone (its section prints all).
    first = program.statements[0] if program.statements else program
    title = escape(page_title(algebra(first).splitlines()[0]))
    parts = _sections_html(sections)
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>{CSS}</style></head>"
            f"<body class='notation'><h1>notation · <code>{title}</code></h1>"
            f"<div class='grid'>{parts}</div></body></html>\n")
