"""What every emitter shares: dispatch on the node's class, failing loudly on a stranger;
escaping text for XML (MathML, SVG)."""

from __future__ import annotations

from ..errors import NotationTranslationError
from ..nodes import Node


# (emitter class, node class) -> the emitter's method for it, found once: the lookup by
# name was a third of printing a name
_METHODS: dict[tuple[type, type], object] = {}


def escape_text(text: str) -> str:
    """``text`` with ``&``, ``<`` and ``>`` escaped, exactly as ``xml.sax.saxutils.escape``
    (``&`` first, so no escape is escaped twice). Not imported from there: saxutils imports
    urllib.request (http.client, email, ssl), about 40 ms of every cold start that shows
    MathML or a diagram."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


class Emitter:
    """Subclasses define ``emit_<NodeClass>`` for every node they can print."""

    def emit(self, node: Node) -> str:
        key = (type(self), type(node))
        method = _METHODS.get(key)
        if method is None:
            method = getattr(type(self), f"emit_{type(node).__name__}", None)
            if method is None:
                raise NotationTranslationError(
                    f"{type(self).__name__} cannot print {type(node).__name__}",
                    getattr(node, "span", None))
            _METHODS[key] = method
        return method(self, node)
