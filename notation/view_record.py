"""The record of a view (``View``) and of one of its command-line options (``Option``).

The records are data; the table of views that the command line, ``show``, the HTML page and
``backward --to`` are built from is ``views.VIEWS``.

>>> o = option("--module", action="store_true", help="a complete module")
>>> o.flags, o.dest, o.default
(('--module',), 'module', False)
"""

from __future__ import annotations

from typing import Callable

class Option:
    """One command-line option of a view: its flags and ``argparse`` keywords. ``keyword``
    is the view's keyword it fills (``None``: an option of reading, such as ``--columns``
    for a .py program, that the view itself does not take; ``""``: the flag's own name).
    (A plain class, not a dataclass: building dataclasses costs the cold start ~1 ms each.)"""
    __slots__ = ("flags", "argparse", "keyword")

    def __init__(self, flags: tuple[str, ...], argparse: dict, keyword: str | None = ""):
        self.flags, self.argparse, self.keyword = flags, argparse, keyword

    @property
    def dest(self) -> str:
        return self.flags[-1].lstrip("-").replace("-", "_")

    @property
    def default(self):
        if "default" in self.argparse:
            return self.argparse["default"]
        return False if self.argparse.get("action") == "store_true" else None


def option(*flags: str, keyword: str | None = "", **argparse) -> Option:
    """``option("--ascii", action="store_true", help=…)``."""
    return Option(flags, argparse, keyword)


class View:
    """Every fact about one view.

    - ``name``: its subcommand, ``backward --to``'s word, and its ``Program`` method
      (``method``; ``None`` when the view has none).
    - ``help``, ``description``, ``example``: the subcommand's line in ``notation --help``
      and its own ``--help``.
    - ``text(program, **options)``: the view of a program, with the keywords ``options``
      name; a view with ``shapes`` also takes ``shapes`` (the shape options), ``sizes``,
      ``dims``, ``batch``, ``convention`` and ``columns`` (the shape options' texts).
      With ``on_views``, ``text`` takes the ``side_by_side.Views`` of the program (the
      shapes of its names and of its split forward pass, and the shape error if any; no
      plan, ``views(plan=False)``: such a view draws from the shapes) instead of the program.
    - ``check(**options)``: refuses bad options before the program is read (or ``None``).
    - ``formats``: the formats ``-o FILE``'s extension may name (cli_formats.OUTPUT_FORMATS), each
      ``None`` (the view's own output) or ``(option, value)`` that it switches on.
    - ``show``, ``page``: the section's title in ``show`` and on the HTML page (``None``: no
      section); ``section(views, ascii=…)`` and ``html(views)`` print it from the
      ``side_by_side.Views`` computed once for all (``None`` leaves the section out).
      The sections come in the order of ``VIEWS``. ``wide``: the page gives it the width.
    - ``backward``: ``backward --to`` offers it (its text of the derived step).
    - ``reads``: the file suffix ``compare`` reads back as this view (comparing.read_view
      knows it by ``name``), or ``None``.
    - ``modules``: its modules under ``notation/emit/`` (a test names any module of no view).

    A fact left out takes its default (``_FACTS``); an unknown one is a TypeError.
    """
    _FACTS = {"description": None, "example": None, "options": (), "shapes": False,
              "on_views": False, "check": None, "formats": None, "show": None,
              "section": None, "page": None, "html": None, "wide": False, "backward": False,
              "reads": None, "method": None, "modules": ()}

    def __init__(self, name: str, help: str, text: Callable[..., str], **facts):
        unknown = set(facts) - set(self._FACTS)
        if unknown:
            raise TypeError(f"View {name!r}: no such fact {', '.join(sorted(unknown))} "
                            f"(the facts are {', '.join(self._FACTS)})")
        self.__dict__.update(self._FACTS, name=name, help=help, text=text, **facts)
        self.formats = dict(self.formats or {})

    def __repr__(self) -> str:
        return f"View({self.name!r})"

    def keywords(self, values: Callable[[str, object], object]) -> dict:
        """The view's keywords from ``values(dest, default)`` (an argparse namespace's)."""
        return {o.keyword or o.dest: values(o.dest, o.default) for o in self.options
                if o.keyword is not None}

    def show_text(self, views, *, ascii: bool = False) -> str | None:
        """Its section of ``show`` (the text view of the program unless ``section``)."""
        if self.section is not None:
            return self.section(views, ascii=ascii)
        return self.text(views.program)

    def page_html(self, views) -> str | None:
        """Its section of the HTML page (the text, escaped, unless ``html``)."""
        if self.html is not None:
            return self.html(views)
        from html import escape
        return f"<pre>{escape(self.text(views.program))}</pre>"
