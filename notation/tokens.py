"""Tokens and the parser's two failures, as the parser's loop makes them and
notation/syntax_errors.py reads them (Lark's names, so the error translation reads alike)."""

from __future__ import annotations


class Tok:
    """A token: its terminal, its text and where it is."""

    __slots__ = ("type", "value", "start_pos", "end_pos")

    def __init__(self, type: str, value: str, start_pos: int, end_pos: int):
        self.type, self.value, self.start_pos, self.end_pos = type, value, start_pos, end_pos

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Tok({self.type}, {self.value!r}, {self.start_pos})"


class UnexpectedToken(Exception):
    """The parser met a token its state has no action for."""

    def __init__(self, token: Tok, expected: set, value_stack: list):
        super().__init__(token.type)
        self.token, self.expected, self.value_stack = token, expected, value_stack


class UnexpectedCharacters(Exception):
    """No terminal of the grammar matches the text at ``pos_in_stream``."""

    def __init__(self, pos: int):
        super().__init__(pos)
        self.pos_in_stream = pos
