"""What a program needs from the NumPy view beyond its expressions (SPEC §4, §7).

Its names checked (identifiers, no two names on one identifier, none on an identifier the
code uses itself), the assignments that must copy because an update would alias them, the
inputs and outputs of the module's function, and the module around the code. Shared by
every NumPy style (``book``, ``matmul``, and ``plan`` in numpy_plan.py).
"""

from __future__ import annotations

import textwrap
from typing import NamedTuple

from .. import functions
from ..aliasing import aliasing_assignments  # noqa: F401 (emit.numpy imports it from here)
from ..errors import NotationTranslationError
from ..naming import SCHEMES, Scheme, is_identifier
from ..walk import pre_order as walk  # noqa: F401 (every node, parents first; emit.* use it)
from ..nodes import (Assign, Call, Declare, Expr, ExprStatement, Name, Program, Statement,
                     Update)


def _algebra(node) -> str:
    from .algebra import algebra
    return algebra(node)


# Identifiers the emitted code uses for itself; no name of the program may take them.
RESERVED = frozenset({"np", "numpy"})


def scheme_for(naming: str | Scheme) -> Scheme:
    """The naming scheme called ``naming`` ('book' or 'plain')."""
    if isinstance(naming, Scheme):
        return naming
    try:
        return SCHEMES[naming]
    except KeyError:
        from ..errors import NotationOptionError
        raise NotationOptionError(f"unknown naming scheme {naming!r}: choose one of "
                         f"{', '.join(SCHEMES)}") from None


def statement_value(statement: Statement) -> Expr | None:
    if isinstance(statement, (Assign, Update)):
        return statement.value
    if isinstance(statement, ExprStatement):
        return statement.expr
    return None


def names_in(program: Program):
    """Every name the code mentions, in order of appearance (declaration dims are no code)."""
    for statement in program.statements:
        if isinstance(statement, (Assign, Update, Declare)):
            yield statement.target
        value = statement_value(statement)
        if value is not None:
            yield from (n for n in walk(value) if isinstance(n, Name))


def helper_names(program: Program) -> set[str]:
    """The callables the code of a program will use (helpers and np functions)."""
    out = set()
    for statement in program.statements:
        value = statement_value(statement)
        if value is None:
            continue
        for node in walk(value):
            if isinstance(node, Call):
                fn = functions.lookup(node.func)
                if fn is not None:
                    out.add(fn.derivative_name if node.derivative else fn.name)
    return {n for n in out if n}


def check_names(program: Program, scheme: Scheme, reserved=RESERVED) -> None:
    """No two names of the program may become one identifier, nor take a reserved one."""
    seen: dict[str, Name] = {}
    for name in names_in(program):
        ident = scheme.python(name)
        other = seen.setdefault(ident, name)
        if other != name:
            raise NotationTranslationError(
                f"{_algebra(other)} and {_algebra(name)} would both be {ident!r} under the "
                f"{scheme.label} naming scheme", name.span,
                hint="rename one of them, or choose the other naming scheme")
        if ident in reserved:
            raise NotationTranslationError(
                f"the name {_algebra(name)} would be {ident!r}, which the emitted code uses for "
                f"itself", name.span, hint="rename it")


# ---------------------------------------------------------------------------- the module

class Interface(NamedTuple):
    """What a module's function takes and gives.

    ``inputs``: (name, identifier) for every name read before it is assigned, in order;
    ``outputs``: (key, identifier) for every name assigned or updated, keyed by its algebra
    spelling (``"l2"``, ``"δ1"``); bare expressions give the key ``"_"``.
    """

    inputs: tuple[tuple[Name, str], ...]
    outputs: tuple[tuple[str, str], ...]


EXPRESSION_KEY = "_"


def interface(program: Program, scheme: Scheme | str = "book") -> Interface:
    """The inputs and outputs of the function that ``--module`` writes.

    >>> from notation import parse
    >>> interface(parse("l1 = relu(l0W0); l2 = l1W1")).inputs[0]
    (Name(letter='l', sub='0'), 'layer_0')
    """
    scheme = scheme_for(scheme)
    assigned: set[Name] = set()
    inputs: dict[Name, str] = {}
    outputs: dict[str, str] = {}
    for statement in program.statements:
        reads = []
        if isinstance(statement, Update):
            reads.append(statement.target)
        if isinstance(statement, (Assign, Update, ExprStatement)):
            reads.extend(n for n in walk(statement_value(statement)) if isinstance(n, Name))
        for name in reads:
            if name not in assigned and name not in inputs:
                inputs[name] = scheme.python(name)
        if isinstance(statement, (Assign, Update)):
            assigned.add(statement.target)
            outputs.setdefault(_algebra(statement.target), scheme.python(statement.target))
        elif isinstance(statement, ExprStatement):
            outputs.setdefault(EXPRESSION_KEY, EXPRESSION_KEY)
    return Interface(tuple(inputs.items()), tuple(outputs.items()))


def string_literal(text: str) -> str:
    """``text`` as a double-quoted Python string literal (the keys and names the emitted code
    and compile write: letters, digits, braces, Greek).

    >>> print(string_literal('say "δ"'))
    "say \\"δ\\""
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _docstring(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def module_source(program: Program, emitter, body: list[str],
                  function: str = "run") -> str:
    """A complete module: docstring, imports, the helpers used, and ``function``.

    ``body`` is the lines the style wrote with ``emitter.body(program, module=True)``. The
    function takes the inputs by keyword (their identifiers) and returns
    ``{notation name: value}`` (SPEC §7). Updates (``-=``, ``+=``) change the arrays passed
    in, as the book's training loops do.
    """
    info = interface(program, emitter.scheme)
    taken = emitter.reserved | set(emitter.helpers) | {ident for _, ident in info.inputs} \
        | {ident for _, ident in info.outputs}
    if not is_identifier(function) or function in taken:
        raise NotationTranslationError(
            f"{function!r} cannot name the module's function: it is not an identifier, or the "
            f"code uses it already")
    header = "\n".join(_algebra(s) for s in program.statements)
    out = [f'"""{_docstring(header)}\n\nWritten by notation ({emitter.style} style, '
           f'{emitter.scheme.label} naming)."""', ""]
    if emitter.uses_numpy:
        out += ["import numpy as np", ""]
    for source in emitter.helpers.values():
        out += ["", source, ""]
    params = ", ".join(ident for _, ident in info.inputs)
    names = ", ".join(f"{_algebra(n)} as {i}" for n, i in info.inputs) or "none"
    returned = ", ".join(key for key, _ in info.outputs) or "nothing"
    doc = textwrap.wrap(f"Inputs, by keyword: {names}.", 88) + [""] + \
        textwrap.wrap(f"Returns {{notation name: value}} for {returned}.", 88)
    out += ["", f"def {function}(*, {params}):" if params else f"def {function}():",
            '    """' + _docstring("\n    ".join(doc).replace("\n    \n", "\n\n")) + '\n    """']
    out += ["    " + line for line in body]
    items = [f"{string_literal(key)}: {ident}" for key, ident in info.outputs]
    one_line = f"    return {{{', '.join(items)}}}"
    if len(one_line) <= 92:
        out.append(one_line)
    else:
        out += ["    return {"] + [f"        {item}," for item in items] + ["    }"]
    return "\n".join(out) + "\n"
