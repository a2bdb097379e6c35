"""How the command line says what went wrong: a rendered error coloured for a terminal
(``paint``), and bad usage found after parsing, followed by the subcommand's usage
(``usage_error``). Loaded only when something goes wrong."""

from __future__ import annotations

import sys

from .cli_commands import colour_on


_PAINT = {"error:": "\033[1;31m", "warning:": "\033[1;33m"}


def paint(rendered: str, stream) -> str:
    """A rendered error or warning, coloured when ``stream`` takes colour: the first word
    (red error, yellow warning), the carets, and the ``-->`` and ``=`` lines."""
    if not colour_on(stream):
        return rendered
    import re
    out = []
    for line in rendered.split("\n"):
        word = next((w for w in _PAINT if line.startswith(w)), None)
        if word:
            line = f"{_PAINT[word]}{word}\033[0m\033[1m{line[len(word):]}\033[0m"
        elif re.match(r"\s*\d* \|", line) and "^" in line:
            line = re.sub(r"(\^+)", "\033[1;31m\\1\033[0m", line)
        elif re.match(r"\s*(-->|=)", line):
            line = f"\033[1;34m{line}\033[0m"
        out.append(line)
    return "\n".join(out)


def usage_error(parser, args, message: str) -> None:
    """Bad usage found after parsing: the message, then the subcommand's usage (the message
    first, so that the first line says what is wrong; docs/cli.md)."""
    text = f"notation {args.command}: error: {message}"
    if colour_on(sys.stderr):
        text = f"{_PAINT['error:']}notation {args.command}: error:\033[0m {message}"
    sys.stderr.write(text + "\n")
    sub = subcommand(parser, getattr(args, "command", None))
    if sub is not None:
        sys.stderr.write(sub.format_usage())


def subcommand(parser, name):
    for action in parser._subparsers._group_actions:
        if name in getattr(action, "choices", {}):
            return action.choices[name]
    return None
