"""The HTML page's fast paths give what the slow ones give (issue 16: the page at size).

highlight_python reads the NumPy view with one regular expression where tokenize would
answer the same, and tokenize elsewhere; the page's plan table reads its columns from the
plan instead of plan_dict. Each is checked here against the other way.
"""

import random

import pytest

from notation import NotationError, parse
from notation.emit.html import _highlight_lines, _highlight_tokens, highlight_python
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
