"""NumPy -> tree (SPEC §5): Python source read with Python's own ``ast`` and mapped back.

A statement, a block, a function body or a whole module (as ``--module`` writes it) is
read: imports of NumPy and the definitions of the book's helpers are skipped, the body of
the one other function is read in place, and its final ``return`` of the results is
dropped. Spellings, each mapped to one node:

- ``a.dot(b)``, ``np.dot(a, b)``, ``np.matmul(a, b)``, ``a @ b`` -> product;
- ``a.T``, ``a.transpose()``, ``np.transpose(a)`` -> transpose;
- ``a * b`` -> ``⊙`` of two arrays, and the scaling ``αa`` when a side is a scalar (by its
  letter, or declared ``# name : scalar``); ``alpha * a.dot(b)`` is the chain ``αab``, as
  the book means it, while ``alpha * (a.dot(b))`` keeps the parentheses written;
- ``np.multiply``, ``/``, ``np.divide``, ``+``, ``-``, unary ``-`` and their NumPy functions;
- the helpers (``relu``, ``sigmoid``, ``relu2deriv``…) and idioms: ``np.maximum(0, x)``,
  ``(x > 0) * x``, ``x > 0`` (``relu'``), ``1 / (1 + np.exp(-x))``, ``np.tanh``,
  ``1 - x ** 2`` (``tanh'``), ``np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)``;
- identifiers through the naming scheme inverted (``weights_1_2`` -> W1, ``alpha`` -> α);
- a whole-line comment ``# weights_0_1 : 3×4`` -> a declaration.

Anything else is a NotationError that names the construct, with its line and column in the
Python source. Nothing raises any other exception, and the source is never run.
"""

from __future__ import annotations

import ast
import re
from typing import Callable

from .. import functions
from ..errors import NotationError, NotationSyntaxError, NotationTranslationError
from ..kinds import is_scalar
from ..naming import SCHEMES, Scheme
from ..nodes import (Add, Assign, Call, Declare, Divide, Expr, ExprStatement, Hadamard, MatMul,
                     Name, Negate, Number, Program, Span, Statement, Subtract, Transpose, Update)

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
}
OPERATORS = {
    "Pow": "the power operator **", "FloorDiv": "floor division //", "Mod": "the remainder %",
    "LShift": "the shift <<", "RShift": "the shift >>", "BitOr": "the operator |",
    "BitXor": "the operator ^", "BitAnd": "the operator &", "Invert": "the operator ~",
    "Not": "not", "UAdd": "unary +",
}
STATEMENTS_HINT = ("the notation has assignments (name = expression), updates (-=, +=) and bare "
                   "expressions; write the computation as those")

# NumPy functions and what they build: name -> (number of arguments, builder).
NUMPY_FUNCTIONS: dict[str, tuple[int, Callable]] = {
    "dot": (2, lambda a, b, span: MatMul(a, b, span)),
    "matmul": (2, lambda a, b, span: MatMul(a, b, span)),
    "multiply": (2, lambda a, b, span: Hadamard(a, b, span)),
    "divide": (2, lambda a, b, span: Divide(a, b, span)),
    "true_divide": (2, lambda a, b, span: Divide(a, b, span)),
    "add": (2, lambda a, b, span: Add(a, b, span)),
    "subtract": (2, lambda a, b, span: Subtract(a, b, span)),
    "transpose": (1, lambda a, span: Transpose(a, span)),
    "negative": (1, lambda a, span: Negate(a, span)),
    "copy": (1, lambda a, span: a),
    "exp": (1, lambda a, span: Call("exp", a, False, span)),
    "log": (1, lambda a, span: Call("log", a, False, span)),
    "tanh": (1, lambda a, span: Call("tanh", a, False, span)),
}
BINARY_OPERATORS = {
    ast.Add: Add, ast.Sub: Subtract, ast.Div: Divide, ast.MatMult: MatMul,
}


def from_numpy(source: str, *, naming: str | Scheme = "book") -> Program:
    """Read NumPy code back into the notation.

    >>> from_numpy("layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)").algebra()
    'l2 = relu(l0W0)W1'
    """
    if not isinstance(source, str):
        raise TypeError(f"from_numpy() takes the source as a str, not {type(source).__name__}")
    scheme = naming if isinstance(naming, Scheme) else SCHEMES.get(naming)
    if scheme is None:
        raise ValueError(f"unknown naming scheme {naming!r}: choose one of {', '.join(SCHEMES)}")
    try:
        return _Reader(source, scheme).program()
    except NotationError as e:
        raise e.with_source(source) from None
    except (RecursionError, MemoryError):
        raise NotationTranslationError(
            "the Python source nests too deeply to read", Span(0, len(source)), source=source,
            hint="give intermediate values names of their own and use them") from None


# ---------------------------------------------------------------------------- positions

class _Positions:
    """ast's (line, UTF-8 byte column) -> character offsets into the text."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(self, line: int | None, column: int | None, *, in_bytes: bool = True) -> int:
        if line is None:
            return 0
        line = max(1, min(line, len(self.starts)))
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        column = max(column or 0, 0)
        if in_bytes:
            column = len(self.text[start:end].encode("utf-8", "surrogatepass")[:column]
                         .decode("utf-8", "ignore"))
        return min(start + column, end)

    def span(self, node) -> Span:
        start = self.offset(getattr(node, "lineno", None), getattr(node, "col_offset", None))
        end = self.offset(getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))
        return Span(start, max(start, end))


# ---------------------------------------------------------------------------- small matchers

def _constant(node, value) -> bool:
    return (isinstance(node, ast.Constant) and type(node.value) in (int, float)
            and node.value == value)


def _same(a, b) -> bool:
    return ast.dump(a) == ast.dump(b)


def _what(node) -> str:
    name = type(node).__name__
    return CONSTRUCTS.get(name) or OPERATORS.get(name) or f"the Python construct {name}"


_COMMENT_DECLARATION = re.compile(r"#\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::|∈)\s*(\S[^#;]*?)\s*\Z")


class _Reader:
    def __init__(self, source: str, scheme: Scheme):
        self.source = source
        self.scheme = scheme
        self.positions = _Positions(source)
        self.numpy_names = {"np", "numpy"}
        self.helpers = {f.name for f in functions.FUNCTIONS.values()} | {
            f.derivative_name for f in functions.FUNCTIONS.values() if f.derivative_name}
        self.declared: dict[Name, bool] = {}

    def span(self, node) -> Span:
        return self.positions.span(node)

    def error(self, message: str, node, *, label: str = "", hint: str | None = None):
        return NotationTranslationError(message, self.span(node), label=label, hint=hint)

    def unsupported(self, node, hint: str | None = None):
        what = _what(node)
        return self.error(f"{what} cannot be read into the notation", node,
                          label=f"{what} has no notation", hint=hint)

    # -- the whole source
    def parse(self) -> ast.Module:
        try:
            return ast.parse(self.source)
        except SyntaxError as e:
            line = e.lineno or 1
            at = self.positions.offset(line, (e.offset or 1) - 1, in_bytes=False)
            raise NotationSyntaxError(f"the Python source does not parse: {e.msg}",
                                      Span(at, at), label="Python stops here") from None
        except (ValueError, UnicodeError, OverflowError) as e:
            # null bytes, lone surrogates, literals Python refuses
            raise NotationSyntaxError(f"the Python source cannot be read: {e}",
                                      Span(0, len(self.source))) from None

    def program(self) -> Program:
        module = self.parse()
        # Comments in the helpers' definitions are theirs; every other whole-line comment
        # may declare a name, and declarations decide what is a scalar before any reading.
        excluded = [(node.lineno, node.end_lineno or node.lineno) for node in module.body
                    if isinstance(node, ast.FunctionDef) and node.name in self.helpers]
        items: list[tuple[int, Statement]] = list(self.comment_declarations(excluded))
        main = None
        for index, node in enumerate(module.body):
            if index == 0 and self.is_docstring(node):
                continue
            if isinstance(node, ast.Import):
                self.import_(node)
            elif isinstance(node, ast.FunctionDef):
                if node.name in self.helpers:
                    continue
                if main is not None:
                    raise self.error(
                        f"a second function, {node.name}(), cannot be read: the notation reads "
                        f"one function's body", node, label="a second function",
                        hint="read each function on its own")
                main = node
                items.extend(self.function_body(node))
            else:
                items.extend(self.top_statement(node))
        if not items:
            end = len(self.source.rstrip())
            raise NotationTranslationError(
                "there is no statement to read", Span(end, end),
                hint="give NumPy code such as layer_1 = relu(layer_0.dot(weights_0_1))")
        items.sort(key=lambda item: item[0])
        return Program(tuple(s for _, s in items), source=self.source)

    def is_docstring(self, node) -> bool:
        return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str))

    def import_(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name != "numpy":
                raise self.error(f"an import of {alias.name} cannot be read: only numpy is "
                                 f"understood", node, label="not numpy")
            self.numpy_names.add(alias.asname or "numpy")

    def function_body(self, node: ast.FunctionDef):
        if node.decorator_list:
            raise self.error("a decorated function cannot be read", node.decorator_list[0],
                             label="a decorator")
        body = list(node.body)
        if body and self.is_docstring(body[0]):
            body = body[1:]
        out = []
        for index, statement in enumerate(body):
            if isinstance(statement, ast.Return):
                if index != len(body) - 1:
                    raise self.error("a return before the end of the function cannot be read",
                                     statement, label="an early return")
                out.extend(self.return_(statement))
            else:
                out.extend(self.top_statement(statement))
        return out

    def return_(self, node: ast.Return):
        value = node.value
        if value is None or isinstance(value, ast.Name) or isinstance(value, ast.Dict) or (
                isinstance(value, ast.Tuple) and all(isinstance(e, ast.Name) for e in value.elts)):
            return []          # handing back values computed above
        return [(node.lineno, ExprStatement(self.expression(value), self.span(value)))]

    def top_statement(self, node):
        statement = self.statement(node)
        return [] if statement is None else [(node.lineno, statement)]

    # -- statements
    def statement(self, node) -> Statement | None:
        if isinstance(node, ast.Pass):
            return None
        if isinstance(node, ast.Expr):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                raise self.error("a string cannot be read into the notation", node.value,
                                 label="a string")
            return ExprStatement(self.expression(node.value), self.span(node))
        if isinstance(node, ast.Assign):
            if len(node.targets) != 1:
                raise self.error("a chained assignment (a = b = …) cannot be read", node,
                                 label="more than one target", hint="assign one name at a time")
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id == "_":
                return ExprStatement(self.expression(node.value), self.span(node))
            name = self.target(target)
            return Assign(name, self.expression(node.value), self.span(node))
        if isinstance(node, ast.AugAssign):
            return self.aug_assign(node)
        if isinstance(node, (ast.Import, ast.FunctionDef)):
            raise self.error(f"{'an import' if isinstance(node, ast.Import) else 'a function'} "
                             f"inside a function cannot be read", node)
        raise self.unsupported(node, STATEMENTS_HINT)

    def target(self, node) -> Name:
        if not isinstance(node, ast.Name):
            what = CONSTRUCTS.get(type(node).__name__, "an attribute")
            raise self.error(f"assignment to {what} cannot be read", node,
                             label="the target must be a name",
                             hint="assign to a name such as layer_1")
        return self.name(node)

    def aug_assign(self, node: ast.AugAssign) -> Statement:
        target = self.target(node.target)
        value = self.expression(node.value)
        span = self.span(node)
        if isinstance(node.op, ast.Sub):
            return Update(target, "-=", value, span)
        if isinstance(node.op, ast.Add):
            return Update(target, "+=", value, span)
        # `layer_1 *= dropout_mask * 2` (the book, ch. 8) is `l1 = l1 ⊙ (…)`.
        if isinstance(node.op, ast.Mult):
            return Assign(target, self.product(target, value, span), span)
        if isinstance(node.op, ast.Div):
            return Assign(target, Divide(target, value, span), span)
        if isinstance(node.op, ast.MatMult):
            return Assign(target, MatMul(target, value, span), span)
        raise self.error(f"the in-place {_what(node.op)} cannot be read", node,
                         label="no notation for this update")

    def name(self, node: ast.Name) -> Name:
        ident = node.id
        if ident in self.numpy_names:
            raise self.error(f"the module {ident} is not a value", node,
                             label="a module, not an array")
        found = self.scheme.notation(ident)
        if found is None:
            known = ("layer_k, weights_k_{k+1}, layer_k_delta, alpha, or one letter with a "
                     "subscript (x, x_1, W_out)") if self.scheme.label == "book" else \
                "one letter with a subscript (l0, W_out, delta_2)"
            hint = f"names read back are {known}"
            if re.fullmatch(r"weights_[0-9]+_[0-9]+", ident):
                hint = ("weights_j_k is the matrix W_j from layer j to layer j + 1, so k must be "
                        "j + 1; name other matrices with one letter (W_a, V_1)")
            raise self.error(f"'{ident}' is not a name of the notation", node,
                             label=f"no notation name under the {self.scheme.label} naming scheme",
                             hint=hint)
        return Name(found.letter, found.sub, self.span(node))

    # -- expressions: read bottom-up from an explicit stack, so that a long chain is not
    # a deep recursion. `plan` says which sub-nodes to read first and how to build the node.
    def expression(self, root) -> Expr:
        built: dict[int, Expr] = {}
        stack: list = [(root, None)]
        while stack:
            node, plan = stack.pop()
            if plan is None:
                plan = self.plan(node)
                stack.append((node, plan))
                stack.extend((child, None) for child in reversed(plan[0]))
            else:
                children, make = plan
                built[id(node)] = make([built[id(c)] for c in children])
        return built[id(root)]

    def plan(self, node):
        method = getattr(self, f"plan_{type(node).__name__}", None)
        if method is None:
            raise self.unsupported(node)
        return method(node)

    def plan_Name(self, node):
        return [], lambda _: self.name(node)

    def plan_Constant(self, node):
        return [], lambda _: self.number(node)

    def number(self, node) -> Number:
        value = node.value
        if type(value) not in (int, float):
            kind = {str: "a string", bytes: "bytes", bool: "a boolean", complex: "a complex number",
                    type(None): "None", type(...): "an ellipsis"}.get(type(value), "a constant")
            raise self.error(f"{kind} cannot be read into the notation", node, label=kind)
        text = (ast.get_source_segment(self.source, node) or repr(value)).replace("_", "").lower()
        m = re.fullmatch(r"([0-9]*)(?:\.([0-9]*))?(?:e([-+]?[0-9]+))?", text)
        if m and (m.group(1) or m.group(2)):
            whole, frac, exponent = m.group(1) or "0", m.group(2), m.group(3)
            text = whole.lstrip("0") or "0"
            if frac is not None:
                text += "." + (frac or "0")
            if exponent is not None:
                text += "e" + exponent
        elif isinstance(value, int):
            if value.bit_length() > 14000:       # past Python's 4,300-digit str() limit
                raise self.error("this number has too many digits to be read", node,
                                 label="over 4,000 digits")
            text = str(value)            # 0x10, 0o17, 0b11
        else:
            raise self.error(f"the number {text} cannot be read", node, label="not a decimal number")
        return Number(text, self.span(node))

    def plan_UnaryOp(self, node):
        if isinstance(node.op, ast.USub):
            return [node.operand], lambda k: Negate(k[0], self.span(node))
        raise self.error(f"{_what(node.op)} cannot be read into the notation", node,
                         label=f"{_what(node.op)} has no notation")

    def plan_Compare(self, node):
        # relu2deriv's own body: `output > 0` (or `0 < output`) is relu'(output).
        if len(node.ops) == 1:
            left, op, right = node.left, node.ops[0], node.comparators[0]
            if isinstance(op, ast.Gt) and _constant(right, 0):
                return [left], lambda k: Call("relu", k[0], True, self.span(node))
            if isinstance(op, ast.Lt) and _constant(left, 0):
                return [right], lambda k: Call("relu", k[0], True, self.span(node))
        raise self.error("a comparison cannot be read into the notation", node,
                         label="only `x > 0` (relu') has a notation")

    def plan_Attribute(self, node):
        if node.attr == "T" and not self.is_numpy(node.value):
            return [node.value], lambda k: Transpose(k[0], self.span(node))
        raise self.error(f"the attribute .{node.attr} cannot be read into the notation", node,
                         label="only .T has a notation")

    def is_numpy(self, node) -> bool:
        return isinstance(node, ast.Name) and node.id in self.numpy_names

    def numpy_function(self, node, *names) -> bool:
        return (isinstance(node, ast.Attribute) and self.is_numpy(node.value)
                and node.attr in names)

    # -- operators and the idioms written with them
    def plan_BinOp(self, node):
        idiom = self.idiom(node)
        if idiom is not None:
            return idiom
        op = type(node.op)
        if op is ast.Mult:
            return [node.left, node.right], lambda k: self.product(
                k[0], k[1], self.span(node), right_node=node.right, parent=node)
        if op in BINARY_OPERATORS:
            cls = BINARY_OPERATORS[op]
            return [node.left, node.right], lambda k: cls(k[0], k[1], self.span(node))
        hint = "write x ⊙ x for a square" if op is ast.Pow else None
        raise self.error(f"{_what(node.op)} cannot be read into the notation", node,
                         label=f"{_what(node.op)} has no notation", hint=hint)

    def product(self, left: Expr, right: Expr, span: Span, *, right_node=None, parent=None) -> Expr:
        """``a * b``: the scaling αb when a side is a scalar, else the Hadamard product."""
        left_scalar = is_scalar(left, self.declared)
        right_scalar = is_scalar(right, self.declared)
        if not (left_scalar or right_scalar):
            return Hadamard(left, right, span)
        if (left_scalar and not right_scalar and isinstance(right, MatMul)
                and isinstance(right_node, ast.Call) and not self.parenthesized(parent)):
            return _prepend(left, right)       # alpha * l1.T.dot(d2) is the chain α l1ᵀ δ2
        return MatMul(left, right, span)

    def parenthesized(self, node: ast.BinOp) -> bool:
        """Is the right operand of ``node`` written in parentheses?"""
        start = self.positions.offset(node.left.end_lineno, node.left.end_col_offset)
        end = self.positions.offset(node.right.lineno, node.right.col_offset)
        between = re.sub(r"#[^\n]*", "", self.source[start:end])
        return "(" in between

    def idiom(self, node: ast.BinOp):
        span = self.span(node)
        found = self.registered_idiom(node)
        if found is not None:
            return found
        left, right = node.left, node.right
        # 1 / (1 + np.exp(-x)) is sigmoid(x)
        if isinstance(node.op, ast.Div) and _constant(left, 1) and isinstance(right, ast.BinOp) \
                and isinstance(right.op, ast.Add):
            for one, e in ((right.left, right.right), (right.right, right.left)):
                if (_constant(one, 1) and isinstance(e, ast.Call) and self.numpy_function(e.func, "exp")
                        and len(e.args) == 1 and not e.keywords and isinstance(e.args[0], ast.UnaryOp)
                        and isinstance(e.args[0].op, ast.USub)):
                    return [e.args[0].operand], lambda k: Call("sigmoid", k[0], False, span)
        # 1 - x ** 2 is tanh'(x) (tanh2deriv's body)
        if isinstance(node.op, ast.Sub) and _constant(left, 1) and isinstance(right, ast.BinOp) \
                and isinstance(right.op, ast.Pow) and _constant(right.right, 2):
            return [right.left], lambda k: Call("tanh", k[0], True, span)
        # (x > 0) * x and x * (x > 0) are relu(x)
        if isinstance(node.op, ast.Mult):
            for test, value in ((left, right), (right, left)):
                if (isinstance(test, ast.Compare) and len(test.ops) == 1
                        and isinstance(test.ops[0], ast.Gt) and _constant(test.comparators[0], 0)
                        and _same(test.left, value)):
                    return [value], lambda k: Call("relu", k[0], False, span)
        # np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True) is softmax(x)
        if isinstance(node.op, ast.Div) and self.is_exp(left) and isinstance(right, ast.Call) \
                and self.numpy_function(right.func, "sum") and len(right.args) == 1 \
                and self.is_exp(right.args[0]) and _same(left.args[0], right.args[0].args[0]) \
                and (self.keywords(right.keywords, axis=1) or self.keywords(right.keywords, axis=-1)):
            return [left.args[0]], lambda k: Call("softmax", k[0], False, span)
        return None

    def registered_idiom(self, node):
        """A NumPy idiom of a function in the registry (functions.match_idiom)."""
        found = functions.match_idiom(node, self.is_numpy)
        if found is None:
            return None
        fn, derivative, arg = found
        span = self.span(node)
        return [arg], lambda k: Call(fn.name, k[0], derivative, span)

    def is_exp(self, node) -> bool:
        return (isinstance(node, ast.Call) and self.numpy_function(node.func, "exp")
                and len(node.args) == 1 and not node.keywords)

    @staticmethod
    def keywords(keywords, axis: int) -> bool:
        """Are the keywords exactly ``axis=<axis>, keepdims=True``?"""
        found = {k.arg: k.value for k in keywords}
        if set(found) != {"axis", "keepdims"}:
            return False
        a = found["axis"]
        if axis < 0:
            ok = isinstance(a, ast.UnaryOp) and isinstance(a.op, ast.USub) and _constant(a.operand, -axis)
        else:
            ok = _constant(a, axis)
        keep = found["keepdims"]
        return ok and isinstance(keep, ast.Constant) and keep.value is True

    # -- calls
    def plan_Call(self, node):
        func = node.func
        span = self.span(node)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.error("a call with *arguments cannot be read", node, label="*arguments")
        found = self.registered_idiom(node)
        if found is not None:
            return found
        # np.maximum(0, x) and np.maximum(x, 0) are relu(x)
        if self.numpy_function(func, "maximum") and len(node.args) == 2 and not node.keywords:
            a, b = node.args
            if _constant(a, 0) or _constant(b, 0):
                x = b if _constant(a, 0) else a
                return [x], lambda k: Call("relu", k[0], False, span)
        # np.sum(x, axis=0, keepdims=True) is sum(x): the sum over the batch, kept a row
        if self.numpy_function(func, "sum") and len(node.args) == 1 \
                and self.keywords(node.keywords, axis=0):
            return [node.args[0]], lambda k: Call("sum", k[0], False, span)
        if node.keywords:
            hint = ("np.sum(x, axis=0, keepdims=True) is the notation's sum(x), the sum over the "
                    "batch" if self.numpy_function(func, "sum") else None)
            raise self.error("a call with keyword arguments cannot be read", node.keywords[0],
                             label="a keyword argument", hint=hint)
        if isinstance(func, ast.Attribute) and self.is_numpy(func.value):
            entry = NUMPY_FUNCTIONS.get(func.attr)
            if entry is None:
                raise self.error(f"np.{func.attr}() cannot be read into the notation", node,
                                 label="no notation for this NumPy function",
                                 hint="known: " + ", ".join(f"np.{n}" for n in NUMPY_FUNCTIONS)
                                 + ", np.maximum(0, x)")
            arity, build = entry
            self.arguments(node, arity)
            return list(node.args), lambda k: build(*k, span)
        if isinstance(func, ast.Attribute) and func.attr == "dot":
            self.arguments(node, 1)
            return [func.value, node.args[0]], lambda k: MatMul(k[0], k[1], span)
        if isinstance(func, ast.Attribute) and func.attr == "transpose":
            self.arguments(node, 0)
            return [func.value], lambda k: Transpose(k[0], span)
        # a copy is the same value: the NumPy view copies where an update would alias
        if isinstance(func, ast.Attribute) and func.attr == "copy":
            self.arguments(node, 0)
            return [func.value], lambda k: k[0]
        if isinstance(func, ast.Name):
            fn, derivative = self.helper(func.id)
            if fn is not None:
                self.arguments(node, 1)
                return list(node.args), lambda k: Call(fn, k[0], derivative, span)
            raise self.error(f"{func.id}() is not a function of the notation", func,
                             label="unknown function",
                             hint="known: " + ", ".join(sorted(self.helpers)))
        raise self.error("this call cannot be read into the notation", node,
                         label="only functions of the notation, np functions and .dot() are read")

    def helper(self, ident: str) -> tuple[str | None, bool]:
        for fn in functions.FUNCTIONS.values():
            if ident == fn.name:
                return fn.name, False
            if fn.derivative_name and ident == fn.derivative_name:
                return fn.name, True
        return None, False

    def arguments(self, node: ast.Call, count: int) -> None:
        if len(node.args) != count:
            what = {0: "no arguments", 1: "one argument", 2: "two arguments"}[count]
            given = len(node.args)
            raise self.error(f"this call takes {what}, not {given}", node,
                             label=f"{given} argument{'' if given == 1 else 's'}")

    # -- declarations written as comments
    def comment_declarations(self, excluded):
        import io
        import tokenize
        out = []
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(self.source).readline))
        except (tokenize.TokenError, SyntaxError, ValueError):
            return out
        lines = self.source.splitlines()
        for tok in tokens:
            if tok.type != tokenize.COMMENT:
                continue
            row, col = tok.start
            if any(a <= row <= b for a, b in excluded):
                continue
            if row - 1 < len(lines) and lines[row - 1][:col].strip():
                continue           # a comment after code on its line is only a comment
            declaration = self.declaration(tok.string, self.positions.offset(row, col, in_bytes=False))
            if declaration is not None:
                out.append((row, declaration))
                self.declared[declaration.target] = not declaration.dims
        return out

    def declaration(self, comment: str, start: int) -> Declare | None:
        m = _COMMENT_DECLARATION.match(comment)
        if not m:
            return None
        found = self.scheme.notation(m.group(1))
        if found is None:
            return None
        from ..parser import parse
        try:
            statements = parse(f"x : {m.group(2)}").statements
        except NotationError:
            return None            # a comment that is not a declaration
        if len(statements) != 1 or not isinstance(statements[0], Declare):
            return None
        span = Span(start, start + len(comment))
        return Declare(Name(found.letter, found.sub, span), statements[0].dims, span)


def _prepend(scalar: Expr, product: MatMul) -> MatMul:
    """``α`` joined to the chain ``ab…`` as its first factor: ``(αa)b…``."""
    spine = []
    node: Expr = product
    while isinstance(node, MatMul):
        spine.append(node)
        node = node.left
    start = scalar.span.start if scalar.span else None
    out = MatMul(scalar, node, _join(start, node.span))
    for parent in reversed(spine):
        out = MatMul(out, parent.right, _join(start, parent.span))
    return out


def _join(start, span):
    if start is None or span is None:
        return span
    return Span(min(start, span.start), span.end)
