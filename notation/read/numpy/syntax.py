"""What Python constructs are called in messages, and the small matchers every part uses."""

from __future__ import annotations

import ast
import copy

# Constructs named in errors: Python's node class -> what a user calls it.
CONSTRUCTS = {
    "For": "a for loop", "AsyncFor": "an async for loop", "While": "a while loop",
    "If": "an if statement", "With": "a with block", "AsyncWith": "an async with block",
    "Try": "a try block", "TryStar": "a try block", "Raise": "a raise statement",
    "Assert": "an assert statement", "Delete": "a del statement", "Global": "a global statement",
    "Nonlocal": "a nonlocal statement", "ClassDef": "a class definition",
    "AsyncFunctionDef": "an async function", "Break": "a break statement",
    "Continue": "a continue statement", "Match": "a match statement",
    "AnnAssign": "an annotated assignment", "ImportFrom": "a from-import",
    "Subscript": "indexing", "Slice": "a slice", "Lambda": "a lambda",
    "ListComp": "a list comprehension", "SetComp": "a set comprehension",
    "DictComp": "a dict comprehension", "GeneratorExp": "a generator expression",
    "List": "a list", "Tuple": "a tuple", "Dict": "a dict", "Set": "a set",
    "IfExp": "a conditional expression", "BoolOp": "and/or", "JoinedStr": "an f-string",
    "FormattedValue": "an f-string", "Await": "await", "Yield": "yield", "YieldFrom": "yield",
    "Starred": "a starred expression", "NamedExpr": "an assignment expression (:=)",
    "Assign": "an assignment", "AugAssign": "an update", "Import": "an import", "Pass": "pass",
    "Expr": "an expression", "FunctionDef": "a function", "Return": "a return",
}
OPERATORS = {
    "Pow": "the power operator **", "FloorDiv": "floor division //", "Mod": "the remainder %",
    "LShift": "the shift <<", "RShift": "the shift >>", "BitOr": "the operator |",
    "BitXor": "the operator ^", "BitAnd": "the operator &", "Invert": "the operator ~",
    "Not": "not", "UAdd": "unary +",
}
STATEMENTS_HINT = ("the notation has assignments (name = expression), updates (-=, +=) and bare "
                   "expressions; write the computation as those")


def constant(node, value) -> bool:
    return (isinstance(node, ast.Constant) and type(node.value) in (int, float)
            and node.value == value)


def number(node) -> bool:
    """A number literal, or a negated one."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def same(a, b) -> bool:
    return ast.dump(a) == ast.dump(b)


def what(node) -> str:
    name = type(node).__name__
    return CONSTRUCTS.get(name) or OPERATORS.get(name) or f"the Python construct {name}"


def dotted(node) -> str | None:
    """``np.random.randint`` for that attribute chain; None for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def calls(node):
    """Every call inside a node, by its dotted name (``''`` when not a plain chain)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            yield dotted(sub.func) or "", sub


def unparse(node) -> str:
    """``ast.unparse``, except for what it cannot write (a 5,000-digit literal): ``…``."""
    try:
        return ast.unparse(node)
    except (ValueError, RecursionError):
        return "…"


# -- editing ast: copies in another context, and positions for made nodes

def loaded(node):
    node = copy.deepcopy(node)
    node.ctx = ast.Load()
    return node


def stored(node):
    """A copy of a target, in the store context (``out`` of ``out[i] = …`` was read)."""
    node = copy.deepcopy(node)
    node.ctx = ast.Store()
    return node


def locate(node, where) -> None:
    for n in ast.walk(node):
        if not hasattr(n, "lineno") or getattr(n, "lineno", None) is None:
            ast.copy_location(n, where)
    ast.copy_location(node, where)


def locate_statement(s, where) -> None:
    """The statement is located where it was written (the call, the loop); its parts keep
    their own places, and parts made here take the statement's."""
    ast.copy_location(s, where)
    s.end_lineno, s.end_col_offset = where.end_lineno, where.end_col_offset
    for n in ast.walk(s):
        if isinstance(n, (ast.expr,)) and getattr(n, "lineno", None) is None:
            ast.copy_location(n, where)
            n.end_lineno, n.end_col_offset = where.end_lineno, where.end_col_offset


def docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)
