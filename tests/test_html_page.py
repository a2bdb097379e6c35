"""The HTML page's fast paths give what the slow ones give (issue 16: the page at size).

highlight_python reads the NumPy view with one regular expression where tokenize would
answer the same, and tokenize elsewhere; the page's plan table reads its columns from the
plan instead of plan_dict. Each is checked here against the other way.
"""

import random
import re
from html import escape, unescape

import pytest

from notation import NotationError, parse
from notation.emit.highlight import (_highlight_lines, _highlight_marked, _highlight_tokens,
                                     highlight_python)
from notation.emit.html import plan_steps_table, plan_table
from notation.emit.plan import plan_dict

from .golden_files import cases, source

EDGES = [
    "x = relu(a.dot(b))  # <&> 'quoted' \"too\"",
    'y = "a(b" + f (x) + g\n(h)',
    "z = (1",                       # tokenize: EOF in multi-line statement, nothing marked
    "z = 1)",
    "if x: y = 1e-5j + .5 + 0x1f + 1_000",
    "s = r'raw' + b\"bytes\" + f'{x}'",
    "def f(x):\n    return x\n",      # indented: tokenize's path
    "a = 1 \\\n    + 2",               # a continued line
    "t = '''three\nquotes'''",
    "u = 'open",
    "layer_1 = x²(y)",                # a name that is no identifier
    "ŷ = 1\nv = ŷ(2)",
    "w = 1if x else 2",
    "# a comment only (with a bracket",
    "x = y\r\nz = w(1)",
    "e = x[...] + a[...1] + 5...5 + b....5 + c..5",   # ... is one operator
    "f = format(1) < fork & notx(2) > lambda_(3) + if_ + 1if(x) + 1_0e + 9a",
    "",
]


def _codes():
    out = list(EDGES)
    for case in cases():
        try:
            p = parse(source(case))
        except NotationError:
            continue
        for style in ("book", "plan", "matmul", "plain"):
            for module in (False, True):
                try:
                    out.append(p.numpy(style=style, module=module))
                except NotationError:
                    pass
    rng = random.Random(3)
    for code in list(out):                     # and each with a few characters changed
        for _ in range(2):
            chars = list(code)
            for _ in range(rng.randint(1, 3)):
                j = rng.randrange(len(chars) + 1)
                if rng.random() < .4 and j < len(chars):
                    del chars[j]
                else:
                    chars.insert(j, rng.choice("()[]{}'\"#\\ \t\n.5e_xé²&<>:=,j"))
            out.append("".join(chars))
    return out


def test_highlight_python_is_tokenize_s_reading():
    codes = _codes()
    assert sum(_highlight_lines(c) is not None for c in codes) > len(codes) // 3
    for code in codes:
        assert highlight_python(code) == _highlight_tokens(code), repr(code)


def test_the_ascii_path_is_tokenize_s_reading_on_token_soups():
    # ASCII code with no string and no comment is marked one match per marked token
    # (_highlight_marked): on random soups of the tokens that could trip it, it answers
    # as tokenize does, and as the one-token-a-match path, wherever it answers.
    atoms = ["x", "layer_1", "if", "else", "format", "np", ".", "dot", "(", ")", "[", "]",
             "{", "}", " ", "\n", "1", "0", "1e5", "1e", ".5", "5.", "0x1f", "0x", "1_000",
             "1j", "_", "e", "+", "*", "@", "<", ">", "&", "=", ",", ":", "lt", "print", "not",
             "in", "True", "lambda", "a1", "9a", "0b101", "1__0", "__init__", "!", "%", "?"]
    rng = random.Random(5)
    answered = 0
    for _ in range(6000):
        code = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 30)))
        marked = _highlight_marked(code)
        assert marked == _highlight_lines(code), repr(code)
        if marked is not None:
            answered += 1
            assert marked == _highlight_tokens(code), repr(code)
    assert answered > 1000


def test_highlight_python_marks_what_it_should():
    html = highlight_python("y = relu(layer_0.dot(w)) + 1.5  # <b>\nif x: pass")
    assert "<span class='fn'>relu</span>(layer_0.<span class='fn'>dot</span>(w))" in html
    assert "<span class='num'>1.5</span>" in html
    assert "<span class='com'># &lt;b&gt;</span>" in html
    assert "<span class='kw'>if</span> x: <span class='kw'>pass</span>" in html
    assert highlight_python("z = (1") == "z = (1"       # an open bracket: nothing marked


@pytest.mark.parametrize("options", [{}, {"sizes": "3,4,1"}, {"batch": "b"},
                                     {"convention": False}, {"columns": True}])
def test_the_page_s_plan_table_is_plan_table_of_plan_dict(options):
    checked = 0
    for case in cases():
        try:
            plan = parse(source(case)).plan(**options)
        except NotationError:
            continue
        assert plan_steps_table(plan) == plan_table(plan_dict(plan)), case
        checked += 1
    assert checked > 10


def _network(layers: int) -> str:
    functions = ["relu", "sigmoid", "tanh"]
    return "\n".join(["l0 : 1×3"] + [f"l{k + 1} = {functions[k % 3]}(l{k}W{k})"
                                      for k in range(layers - 1)])


def test_the_page_draws_the_first_1000_layers_and_says_so():
    from notation.emit.diagram import svg
    from notation.emit.html import PAGE_LAYERS, page_figures
    from notation.emit.plan import figures
    from notation.side_by_side import html_page, views
    assert PAGE_LAYERS == 1_000
    program = parse(_network(1_201))               # l0 … l1200
    page = html_page(program)
    notice = ("<p class='notice'>The diagram of the first 1,000 of the 1,201 layers (a page "
              "draws at most 1,000); the whole network: <code>notation diagram --svg -o "
              "net.svg</code> with the same program and options.</p>")
    assert page.count(notice) == 1
    assert page.count("class='layer'") == 1_000
    # the strips drawn are the whole picture's first 1,000, and their boxes
    whole = views(program).picture()
    assert len(whole.strips) == 1_201 and whole.total is None
    drawn = views(program).picture(limit=PAGE_LAYERS)
    assert (drawn.strips, drawn.boxes, drawn.total) == (whole.strips[:1_000],
                                                        whole.boxes[:999], 1_201)
    assert notice + svg(drawn) in page
    # the table has the steps of the first 1,000 statements (a declaration and 999 layers
    # of two steps), the figures are the whole program's
    plan = program.plan()
    assert page.count("<tr><td>") == 1_998 and len(plan.steps) == 2_400
    # (a figure of over 1,000 characters is cut after a whole term, docs/views.md)
    shown = page_figures(figures(plan))
    assert all(f"{label} {text}".replace("&", "&amp;").replace("<", "&lt;")
               .replace(">", "&gt;") in page for label, text in shown)
    cut = [(text, whole) for (_, text), (_, whole) in zip(shown, figures(plan)) if text != whole]
    assert cut and all(text.endswith(" + … (all of it: notation plan)") and len(text) < 1_100
                       and whole.startswith(text.split(" + …")[0] + " + ") for text, whole in cut)
    assert "l1200 · layer_1200" in svg(whole) and "l1200 · layer_1200" not in page


def test_a_page_of_1000_layers_is_drawn_whole():
    from notation.side_by_side import html_fragment
    fragment = html_fragment(parse(_network(1_000)))
    assert "class='notice'" not in fragment
    assert fragment.count("class='layer'") == 1_000


def test_notation_diagram_draws_every_layer(tmp_path):
    from notation.cli import main
    (tmp_path / "net.nn").write_text(_network(1_201), encoding="utf-8")
    assert main(["diagram", "--svg", "-f", str(tmp_path / "net.nn"),
                 "-o", str(tmp_path / "net.svg")]) == 0
    assert (tmp_path / "net.svg").read_text(encoding="utf-8").count("class='layer'") == 1_201


def test_the_plan_table_escapes_a_cell_only_when_one_needs_it():
    # _table escapes every cell when one has a character to escape (a derivative's '), and
    # none otherwise; either way the text is the cells' own.
    training = parse("l1 = relu(l0W0 + b0)\nl2 = softmax(l1W1)\nδ2 = l2 - y\n"
                     "δ1 = δ2W1ᵀ ⊙ relu'(l1)\nW1 -= α l1ᵀδ2")
    table = plan_steps_table(training.plan(sizes="3,4,2"))
    assert "relu&#x27;(l1)</td>" in table
    assert "relu'(" not in table
    forward = plan_steps_table(parse("l2 = relu(l1W1 + b1)").plan())
    assert "<td class='op'>l1W1</td><td>b×n2</td><td>2·b·n1·n2</td><td>8·b·n2</td>" in forward


@pytest.mark.parametrize("special", ["&", "<", ">", '"', "'", "<tr><td>", "'<>'"])
@pytest.mark.parametrize("cell", [1, 2, 3, 4, 5])
def test_the_plan_table_escapes_each_cell_with_any_special_character(special, cell):
    # _table looks for a character to escape in the whole table less its own markup (the
    # quotes and brackets of every row): each character, in each cell, must be found.
    from html import escape

    from notation.emit.html import _table
    plain = [1, "l1", "l0W0", "1×2", "4", "16"]
    rows = [tuple(plain), tuple(plain)]
    rows[1] = tuple(v + special if i == cell else v for i, v in enumerate(plain))
    table = _table(rows, [("FLOPs", "4")])
    cells = "".join(f"<tr><td>{r[0]}</td><td>{escape(r[1])}</td><td class='op'>{escape(r[2])}"
                    f"</td><td>{escape(r[3])}</td><td>{escape(r[4])}</td><td>{escape(r[5])}"
                    "</td></tr>" for r in rows)
    assert cells in table


def _notices(html: str) -> list[str]:
    return re.findall(r"<p class='notice'>(.*?)</p>", html)


def _pre(html: str, title: str) -> str:
    """The text of the <pre> of the section ``title``, its markup taken off."""
    section = html[html.index(f"<h2>{title}</h2>"):]
    inner = section[section.index("<pre>") + 5:section.index("</pre>")]
    return unescape(re.sub(r"<[^>]+>", "", inner))


def test_a_page_shows_the_first_1000_statements_of_each_view_and_says_so():
    from notation.emit.html import PAGE_STATEMENTS, page_figures
    from notation.emit.plan import figures
    from notation.side_by_side import html_page
    assert PAGE_STATEMENTS == 1_000
    # l1 = c is a copy because of the update after the first 1,000 statements: the page's
    # NumPy is the first lines of the whole program's code, not the code of a shorter one
    lines = (["l0 : 2×3", "c : 2×3", "l1 = c"]
             + [f"h{k} = relu(l0W{k} + b{k}) ⊙ c" for k in range(1_195)]
             + ["c -= αl1", "y = h5 + c"])
    program = parse("\n".join(lines))
    page = html_page(program)
    tail = " the first 1,000 of the 1,200 statements (a page shows at most 1,000)"
    notices = _notices(page)
    assert notices[4].startswith("The diagram of the first 1,000 of the ")
    assert notices[:4] == [
        f"The algebra and math of{tail}; all of them: <code>notation algebra</code> "
        "with the same program and options.",
        f"The NumPy code of{tail}; all of them: <code>notation numpy</code> "
        "with the same program and options.",
        f"The LaTeX of{tail}; all of them: <code>notation latex</code> "
        "with the same program and options.",
        f"The steps of{tail}, and the figures of the whole program; all of them: "
        "<code>notation plan</code> with the same program and options."]
    assert _pre(page, "Algebra") == "\n".join(program.algebra().splitlines()[:1_000])
    numpy = program.numpy().splitlines()
    assert numpy[2] == "layer_1 = c.copy()"
    assert _pre(page, "NumPy") == "\n".join(numpy[:1_000])
    latex = program.latex().split(" \\\\\n")
    assert _pre(page, "LaTeX") == " \\\\\n".join(latex[:999] + [latex[999] + "\n\\end{aligned}"])
    assert page.count("<mtr>") == 1_000
    # the rows are the steps of the statements shown, in order; the figures are all of them
    plan = program.plan()
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", page)
    shown = {id(s) for s in program.statements[:1_000]}
    assert [int(step) for step, _ in rows] == [s.index for s in plan.steps
                                               if id(s.statement) in shown]
    assert rows[-1][1] == "h996"
    assert all(escape(f"{label} {text}", quote=False) in page
               for label, text in page_figures(figures(plan)))


def test_a_page_of_1000_statements_is_whole():
    from notation.side_by_side import html_fragment
    program = parse(_network(1_000))            # a declaration and 999 layers
    fragment = html_fragment(program)
    assert _notices(fragment) == []
    assert _pre(fragment, "Algebra") == program.algebra()
    assert fragment.count("<mtr>") == 1_000
    assert fragment.count("<tr><td>") == len(program.plan().steps)


def test_each_statement_s_algebra_math_and_latex_are_its_own():
    # The page prints the algebra, MathML and LaTeX of a long program's first statements
    # as those of a shorter program: each must be the first rows of the whole's.
    from notation.emit.mathml import mathml
    from notation.nodes import Program
    from .parser_corpus import programs
    rng = random.Random(5)
    checked = 0
    for text in programs(400, seed=13):
        try:
            program = parse(text)
        except NotationError:
            continue
        n = len(program.statements)
        if n < 3:
            continue
        k = rng.randrange(2, n)
        part = Program(program.statements[:k], source=program.source)
        assert part.algebra().splitlines() == program.algebra().splitlines()[:k], text
        rows = re.findall(r"<mtr>.*?</mtr>", mathml(program))
        assert re.findall(r"<mtr>.*?</mtr>", mathml(part)) == rows[:k], text
        whole = program.latex().removesuffix("\n\\end{aligned}").split(" \\\\\n")
        assert part.latex().removesuffix("\n\\end{aligned}").split(" \\\\\n") == whole[:k], text
        checked += 1
    assert checked > 50


def test_a_shape_error_past_the_statements_shown_is_the_page_s_error(tmp_path):
    import subprocess
    import sys
    lines = _network(1_100).splitlines() + ["y = l0l0"]      # 1×3 times 1×3
    (tmp_path / "net.nn").write_text("\n".join(lines), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "notation", "show", "--html", "-f",
                           str(tmp_path / "net.nn")], capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    assert "line 1101" in done.stderr and "Traceback" not in done.stderr


def test_a_page_shows_at_most_50000_characters_of_statements():
    from notation.emit.html import PAGE_CHARACTERS
    from notation.side_by_side import html_page
    assert PAGE_CHARACTERS == 50_000
    # 100 statements of 1,000 characters: the first 50 fit
    lines = [f"y{k:02d} = x" + "".join(f"W{j % 10}" for j in range(496)) + "A"
             for k in range(100)]
    assert {len(line) for line in lines} == {1_000}
    program = parse("\n".join(lines))
    page = html_page(program)
    tail = (" the first 50 of the 100 statements (a page shows at most 50,000 characters of "
            "statements)")
    assert _notices(page)[0] == (f"The algebra and math of{tail}; all of them: <code>notation "
                                 "algebra</code> with the same program and options.")
    assert _pre(page, "Algebra") == "\n".join(program.algebra().splitlines()[:50])
    assert _pre(page, "NumPy") == "\n".join(program.numpy().splitlines()[:50])
    assert page.count("<mtr>") == 50


def test_a_first_statement_too_long_for_the_page_is_not_shown():
    from notation.side_by_side import html_page
    # one statement of 158,728 factors at the limit made a 73 MB page
    program = parse("l1 = l0" + "".join(f"W{k}" for k in range(12_000)))
    page = html_page(program)
    length = len(program.source)
    notices = _notices(page)
    assert notices[0] == (f"The algebra and math of the program: not shown, as its first "
                          f"statement is {length:,} characters long (a page shows at most "
                          "50,000 characters of statements); all of them: <code>notation "
                          "algebra</code> with the same program and options.")
    assert notices[3].startswith("The steps of the program: not shown") and \
        "; the figures are the whole program's; all of them" in notices[3]
    assert "<pre>" not in page and "<mtr>" not in page and "<tr><td>" not in page
    assert page.count(" + … (all of it: notation plan)") >= 3      # parameters, FLOPs, …
    assert len(page) < 60_000
    title = re.search("<title>(.*)</title>", page).group(1)
    assert len(title) == 100 and title.endswith("…") and title.startswith("l1 = l0W0W1")


def test_a_diagram_box_names_at_most_eight_matrices():
    from notation.emit.diagram import svg, text
    from notation.side_by_side import views
    program = parse("l1 = l0" + "".join(f"W{k}" for k in range(100)))
    drawing = text(views(program).picture())
    assert "│ W0 W1 W2 W3 W4 W5 W6 W7 … 92 more │" in drawing
    assert "n7×n8 weights_7_8 … 92 more  = l0W0W1W2" in drawing
    detail = next(line for line in drawing.splitlines() if "= l0W0" in line)
    assert detail.endswith("…") and len(detail.split("= ")[1]) == 200
    assert "W0 W1 W2 W3 W4 W5 W6 W7 … 92 more</text>" in svg(views(program).picture())
    small = text(views(parse("l1 = relu(l0W0)W1")).picture())      # nothing cut
    assert "more" not in small and "…" not in small
