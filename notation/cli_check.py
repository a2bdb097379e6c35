"""``notation check``: read the program and check its shapes; ``ok`` and each name's
shape, or the error with its place; with ``--json``, every error and warning as an object."""

from __future__ import annotations

from .cli_commands import _parse, _shape_options
from .cli_io import INPUT_ERROR, read_source


def cmd_check(args) -> str:
    """Read the program and check its shapes: ``ok`` and each name's shape, or the error."""
    from .emit.algebra import algebra
    from .shapes import infer
    if getattr(args, "json", False):
        return check_json(args)
    program = _parse(args)
    shapes = infer(program, _shape_options(args), convention=not args.no_convention)
    n = len(program.statements)
    lines = [f"ok: {n} statement{'s' if n != 1 else ''} read, and the shapes agree"]
    for name, shape in shapes.names.items():
        how = "declared" if name in shapes.declared else "inferred"
        lines.append(f"  {algebra(name)} : {shapes.text(shape)}  ({how})")
    unknown = shapes.unknowns()
    if unknown:
        lines.append("not determined: " + ", ".join(f"{s} ({what})" for s, what in unknown))
    return "\n".join(lines)


def check_json(args) -> str:
    """``check --json``: a JSON list, one object per error or warning."""
    import json
    import warnings

    from .errors import NotationError
    from .shapes import infer
    found = []
    source = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            source = read_source(args)
            from .read.latex import from_latex
            program = from_latex(source)
            infer(program, _shape_options(args), convention=not args.no_convention)
        except NotationError as e:
            found.append(("error", e))
    for w in caught:
        message = w.message
        if isinstance(message, NotationError) or hasattr(message, "span"):
            found.append(("warning", message))
    out = [diagnostic(kind, e, source) for kind, e in found]
    return json.dumps(out, ensure_ascii=False, indent=2), (INPUT_ERROR if any(
        kind == "error" for kind, _ in found) else 0)


def diagnostic(kind: str, e, source: str | None) -> dict:
    """One error or warning as a JSON object: where (1-based line and column, and where it
    ends), its kind, the message and the hint."""
    from .errors import line_and_column
    text = getattr(e, "source", None) or source
    span = getattr(e, "span", None)
    where = {"line": None, "column": None, "end": None}
    if span is not None and text is not None:
        line, column = line_and_column(text, span.start)
        end_line, end_column = line_and_column(text, span.end)
        where = {"line": line, "column": column,
                 "end": {"line": end_line, "column": end_column}}
    category = type(e).__name__.removeprefix("Notation").removesuffix("Error").removesuffix(
        "Warning").lower() or kind
    return {**where, "kind": kind, "category": category,
            "message": getattr(e, "message", str(e)), "hint": getattr(e, "hint", None)}
