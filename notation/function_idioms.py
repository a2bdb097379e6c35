"""The NumPy idioms that read back as a function of the registry (each record's
``idioms`` and ``derivative_idioms``): a template in ``x`` matched against a Python
``ast`` node. Used by the NumPy reader (``read/numpy``) only, so the parser and the views
never load it.
"""

from __future__ import annotations

from typing import Callable

from .functions import FUNCTIONS, Function


def idioms() -> list[tuple[str, Function, bool]]:
    """Every NumPy idiom that reads back as a function: (source, function, derivative).

    >>> ("np.maximum(x, 0)", "relu", False) in [(s, f.name, d) for s, f, d in idioms()]
    True
    """
    out = []
    for fn in FUNCTIONS.values():
        out += [(source, fn, False) for source in fn.idioms]
        out += [(source, fn, True) for source in fn.derivative_idioms]
    return out


def numpy_calls() -> dict[str, Function]:
    """The NumPy functions that are a function of the registry called on one argument,
    ``np.tanh(x)``: each idiom ``np.<name>(x)`` of a record, by ``<name>`` (the first record
    in registry order where two share one). The NumPy reader builds the call from it and
    names them where a call cannot be read.

    >>> sorted(numpy_calls())
    ['exp', 'log', 'tanh']
    """
    import ast
    out: dict[str, Function] = {}
    for source, fn, derivative in idioms():
        t = _template(source)
        if (not derivative and isinstance(t, ast.Call) and isinstance(t.func, ast.Attribute)
                and isinstance(t.func.value, ast.Name) and t.func.value.id == "np"
                and len(t.args) == 1 and isinstance(t.args[0], ast.Name)
                and t.args[0].id == "x" and not t.keywords):
            out.setdefault(t.func.attr, fn)
    return out


def match_idiom(node, is_numpy: Callable = lambda n: getattr(n, "id", None) == "np"):
    """The function a NumPy expression (a Python ``ast`` node) is the idiom of, as
    ``(function, derivative, argument node)``, or None. In an idiom, ``x`` (or ``output``)
    stands for any expression (the same one each time it appears) and ``np`` for any name
    ``is_numpy`` accepts; the numbers must be equal.

    >>> import ast
    >>> fn, derivative, arg = match_idiom(ast.parse("np.maximum(a + b, 0)").body[0].value)
    >>> fn.name, derivative, ast.unparse(arg)
    ('relu', False, 'a + b')
    """
    for template, fn, derivative in _candidates(node):
        bound: dict = {}
        if _matches(template, node, bound, is_numpy):
            (arg,) = bound.values()
            return fn, derivative, arg
    return None


def _kind(node) -> tuple:
    """What a template's root must share with a node to match it: its class, and the
    operator or the called function's last name (``np.maximum`` -> "maximum")."""
    import ast
    if isinstance(node, ast.Call):
        f = node.func
        return ("Call", f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None))
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return (type(node).__name__, type(node.op).__name__)
    if isinstance(node, ast.Compare):
        return ("Compare",) + tuple(type(op).__name__ for op in node.ops)
    return (type(node).__name__,)


_BY_KIND: dict = {}


def _candidates(node) -> list:
    """The idioms whose template could match ``node``, in registry order: templates indexed
    by their root's kind (issue 14: every node was tried against every idiom). The index is
    rebuilt when the registry changes (a function added, replaced or removed)."""
    fingerprint = tuple(map(id, FUNCTIONS.values()))
    if _BY_KIND.get("fingerprint") != fingerprint:
        _BY_KIND.clear()
        index: dict = {}
        for source, fn, derivative in idioms():
            template = _template(source)
            index.setdefault(_kind(template), []).append((template, fn, derivative))
        _BY_KIND["index"] = index
        _BY_KIND["fingerprint"] = fingerprint
    return _BY_KIND["index"].get(_kind(node), [])


def _template(source: str):
    import ast
    cached = _TEMPLATES.get(source)
    if cached is None:
        cached = _TEMPLATES[source] = ast.parse(source, mode="eval").body
    return cached


_TEMPLATES: dict = {}


def _matches(template, node, bound: dict, is_numpy) -> bool:
    import ast
    if isinstance(template, ast.Name):
        if template.id in ("x", "output"):
            if template.id in bound:
                return ast.dump(bound[template.id]) == ast.dump(node)
            bound[template.id] = node
            return True
        if template.id == "np":
            return isinstance(node, ast.Name) and bool(is_numpy(node))
        return isinstance(node, ast.Name) and node.id == template.id
    if isinstance(template, ast.Constant):
        return (isinstance(node, ast.Constant) and type(node.value) is not bool
                and type(template.value) is not bool and isinstance(node.value, (int, float))
                and node.value == template.value) or (
            isinstance(node, ast.Constant) and node.value is template.value)
    if type(template) is not type(node):
        return False
    for name in template._fields:
        if name == "ctx":
            continue
        a, b = getattr(template, name), getattr(node, name)
        if isinstance(a, list):
            if not isinstance(b, list) or len(a) != len(b):
                return False
            if not all(_matches(x, y, bound, is_numpy) for x, y in zip(a, b)):
                return False
        elif isinstance(a, ast.AST):
            if not isinstance(b, ast.AST) or not _matches(a, b, bound, is_numpy):
                return False
        elif a != b:
            return False
    return True
