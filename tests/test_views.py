"""The registry of views (notation/views.py): the command line, show, the HTML page,
backward --to, compare's file suffixes and the Program methods are all built from it."""

from pathlib import Path

import pytest

import notation
from notation import parse, views
from notation.cli import build_parser, main
from notation.side_by_side import html_page

BOOK = "l2 = relu(l0W0)W1"
EMIT = Path(notation.__file__).parent / "emit"


def _shout(program, *, loud=False):
    from notation.emit.algebra import algebra
    return algebra(program).upper() + ("!" if loud else "")


SHOUT = views.View("shout", "the algebra, shouted", _shout,
                   description="The algebra in capitals.", example='notation shout "y = x"',
                   options=(views.option("--loud", action="store_true", help="an ! at the end"),),
                   show="shouted", page="Shouted", backward=True)


@pytest.fixture
def shout(monkeypatch):
    monkeypatch.setitem(views.VIEWS, "shout", SHOUT)


def test_a_view_added_to_the_registry_is_a_subcommand(shout, capsys):
    assert main(["shout", BOOK, "--loud"]) == 0
    assert capsys.readouterr().out == "L2 = RELU(L0W0)W1!\n"
    parser = build_parser()
    assert "the algebra, shouted" in parser.format_help()
    sub = parser._subparsers._group_actions[0].choices["shout"]
    assert "The algebra in capitals." in sub.format_help() and "--loud" in sub.format_help()


def test_a_view_added_to_the_registry_is_a_section_of_show_and_of_the_page(shout, capsys):
    assert main(["show", BOOK]) == 0
    out = capsys.readouterr().out
    assert "── shouted " in out and "  L2 = RELU(L0W0)W1" in out
    # after the registry's own sections, in its order
    assert out.index("── diagram ") < out.index("── shouted ")
    page = html_page(parse(BOOK))
    assert "<h2>Shouted</h2><pre>L2 = RELU(L0W0)W1</pre>" in page
    assert page.index("<h2>Diagram</h2>") < page.index("<h2>Shouted</h2>")


def test_a_view_added_to_the_registry_is_offered_by_backward_to(shout, capsys):
    assert main(["backward", BOOK, "--to", "shout"]) == 0
    out = capsys.readouterr().out
    assert "W0 -= ΑL0ᵀΔ1" in out
    assert main(["backward", BOOK, "--to", "nosuch"]) == 2
    assert "shout" in capsys.readouterr().err


def test_every_emit_module_belongs_to_a_view_or_is_named_shared():
    owned = {m for v in views.VIEWS.values() for m in v.modules}
    found = {"emit" if p.stem == "__init__" else f"emit.{p.stem}" for p in EMIT.glob("*.py")}
    orphans = found - owned - set(views.SHARED)
    assert not orphans, (f"{sorted(orphans)}: a module under notation/emit/ that no View record "
                         f"in notation/views.py names in its modules (or SHARED)")
    assert not (owned | set(views.SHARED)) - found, "a record names a module that is not there"


def test_each_views_method_is_a_method_of_program():
    for view in views.VIEWS.values():
        if view.method is not None:
            assert callable(getattr(notation.Program, view.method, None)), view.name
    # the view's text is the method's, with its defaults
    program = parse(BOOK)
    for name in ("algebra", "numpy", "latex"):
        assert views.VIEWS[name].text(program) == getattr(program, name)()


def test_compare_reads_back_each_view_it_knows_a_suffix_of():
    from notation.comparing import compare, read_view
    program = parse(BOOK)
    assert views.read_kinds() == {".nn": "algebra", ".py": "numpy", ".tex": "latex"}
    for suffix, name in views.read_kinds().items():
        text = views.VIEWS[name].text(program)
        assert compare(BOOK, read_view(text, name)).equivalent, suffix


def test_backward_writes_the_formats_of_the_views_it_offers(tmp_path):
    from notation.cli_formats import command_formats
    assert sorted(command_formats()["backward"]) == ["latex", "numpy"]
    out = tmp_path / "step.py"
    assert main(["backward", BOOK, "-o", str(out)]) == 0
    assert "layer_1_delta" in out.read_text()


def test_the_command_line_loads_only_what_its_command_needs():
    # The cold start (benchmarks/translate.py section 4): building the parser loads no view,
    # and the modules of the other commands, of -o and of errors stay unloaded.
    import subprocess
    import sys
    # (the command ends the process with os._exit: the modules are printed on the way out)
    code = ("import os, runpy, sys\nsys.argv = ['notation', 'algebra', 'l2 = relu(l0W0)W1']\n"
            "end = os._exit\n"
            "def leave(status):\n    print(' '.join(sorted(sys.modules)), flush=True)\n"
            "    end(status)\n"
            "os._exit = leave\nrunpy.run_module('notation', run_name='__main__')")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    out, loaded = r.stdout.splitlines()[0], set(r.stdout.splitlines()[-1].split())
    assert out == "l2 = relu(l0W0)W1", r.stderr
    for module in ("numpy", "notation.emit.numpy", "notation.emit.latex", "notation.emit.plan",
                   "notation.plan", "notation.shapes", "notation.naming",
                   "notation.function_idioms", "notation.losses", "notation.cli_check",
                   "notation.cli_arrays", "notation.cli_formats", "notation.cli_errors"):
        assert module not in loaded, f"notation algebra loads {module}"
    assert "notation.views" in loaded and "notation.emit.algebra" in loaded


def test_backward_document_is_for_the_views_with_a_document_option(shout, capsys):
    assert main(["backward", BOOK, "--document", "--to", "shout"]) == 2
    assert ("--document makes a LaTeX document: use it with --to latex, not --to shout"
            in capsys.readouterr().err)
    assert main(["backward", BOOK, "--document", "--to", "latex"]) == 0
    assert capsys.readouterr().out.startswith("\\documentclass")
