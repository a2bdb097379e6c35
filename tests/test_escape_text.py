"""escape_text (notation/emit/base.py) is xml.sax.saxutils.escape without importing it."""

from xml.sax.saxutils import escape

from hypothesis import given, settings, strategies as st

from notation.emit.base import escape_text

# The characters that are escaped, those that look like an escape, and any others
_TEXT = st.text(alphabet=st.sampled_from("&<>;amplgt#'\" x·σ\n") | st.characters(), max_size=40)


@settings(max_examples=2000, deadline=None)
@given(_TEXT)
def test_escape_text_is_saxutils_escape(text):
    assert escape_text(text) == escape(text)


def test_escape_text_on_escapes():
    for text in ["", "a<b", "&amp;", "&lt;&gt;", "<&>", ">>&&<<", "a & b > c"]:
        assert escape_text(text) == escape(text)
