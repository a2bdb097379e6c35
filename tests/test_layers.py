"""The package imports downward only: core < syntax < shapes < plan < training < views < read
< run < compare < api < cli, and no module imports itself through others (no cycle).

The import graph is read from the source with ``ast``, imports inside functions included
(a lazy import is an import: it closes a cycle as surely, only later). The layers are module
lists here, not folders, so that nothing had to move while many people edit the package;
docs/architecture.md draws the same picture. A module the lists do not name fails the
test: put it in its layer.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "notation"

# Lowest first. A module may import its own layer and the layers below it.
LAYERS = [
    ("core", ["_tables", "errors", "records", "nodes", "walk", "function_record", "builtin_functions",
              "functions", "function_idioms", "operators", "greek", "kinds",
              "marks", "naming", "polynomial", "tokens", "aliasing", "plan_record", "collector"]),
    # emit.algebra, the canonical algebra, is the parser's inverse: the language's own
    # spelling, which every error message of every stage quotes.
    ("syntax", ["name_tokens", "name_errors", "tree_pieces", "tree_shapes", "tree_calls",
                "tree_builder", "parser", "syntax_errors", "emit.base", "emit.algebra"]),
    ("shapes", ["dims", "shape_errors", "dim_names", "shape_record", "shape_rules", "mentions", "declarations", "layer_chain",
                "shape_options", "declared_shapes", "convention_hints", "inference", "shapes"]),
    ("plan", ["steps", "chain", "lowering_elementwise", "lowering_products", "lowering",
              "plan_memory", "plan"]),
    ("training", ["layers", "named_values", "losses", "gradients", "step_names", "step_tree",
                  "backward"]),
    ("views", ["emit", "emit.*", "side_by_side", "sympy_export", "view_record", "views"]),
    ("read", ["read", "read.*"]),
    ("run", ["random_inputs", "evaluate", "compile_checks", "compile_errors", "compile_inputs",
             "compile", "run",
             "weights"]),
    ("compare", ["compare_reading", "compare_trees", "compare_values", "comparing",
                 "compare_steps"]),
    # ipython: the %%notation magic, which IPython finds through notation's own
    # load_ipython_extension; it uses the API as a user does.
    ("api", ["api", "__init__", "ipython"]),
    ("cli", ["cli_io", "cli_commands", "cli_check", "cli_arrays", "cli_formats", "cli_errors",
             "cli_parser", "cli", "__main__"]),
]

# Upward imports not yet removed, each (importer, imported) with why it is still there.
# This list only shrinks: remove an entry when its import goes.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}

# Private names (``_x``) one module imports from another, each (importer, module, name) with
# why it is still there. A private name is its module's own: a fact another module needs is a
# public function of the module that owns it (issue 12, one record per fact). This list only
# shrinks: remove an entry when its import goes.
KNOWN_PRIVATE: dict[tuple[str, str, str], str] = {
    ("parser", "__init__", "_tables"): "the generated tables module (tools/build_tables.py); "
                                       "the parser is its one reader",
    **{(importer, module, name): "shapes stage (engineer plan's files): not yet made public"
       for importer, module, name in [
           ("declared_shapes", "dims", "_text"), ("declared_shapes", "mentions", "_KINDS"),
           ("shape_errors", "dims", "_text"),
           ("dim_names", "dims", "_text"), ("convention_hints", "dims", "_text"),
           ("inference", "mentions", "_KINDS"), ("inference", "mentions", "_book_layers"),
           ("inference", "mentions", "_kind"),
           ("inference", "mentions", "_mentioned_names"), ("mentions", "dims", "_text"),
           ("shape_record", "dims", "_text"), ("shape_record", "dim_names", "_name_unknowns"),
           ("shape_options", "dims", "_text"), ("steps", "shape_errors", "_small"),
           ("lowering", "lowering_products", "_factors")]},
    **{(importer, module, name): "cli (engineer cold's files): not yet made public"
       for importer, module, name in [
           ("cli_commands", "cli_io", "_read_stdin"), ("cli_check", "cli_commands", "_parse"),
           ("cli_check", "cli_commands", "_shape_options"), ("cli_arrays", "cli_commands", "_parse"),
           ("cli_arrays", "cli_commands", "_shape_options")]},
    **{(importer, module, name): "run and read stages (engineer numpy's files): not yet made public"
       for importer, module, name in [
           ("read.numpy.cells", "read.numpy.assignments", "_two_dimensional")]},
}

# Outside packages that no module may import: the parser's tables are built at development
# time (tools/build_tables.py), so no user run needs Lark.
FORBIDDEN = {"lark"}


def module_name(path: Path) -> str:
    """``notation/emit/latex.py`` -> ``emit.latex``; ``notation/__init__.py`` -> ``__init__``."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _package_of(name: str, path: Path) -> list[str]:
    """The package a module's relative imports start from, as name parts."""
    parts = name.split(".") if name != "__init__" else []
    return parts if path.name == "__init__.py" else parts[:-1]


def imports(name: str, path: Path, known: set[str]) -> tuple[set[str], set[str]]:
    """The package's modules that a module imports anywhere in it, and the outside
    top-level packages it imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside, outside = set(), set()
    base = _package_of(name, path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "notation" or alias.name.startswith("notation."):
                    inside.add(alias.name[len("notation."):] or "__init__")
                else:
                    outside.add(alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module != "notation" and not node.module.startswith("notation."):
                    outside.add(node.module.split(".")[0])
                    continue
                target = node.module.split(".")[1:]
            else:
                up = base[:len(base) - (node.level - 1)]
                target = up + (node.module.split(".") if node.module else [])
            for alias in node.names:
                sub = ".".join(target + [alias.name])
                if sub in known:                # from . import functions: a module
                    inside.add(sub)
                else:
                    inside.add(".".join(target) or "__init__")
    inside.discard(name)
    return inside, outside


@lru_cache(maxsize=1)
def _graph() -> tuple[dict, dict]:
    found = modules()
    known = set(found)
    edges, outside = {}, {}
    for name, path in found.items():
        edges[name], outside[name] = imports(name, path, known)
    return edges, outside


def graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Module -> the package's modules it imports, and -> the outside packages it imports
    (fresh sets: the tests edit them)."""
    edges, outside = _graph()
    return {m: set(t) for m, t in edges.items()}, {m: set(t) for m, t in outside.items()}


def private_imports() -> set[tuple[str, str, str]]:
    """(importer, module, name) for every ``from <package module> import _name`` anywhere in
    a module (inside functions too), a private name of another module of the package."""
    found = modules()
    out = set()
    for name, path in found.items():
        base = _package_of(name, path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level == 0:
                if node.module != "notation" and not node.module.startswith("notation."):
                    continue
                target = node.module.split(".")[1:]
            else:
                target = base[:len(base) - (node.level - 1)] + \
                    (node.module.split(".") if node.module else [])
            module = ".".join(target) or "__init__"
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__") \
                        and module != name:
                    out.add((name, module, alias.name))
    return out


def layer_of(name: str) -> int | None:
    for index, (_, members) in enumerate(LAYERS):
        for member in members:
            if member == name or (member.endswith(".*") and name.startswith(member[:-1])):
                return index
    return None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return out


def upward(edges: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    found = {}
    for name, targets in edges.items():
        for target in targets:
            if layer_of(target) is not None and layer_of(name) is not None and \
                    layer_of(target) > layer_of(name):
                found[(name, target)] = (f"{name} ({LAYERS[layer_of(name)][0]}) imports "
                                         f"{target} ({LAYERS[layer_of(target)][0]})")
    return found


def test_every_module_has_a_layer():
    missing = sorted(name for name in modules() if layer_of(name) is None)
    assert not missing, f"put these modules in a layer of tests/test_layers.py: {missing}"


def test_no_module_imports_upward():
    edges, _ = graph()
    found = upward(edges)
    new = {k: v for k, v in found.items() if k not in KNOWN_UPWARD}
    assert not new, "upward imports (move the shared code down, or the caller up):\n" + \
        "\n".join(sorted(new.values()))


def test_the_known_exceptions_are_still_needed():
    # the lists only shrink: an exception whose import has gone must leave its list
    edges, _ = graph()
    gone = sorted(k for k in KNOWN_UPWARD if k not in upward(edges))
    assert not gone, f"remove from KNOWN_UPWARD, these imports are gone: {gone}"


def test_the_import_graph_has_no_cycle():
    # no exemption: an import that closes a cycle, even inside one layer, fails here
    edges, _ = graph()
    found = cycles(edges)
    assert not found, f"import cycles (move the shared code down): {found}"


def test_no_module_imports_lark():
    _, outside = graph()
    found = sorted(name for name, packages in outside.items() if packages & FORBIDDEN)
    assert not found, f"{found} import {sorted(FORBIDDEN)}, which no run may need"


def test_the_graph_reader_sees_lazy_and_relative_imports():
    edges, _ = graph()
    assert "api" in edges["__init__"] and "parser" in edges["api"]   # from .x import y
    assert "functions" in edges["syntax_errors"]          # from . import functions
    assert "syntax_errors" in edges["parser"]             # inside a function
    assert {"nodes", "emit.base"} <= edges["emit.algebra"]   # from ..nodes, from .base
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_another_modules_private_names():
    new = sorted(k for k in private_imports() if k not in KNOWN_PRIVATE)
    assert not new, ("private names imported from another module (make each a public name "
                     f"of the module that owns the fact): {new}")


def test_the_known_private_imports_are_still_there():
    gone = sorted(k for k in KNOWN_PRIVATE if k not in private_imports())
    assert not gone, f"remove from KNOWN_PRIVATE, these imports are gone: {gone}"


def test_the_private_import_reader_sees_every_form(tmp_path, monkeypatch):
    # from .x import _y, from ..x import _y inside a function, and from notation.x import _y
    package = tmp_path / "notation"
    (package / "emit").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "layers.py").write_text("_a = 1\n")
    (package / "gradients.py").write_text("from .layers import _a, public\n")
    (package / "emit" / "__init__.py").write_text("")
    (package / "emit" / "numpy.py").write_text("def f():\n    from ..layers import _a\n")
    (package / "backward.py").write_text("from notation.layers import _a as b\n"
                                         "from .layers import __doc__\n")
    import sys
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    assert private_imports() == {("gradients", "layers", "_a"), ("emit.numpy", "layers", "_a"),
                                 ("backward", "layers", "_a")}
