"""No text of a program puts anything but the intended code into NumPy or LaTeX (SPEC §6).

Every hostile input here — names, subscripts, numbers, function names, comments holding
``__import__('os')``, quotes, backslashes, ``\\input``, ``\\write18``, ``\\def``, ``\\catcode``,
``%``, braces, line separators (U+2028, U+0085), NUL — must end in one of two ways: a
``NotationError`` that points into the text, or output that is harmless, checked here
independently of the emitters:

- NumPy (``numpy()``, ``numpy(module=True)``, every style and naming, and the source that
  ``compile()`` executes) is parsed with Python's ``ast``, and every node, name, attribute and
  call must be on an allowlist: ``np`` and a few of its functions, the helpers of the function
  table, the identifiers of the program's own names (each a valid identifier), temporaries;
  no import but ``numpy``, no string but docstrings and the returned dict's keys;
- LaTeX (``latex()``, ``latex(document=True)``) may hold only the control sequences the
  emitter writes itself (``\\input``, ``\\write``, ``\\def``, ``\\catcode``, ``\\csname``… never;
  ``\\usepackage`` only in the fixed preamble), no ``%`` or ``#`` or ``^^``, and balanced braces.

Comments are dropped by the grammar and copied into no view; the only comment an emitter
writes is a declaration's (``# weights_0_1 : 3×4``), built from the tree. Trees built by hand
(``Program(...)``) skip the parser, so they get a table of their own.
"""

import ast
import keyword
import re
import string

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notation import NotationError, parse
from notation.emit.algebra import algebra
from notation.functions import FUNCTIONS
from notation.greek import GREEK
from notation.naming import SCHEMES
from notation.nodes import (Assign, Call, Declare, ExprStatement, MatMul, Name, Number, Program,
                            Transpose, Update)
from .tools import examples

# ---------------------------------------------------------------------------- the NumPy allowlist

NP_FUNCTIONS = {"exp", "log", "tanh", "negative", "divide", "subtract", "multiply", "square",
                "sum", "max", "transpose"}
ARRAY_ATTRIBUTES = {"T", "dot", "copy", "max", "sum"}
CALL_KEYWORDS = {"axis", "keepdims", "out"}
HELPERS = {f.name for f in FUNCTIONS.values()} | \
    {f.derivative_name for f in FUNCTIONS.values() if f.derivative_name}
HELPER_LOCALS = {"x", "output", "e"}          # a helper's parameter, and softmax's e
TEMPORARY = re.compile(r"(?:t|tmp|_t)[0-9]+\Z")
FORBIDDEN = {"exec", "eval", "__import__", "open", "getattr", "setattr", "delattr", "compile",
             "globals", "locals", "vars", "__builtins__", "input", "breakpoint", "os", "sys"}
NODES = (ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Expr, ast.Return, ast.Assign,
         ast.AugAssign, ast.Delete, ast.Name, ast.Load, ast.Store, ast.Del, ast.Attribute,
         ast.Call, ast.keyword, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Constant, ast.Dict,
         ast.Import, ast.alias, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.MatMult, ast.Pow,
         ast.USub, ast.Gt)
# compile() adds its shape checks: a try around unpacking .shape, integer comparisons, and
# the slow path; the only builtins they name are three exception classes. The body runs in
# a try whose handler hands NumPy's error to _failed (which raises a NotationRunError); a
# program of declarations only has the body `pass`. The plan style
# also wants inputs of its float type: with the checks on, `x.dtype is _FLOAT` joins the
# fast test; without them (the slow path's code) an input that is not of floats is
# converted: `if x.dtype is not _FLOAT and x.dtype.kind != "f": x = _real(x, "x")`, whose
# only strings are "f" and the keyword.
COMPILED_NODES = NODES + (ast.Try, ast.ExceptHandler, ast.If, ast.BoolOp, ast.And, ast.Not,
                          ast.Eq, ast.In, ast.Tuple, ast.Is, ast.IsNot, ast.NotEq, ast.Pass)
COMPILED_NAMES = {"_slow", "_SCALARS", "_real", "_FLOAT", "AttributeError", "TypeError",
                  "ValueError", "_ARRAY", "_ERRORS", "_failed", "_e",
                  "_unpack", "_given",          # a function of many inputs takes **_given
                  "_ok"}                        # and tests them in runs of 200
COMPILED_CALLS = {"_slow", "_real", "_failed", "_unpack"}
COMPILED_LOCAL = re.compile(r"_d[0-9]+\Z")
COMPILED_ATTRIBUTES = {"shape", "__class__", "dtype", "kind"}


def is_identifier(text: str) -> bool:
    return text.isidentifier() and text.isascii() and not keyword.iskeyword(text)


def program_names(program: Program):
    """Every name the program's statements mention (targets, values, symbols of shapes)."""
    stack = list(program.statements)
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            yield node
        elif isinstance(node, Declare):
            stack += [node.target, *(d for d in node.dims if isinstance(d, Name))]
        else:
            stack += [getattr(node, f) for f in ("target", "value", "expr", "left", "right",
                                                 "operand", "arg") if hasattr(node, f)]


def output_keys(program: Program) -> set[str]:
    return {algebra(n) for n in program_names(program)} | {"_"}


def docstrings(tree: ast.Module) -> set[int]:
    """ids of the Constant nodes that are docstrings (the first statement of a module or def)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def assert_harmless_python(code: str, program: Program, *, naming: str = "book",
                           keywords: tuple | None = None) -> None:
    """``code`` does what the allowlist lets it do, and nothing else.

    ``keywords``: for the source ``compile()`` runs, the keyword arguments of its function
    (``l0``, ``α``: notation spellings, bound to the plain identifiers in the code).
    """
    assert "\x00" not in code
    tree = ast.parse(code)
    scheme = SCHEMES[naming]
    identifiers = {scheme.python(n) for n in program_names(program)}
    for ident in identifiers:
        assert is_identifier(ident), ident
    compiled = keywords is not None
    keywords = keywords or ()
    for k in keywords:
        assert k.isidentifier() and not keyword.iskeyword(k), k
    allowed_nodes = COMPILED_NODES if compiled else NODES
    defined_helpers = {f.name for f in tree.body if isinstance(f, ast.FunctionDef)} - {"run"}
    assert defined_helpers <= HELPERS, defined_helpers
    program_scope = identifiers | set(keywords) | HELPERS | {"np", "_"} | \
        (COMPILED_NAMES if compiled else set())
    keys = output_keys(program)
    docs = docstrings(tree)
    for statement in tree.body:
        if isinstance(statement, ast.Import):
            assert [(a.name, a.asname) for a in statement.names] == [("numpy", "np")]
            continue
        helper = isinstance(statement, ast.FunctionDef) and statement.name in HELPERS
        scope = {"np"} | HELPER_LOCALS if helper else program_scope
        if isinstance(statement, ast.FunctionDef):
            assert not statement.decorator_list
            params = [a.arg for a in statement.args.args + statement.args.kwonlyargs]
            assert set(params) <= scope, params
            # only run(**_given) of a compiled function of many inputs takes a ** parameter
            assert statement.args.kwarg is None or compiled and statement.name == "run" \
                and statement.args.kwarg.arg == "_given", ast.dump(statement.args)
        dict_keys = {id(k) for n in ast.walk(statement) if isinstance(n, ast.Return)
                     and isinstance(n.value, ast.Dict) for k in n.value.keys}
        # _slow(**{"x0": x0, …}): the slow path of many inputs gets them as a dict display,
        # whose keys are the keywords themselves
        slow_keys = {id(k) for n in ast.walk(statement) if compiled and isinstance(n, ast.Call)
                     and isinstance(n.func, ast.Name) and n.func.id == "_slow"
                     for kw in n.keywords if kw.arg is None and isinstance(kw.value, ast.Dict)
                     for k in kw.value.keys
                     if isinstance(k, ast.Constant) and k.value in keywords}
        conversion = set()
        if compiled:
            for n in ast.walk(statement):
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) \
                        and n.func.id == "_real" and len(n.args) == 2 \
                        and isinstance(n.args[1], ast.Constant) and n.args[1].value in keywords:
                    conversion.add(id(n.args[1]))
                elif isinstance(n, ast.Compare) and isinstance(n.left, ast.Attribute) \
                        and n.left.attr == "kind" and len(n.comparators) == 1 \
                        and isinstance(n.comparators[0], ast.Constant) \
                        and n.comparators[0].value == "f":
                    conversion.add(id(n.comparators[0]))
        for node in ast.walk(statement):
            assert isinstance(node, allowed_nodes), ast.dump(node)[:200]
            if isinstance(node, ast.Import):
                assert [(a.name, a.asname) for a in node.names] == [("numpy", "np")]
            elif isinstance(node, ast.Name):
                assert node.id not in FORBIDDEN, node.id
                assert node.id in scope or TEMPORARY.match(node.id) \
                    or compiled and COMPILED_LOCAL.match(node.id), node.id
            elif isinstance(node, ast.Attribute):
                if isinstance(node.value, ast.Name) and node.value.id == "np":
                    assert node.attr in NP_FUNCTIONS, node.attr
                else:
                    assert node.attr in ARRAY_ATTRIBUTES or compiled and \
                        node.attr in COMPILED_ATTRIBUTES, node.attr
            elif isinstance(node, ast.Call):
                assert isinstance(node.func, ast.Attribute) or isinstance(node.func, ast.Name) \
                    and (node.func.id in HELPERS
                         or compiled and node.func.id in COMPILED_CALLS), \
                    ast.dump(node.func)
                for kw in node.keywords:
                    assert kw.arg in CALL_KEYWORDS or compiled and kw.arg in keywords \
                        or kw.arg is None and all(id(k) in slow_keys for k in kw.value.keys), \
                        kw.arg
            elif isinstance(node, ast.Constant):
                if isinstance(node.value, str):
                    assert id(node) in docs or id(node) in conversion or id(node) in slow_keys \
                        or id(node) in dict_keys and node.value in keys, node.value
                else:
                    assert type(node.value) in (int, float, bool), node.value  # keepdims=True


# ---------------------------------------------------------------------------- the LaTeX check

PREAMBLE = ["\\documentclass{article}", "\\usepackage{amsmath}", "\\usepackage{amssymb}",
            "\\begin{document}"]
GREEK_COMMANDS = {cmd for _, cmd, _ in GREEK}
LATEX_COMMANDS = GREEK_COMMANDS | {"operatorname", "left", "right", "top", "odot", "cdot", "frac",
                                   "mathbb", "in", "times", "mathrel", "sigma", "tanh", "exp",
                                   "log", "begin", "end",
                                   # issue 15: updates as mathematics, \mathopen{} before a
                                   # tall bracket, decorated names
                                   "leftarrow", "mathopen", "hat", "tilde", "bar"}
LATEX_SYMBOLS = {"\\,", "\\\\", "\\[", "\\]"}
DANGEROUS = {"input", "include", "includeonly", "InputIfFileExists", "write", "write18",
             "immediate", "openout", "openin", "closeout", "closein", "read", "readline", "def",
             "edef", "gdef", "xdef", "let", "futurelet", "catcode", "csname", "endcsname",
             "usepackage", "RequirePackage", "documentclass", "special", "newcommand",
             "renewcommand", "providecommand", "scantokens", "lowercase", "uppercase",
             "everyjob", "expandafter", "directlua", "endinput", "chardef", "output", "shipout",
             "newwrite", "newread", "message", "typeout", "verb", "url", "href", "jobname"}
ENVIRONMENTS = {"aligned"}
# Every character a formula of the LaTeX view is made of.
FORMULA_CHARACTERS = set(string.ascii_letters + string.digits + " \n\\{}()^_'+-=&.,")
CONTROL_SEQUENCE = re.compile(r"\\(?:[A-Za-z]+|.)", re.S)


def assert_harmless_latex(text: str, document: bool) -> None:
    """Only the emitter's own control sequences; the preamble fixed; braces balanced."""
    lines = text.split("\n")
    if document:
        assert lines[:4] == PREAMBLE
        assert lines[4] == "\\[" and lines[-3:] == ["\\]", "\\end{document}", ""]
        formula = "\n".join(lines[5:-3])
    else:
        formula = text
    assert set(formula) <= FORMULA_CHARACTERS, set(formula) - FORMULA_CHARACTERS
    assert "^^" not in formula                        # TeX's ^^5c spells a backslash
    for cs in CONTROL_SEQUENCE.findall(formula):
        word = cs[1:]
        assert word not in DANGEROUS, cs
        assert word in LATEX_COMMANDS or cs in LATEX_SYMBOLS, cs
    for which, env in re.findall(r"\\(begin|end)\{([^}]*)\}", formula):
        assert env in ENVIRONMENTS, env
    assert re.findall(r"\\(?:begin|end)(?!\{)", formula) == []
    depth = 0
    for c in formula:
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0, formula
    assert depth == 0, formula
    if document:
        for cs in ("\\usepackage", "\\documentclass", "\\begin{document}", "\\end{document}"):
            assert text.count(cs) == sum(line.count(cs) for line in PREAMBLE + ["\\end{document}"])


# ---------------------------------------------------------------------------- every view

NAMINGS = ("book", "plain")
STYLES = ("book", "matmul", "plan")


def assert_every_view_is_harmless(program: Program) -> None:
    """Each view is a NotationError (a shape error for the plan style, say) or harmless."""
    for style in STYLES:
        for naming in NAMINGS:
            for module in (False, True):
                try:
                    code = program.numpy(style=style, naming=naming, module=module)
                except NotationError:
                    continue
                assert_harmless_python(code, program, naming=naming)
    for document in (False, True):
        try:
            text = program.latex(document=document)
        except NotationError:
            continue
        assert_harmless_latex(text, document)
    for style in STYLES:
        try:
            f = program.compile(style=style)
        except NotationError:
            continue
        assert_harmless_python(f.source, program, naming="plain", keywords=f.inputs)


# ---------------------------------------------------------------------------- the checks check

BOOK_NETWORK = parse("l2 = relu(l0W0)W1")
NOT_HARMLESS_PYTHON = [
    "import os", "from numpy import *", "import numpy", "layer_2 = __import__('os')",
    "layer_2 = layer_0\nexec('x')", "layer_2 = np.load('x')", "layer_2 = layer_0.__class__",
    "layer_2 = 'os'", "layer_2 = open", "layer_2 = getattr(np, 'exp')", "layer_2 = lambda: 0",
    "layer_2 = [x for x in layer_0]", "layer_2 = layer_0[0]", "os = 1",
    "def relu(x):\n    return os", "layer_2 = relu(layer_0, key=1)", "layer_2 = print(layer_0)",
    "@np.vectorize\ndef relu(x):\n    return x",
    'def run(*, layer_0):\n    """doc"""\n    return {"l2; import os": layer_0}',
]
NOT_HARMLESS_LATEX = ["x \\input{a}", "x % comment", "\\def\\x{y}", "x}{", "{x", "x ^^5c", "x #1",
                      "\\csname x\\endcsname", "x \\begin{verbatim}", "x\u2028", "x \\end",
                      "x \\relax", "x\x00", "$x$"]


@pytest.mark.parametrize("code", NOT_HARMLESS_PYTHON)
def test_the_python_check_rejects_what_it_should(code):
    with pytest.raises(AssertionError):
        assert_harmless_python(code, BOOK_NETWORK)


@pytest.mark.parametrize("text", NOT_HARMLESS_LATEX)
def test_the_latex_check_rejects_what_it_should(text):
    with pytest.raises(AssertionError):
        assert_harmless_latex(text, document=False)
    document = BOOK_NETWORK.latex(document=True)
    with pytest.raises(AssertionError):
        assert_harmless_latex(document.replace("W_{1}", "W_{1} " + text), document=True)
    assert_harmless_latex(document, document=True)


def test_a_second_preamble_is_rejected():
    document = BOOK_NETWORK.latex(document=True)
    with pytest.raises(AssertionError):
        assert_harmless_latex(document.replace("\\[", "\\usepackage{shellesc}\n\\["), document=True)


# ---------------------------------------------------------------------------- text that is refused

# (source, the text under the error's span)
REFUSED = [
    ("__import__('os')", "_"),
    ("l2 = __import__('os').system('rm -rf /')", "_"),
    ("l2 = relu(l0)\n__import__('os')", "_"),
    ("l2 = eval(x)", "eval"),
    ("l2 = exec(x)", "exec"),
    ("l2 = open(x)", "open"),
    ("l2 = x'", "'"),
    ("l2 = 'x'", "'"),
    ('l2 = x"', '"'),
    ('l2 = "os"', '"'),
    ("l2 = l0 \\input{/etc/passwd}", "\\input"),
    ("\\include{secret}", "\\include"),
    ("\\write18{rm -rf /}", "\\write"),
    ("l2 = \\immediate\\write18{ls}", "\\immediate"),
    ("\\def\\x{y}", "\\def"),
    ("\\catcode`\\%=11", "\\catcode"),
    ("\\csname input\\endcsname", "\\csname"),
    ("\\usepackage{shellesc}", "\\usepackage"),
    ("l2 = x ^^5cinput", "^"),
    ("l_{}}", "_"),
    ("l_{{}", "_"),
    ("l_{a}b}", "}"),
    ("l2 = x}", "}"),
    ("l2 = {x", ""),                                  # at the end: '}' expected
    ("x_{\\input{a}}", "_"),
    ("x_\\input", "_"),
    ("x_{1'}", "_"),
    ("\\operatorname{__import__}(x)", "\\operatorname"),
    ("\\operatorname{relu\\input{x}}(x)", "\\operatorname"),
    ("\\operatorname{os}(x)", "\\operatorname{os}"),
    ("\\mathrm{os}(x)", "\\mathrm{os}"),
    ("\\mathrm{}(x)", "\\mathrm"),
    ("\\operatorname{re}lu(x)", "\\operatorname{re}"),
    ("l2 = x\u2028y = __import__('os')", "\u2028"),
    ("l2 = x\u0085y", "\u0085"),
    ("l2 = x\u2029y", "\u2029"),
    ("l2 = x\x00", "\x00"),
    ("l2\x00 = x", "\x00"),
    ("l2 = x\x0by", "\x0b"),
    ("l2 = 1e5\\input{a}", "\\input"),
    ("l2 = 0x1F'", "'"),
    ("x = 1_000", "_"),
    ("l2 = 1.5.5", "."),
    ("l0 : 1x" + "9" * 5000, "9" * 5000),
    ("l0 : 1x\\input", "\\input"),
    ("l0 : n_{\\def}x3", "_"),
    ("W1 -= \\input x", "\\input"),
    ("x \\\\ \\input{y}", "\\input"),
    ("$x$ \\input{a}", "\\input"),
    ("l2 = x % c\n\\input{a}", "\\input"),
]


@pytest.mark.parametrize("source,at", REFUSED, ids=[repr(s)[:40] for s, _ in REFUSED])
def test_hostile_text_is_refused_where_it_is(source, at):
    with pytest.raises(NotationError) as caught:
        parse(source)
    span = caught.value.span
    assert span is not None and 0 <= span.start <= span.end <= len(source)
    assert source[span.start:span.end] == at
    assert str(caught.value).startswith("error: ")


# ---------------------------------------------------------------------------- text that is read

# Comments end at a line break (\n) and nothing else: what follows U+2028, U+0085 or a lone \r
# in a comment is still comment. They reach no view.
COMMENTS = ["__import__('os').system('rm -rf /')", "\\input{/etc/passwd}",
            "a\\nb = __import__('os')", "c\u2028import os", "c\u0085import os", "c\rimport os",
            "\"\"\" ''' \\", "\x00", "\\write18{rm -rf /}", "}}}{{{ \\catcode`\\%=11",
            "\\end{document}"]


@pytest.mark.parametrize("comment", COMMENTS, ids=repr)
@pytest.mark.parametrize("mark", ["#", "%"])
def test_comments_reach_no_view(mark, comment):
    source = f"l1 = relu(l0W0) {mark} {comment}\nl2 = l1W1 {mark}{comment}\n{mark} {comment}"
    program = parse(source)
    assert program.algebra() == "l1 = relu(l0W0)\nl2 = l1W1"
    views = [program.algebra(ascii=True), program.latex(document=True)]
    views += [program.numpy(style=s, naming=n, module=True) for s in STYLES for n in NAMINGS]
    for view in views:
        for word in ("import", "input", "write", "catcode", "\x00", "\u2028", "\u0085", "'''"):
            assert word not in view
    assert_every_view_is_harmless(program)


# (source, its algebra): LaTeX furniture and odd spellings carry payloads, and are dropped.
READ = [
    ("l2 = x # \\input{/etc/passwd}\ny", "l2 = x\ny"),
    ("l2 = relu(l0W0)W1 # }\n# \\end{document}\n", "l2 = relu(l0W0)W1"),
    ("l2 = relu(x) \\\\ \\end{document}", "l2 = relu(x)"),
    ("\\begin{verbatim} x", "x"),
    ("\\operatorname{relu}(x)", "relu(x)"),
    ("\\mathrm{relu}(x)", "relu(x)"),
    ("\\text{relu}(x)", "relu(x)"),
    ("l2 &= x", "l2 = x"),
    ("l2 = 1e", "l2 = 1 e"),                                          # 1 times e
    ("l2 = 0x1F", "l2 = 0x1F"),                                       # 0 times x1 times F
    ("x = 007 + 1E3", "x = 7 + 1e3"),
    ("l2 = " + "9" * 5000 + "x", "l2 = " + "9" * 5000 + "x"),        # only NumPy refuses it
    ("x\ry", "x y"),
    ("α = \\alpha_{os}", "α = α_{os}"),
    ("λ = λ1 + W_{import}", "λ = λ1 + W_{import}"),
    ("e_{val} = o_{s}", "e_{val} = o_{s}"),
    ("l0 : n_{in}×3; W_{out} ∈ ℝ^{3×n_{out}}", "l0 : n_{in}×3\nW_{out} : 3×n_{out}"),
]


@pytest.mark.parametrize("source,expected", READ, ids=[repr(s)[:40] for s, _ in READ])
def test_what_is_read_prints_only_what_the_tree_holds(source, expected):
    program = parse(source)
    assert program.algebra() == expected
    assert_every_view_is_harmless(program)


# ---------------------------------------------------------------------------- trees built by hand

X, W = Name("x"), Name("W")
HOSTILE_NAMES = [Name("x", "1\nimport os"), Name("x;import os"), Name("\\input{a}"),
                 Name("x", "}\\input{a}{"), Name("x", "1\u2028__import__('os')"), Name("x\x00"),
                 Name("α", "1'\""), Name("x", "1 #"), Name("os.system"), Name("__import__"),
                 Name("l", "0)\nimport os\n#"), Name("W", "0.dot(os)"), Name("δ", "2%")]
HOSTILE_NUMBERS = ["1\nimport os", "1}\\input{a}{", "1e5%", "__import__('os')", "1 # c", "2\x00",
                   "1\u2028", "0x1F", "1_0", "1j"]
HOSTILE_FUNCTIONS = ["relu\\input{x}", "__import__", "os.system", "eval", "relu\n", "exec"]
HOSTILE_DIMS = [(Name("b", "x\nimport os\n#"), 4), (Name("b\nimport os"), 4),
                (Name("n", "}\\input{a}"), 4), (Name("__import__"), 4)]

TREES = (
    [Program((Assign(Name("y"), MatMul(n, W)),)) for n in HOSTILE_NAMES]
    + [Program((Assign(n, MatMul(X, W)),)) for n in HOSTILE_NAMES]
    + [Program((Update(W, "-=", MatMul(Name("α"), n)),)) for n in HOSTILE_NAMES]
    + [Program((Declare(n, (3, 4)), ExprStatement(Transpose(n)))) for n in HOSTILE_NAMES]
    + [Program((Assign(Name("y"), MatMul(Number(t), X)),)) for t in HOSTILE_NUMBERS]
    + [Program((Assign(Name("y"), Call(f, X)),)) for f in HOSTILE_FUNCTIONS]
    + [Program((Assign(Name("y"), Call(f, X, True)),)) for f in HOSTILE_FUNCTIONS]
    + [Program((Declare(W, dims), Assign(Name("y"), MatMul(X, W)))) for dims in HOSTILE_DIMS]
    + [Program((Update(W, op, X),)) for op in ("-=\nimport os", "= 0;", "*=")]
)


@pytest.mark.parametrize("program", TREES, ids=repr)
def test_trees_built_by_hand_print_nothing_unchecked(program):
    assert_only_checked_text(program, STYLES)


def assert_only_checked_text(program, styles):
    texts = []
    for style in styles:
        for naming in NAMINGS:
            for module in (False, True):
                try:
                    code = program.numpy(style=style, naming=naming, module=module)
                except NotationError:
                    continue
                assert_harmless_python(code, program, naming=naming)
                texts.append(code)
    for document in (False, True):
        try:
            text = program.latex(document=document)
        except NotationError:
            continue
        assert_harmless_latex(text, document)
        texts.append(text)
    for text in texts:
        for payload in ("import os", "\\input", "__import__", "os.system", "\x00", "\u2028"):
            assert payload not in text


# A dimension that is neither a number nor a name: the views that print from the tree alone
# refuse it; so does shape inference, which the plan style, plan() and compile() run first
# (it used to read such a dimension as a Name and fail with an AttributeError).
ODD_DIMS = [Program((Declare(W, dims), Assign(Name("y"), MatMul(X, W))))
            for dims in [("3\nimport os", 4), (3.5, 4)]]


@pytest.mark.parametrize("program", ODD_DIMS, ids=repr)
def test_a_dimension_that_is_no_number_and_no_name_is_refused(program):
    assert_only_checked_text(program, ("book", "matmul"))


@pytest.mark.parametrize("program", ODD_DIMS, ids=repr)
def test_a_dimension_that_is_no_number_and_no_name_is_refused_by_the_plan_style(program):
    for run in (lambda: program.numpy(style="plan"), program.plan, program.compile):
        with pytest.raises(NotationError, match="a dimension is a whole number or a name"):
            run()


def test_a_declaration_comment_cannot_end_its_line():
    # The bug this file found: a symbol of a declared shape went into the comment unchecked,
    # so Name("b", "x\nimport os\n#") wrote `import os` as a line of code.
    program = Program((Declare(W, (Name("b", "x\nimport os\n#"), 4)),))
    for style in STYLES:
        with pytest.raises(NotationError, match="has no Python identifier"):
            program.numpy(style=style)
    assert parse("W : n_{in}×4").numpy() == "# W : n_{in}×4"


# ---------------------------------------------------------------------------- compile()

TRAINING = ("l1 = sigmoid(l0W0 + b0)\nl2 = softmax(l1W1)\nδ2 = l2 - y\n"
            "δ1 = δ2W1ᵀ ⊙ sigmoid'(l1)\nW1 -= αl1ᵀδ2\nb0 -= αbatchsum(δ1)\nl1ᵀ")


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("source", ["l2 = relu(l0W0)W1", TRAINING, "y = tanh'(x) + 2λ_{in} - βx"])
def test_compile_executes_only_the_emitted_code_in_a_namespace_of_its_own(source, style):
    program = parse(source)
    f = program.compile(style=style)
    assert_harmless_python(f.source, program, naming="plain", keywords=f.inputs)
    helpers = {d.name for d in ast.parse(f.source).body if isinstance(d, ast.FunctionDef)} - {"run"}
    # The namespace holds numpy, the helpers the code defines, the slow path, the function,
    # and what turns NumPy's errors into NotationRunErrors; in the plan style, also the
    # conversion of inputs that are not of floats.
    conversion = {"_real", "_FLOAT"} if style == "plan" else set()
    assert set(f.__globals__) == \
        {"__builtins__", "np", "_slow", "_SCALARS", "_ARRAY", "_ERRORS", "_failed", "run"} \
        | helpers | conversion
    assert f.__globals__["np"] is np and f.__globals__["run"] is f
    # What ran is f.source: compiled again, it gives the same code object.
    again = {}
    exec(compile(f.source, f.__code__.co_filename, "exec"), dict(f.__globals__), again)
    fields = ("co_code", "co_consts", "co_names", "co_varnames", "co_kwonlyargcount")
    assert [getattr(again["run"].__code__, a) for a in fields] == \
        [getattr(f.__code__, a) for a in fields]
    # Its helpers and statements are the module's (which names inputs by identifier); before
    # them come only the shape checks and the binding of keywords to identifiers (alpha = α).
    module = ast.parse(program.numpy(style=style, naming="plain", module=True))
    source = ast.parse(f.source)
    assert helper_sources(source) == helper_sources(module)
    module_body = [ast.unparse(s) for s in run_body(module)[1:]]           # after the docstring
    # The statements run in one try, whose only handler passes the error to _failed.
    *checked, guarded, returned = run_body(source)
    assert isinstance(guarded, ast.Try) and not guarded.orelse and not guarded.finalbody
    assert [ast.unparse(h) for h in guarded.handlers] == ["except _ERRORS as _e:\n    _failed(_e)"]
    compiled_body = checked + guarded.body + [returned]
    checks = len(compiled_body) - len(module_body)
    assert [ast.unparse(s) for s in compiled_body[checks:]] == module_body
    for s in compiled_body[:checks]:
        assert isinstance(s, (ast.Try, ast.If)) or isinstance(s, ast.Assign) and \
            [n.id for n in ast.walk(s.value) if isinstance(n, ast.Name)] == \
            [k for k in f.inputs if not k.isascii()], ast.unparse(s)


def run_body(tree: ast.Module) -> list:
    [run] = [s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "run"]
    return run.body


def helper_sources(tree: ast.Module) -> dict:
    return {s.name: ast.unparse(s) for s in tree.body
            if isinstance(s, ast.FunctionDef) and s.name != "run"}


def test_the_builtins_the_compiled_code_names_are_three_exception_classes():
    # compile() execs with Python's full builtins: a registered function's NumPy code is the
    # user's own Python and may call abs() or min(). What the emitted code itself may name is
    # shown by the allowlist: of the builtins, only the exceptions its shape check catches.
    import builtins
    f = parse(TRAINING).compile()
    # A name the code assigns itself (`_`, a bare expression's value) is a local, not a
    # builtin, even where a doctest run earlier has left `builtins._` behind.
    nodes = [n for n in ast.walk(ast.parse(f.source)) if isinstance(n, ast.Name)]
    assigned = {n.id for n in nodes if isinstance(n.ctx, ast.Store)}
    named = {n.id for n in nodes} - assigned
    assert named & set(dir(builtins)) == {"AttributeError", "TypeError", "ValueError"}


# ---------------------------------------------------------------------------- generated names

HOSTILE_PIECES = (list(string.ascii_letters[:6]) + list("lWxyαδ0129_{}\\'\"%#;()=.`$&^~ \n")
                  + ["\u2028", "\u0085", "\x00", "\r", "\\input", "\\write18", "\\immediate",
                     "\\def", "\\catcode", "\\csname", "__import__", "os", "exec", "eval",
                     "\\operatorname{", "\\mathrm{", "relu", "\\alpha", "^^5c", "1e5", "\\\\",
                     "\\end{document}", "_{", "\\left(", "\\right)", "ᵀ", "⊙"])
hostile = st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=5).map("".join)
names = st.builds("{}{}".format,
                  st.sampled_from(["l", "W", "x", "b", "α", "\\delta", "λ", "e", "o"]),
                  st.sampled_from(["", "0", "1", "12", "_{in}", "_os", "_{import}", "_2"]))
functions = st.sampled_from(["relu", "sigmoid", "tanh", "softmax", "exp", "log", "sum", "batchsum"])


def mostly(valid):
    """Mostly text the grammar reads, so that many programs parse and are printed; else the
    valid text with hostile text after it, or hostile text alone."""
    return st.sampled_from([0, 0, 0, 1, 2]).flatmap(
        lambda i: (valid, st.builds(str.__add__, valid, hostile), hostile)[i])


TEMPLATES = ["{a} = {b}", "{a} = relu({b} W0)W1", "{a} = {b} {c}", "{a} -= α{b}ᵀ {c}",
             "{a} = \\operatorname{{{f}}}({c})", "{a} = \\mathrm{{{f}}}({c})", "{a} = {f}({c})",
             "{a} = {b} # {c}", "{a} = {b} % {c}", "l0 : {a}×3\nl1 = l0 {b}",
             "{a} ∈ ℝ^{{{b}×{c}}}", "{a} = {b} x + {c}", "{a} = {f}'({b}) ⊙ {c}"]


@settings(max_examples=examples(200), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(TEMPLATES), mostly(names), mostly(names), mostly(names), mostly(functions))
def test_names_from_a_hostile_alphabet_are_refused_or_harmless(template, a, b, c, f):
    source = template.format(a=a, b=b, c=c, f=f)
    try:
        program = parse(source)
    except NotationError as e:
        assert e.span is not None and 0 <= e.span.start <= e.span.end <= len(source)
        return
    assert_every_view_is_harmless(program)


@pytest.mark.parametrize("style", ["book", "matmul", "plan"])
def test_a_compiled_function_of_many_inputs_is_as_harmless(style):
    # Past compile_inputs.MANY_INPUTS the function takes **_given and unpacks it with
    # _unpack (a call binds its keywords in linear time); nothing else changes.
    from notation.compile_inputs import MANY_INPUTS, Unpack
    program = parse("\n".join(f"y{i} = relu(x{i}W{i})" for i in range(200)))
    f = program.compile(style=style)
    assert len(f.inputs) > MANY_INPUTS
    assert_harmless_python(f.source, program, naming="plain", keywords=f.inputs)
    conversion = {"_real", "_FLOAT"} if style == "plan" else set()
    helpers = {d.name for d in ast.parse(f.source).body if isinstance(d, ast.FunctionDef)} - {"run"}
    assert set(f.__globals__) == {"__builtins__", "np", "_slow", "_SCALARS", "_ARRAY",
                                  "_ERRORS", "_failed", "run", "_unpack"} | helpers | conversion
    assert isinstance(f.__globals__["_unpack"], Unpack)
    assert f.__globals__["_unpack"].keys == f.inputs

