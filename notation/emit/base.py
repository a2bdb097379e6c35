"""What every emitter shares: dispatch on the node's class, failing loudly on a stranger."""

from __future__ import annotations

from ..errors import NotationTranslationError
from ..nodes import Node


class Emitter:
    """Subclasses define ``emit_<NodeClass>`` for every node they can print."""

    def emit(self, node: Node) -> str:
        method = getattr(self, f"emit_{type(node).__name__}", None)
        if method is None:
            raise NotationTranslationError(
                f"{type(self).__name__} cannot print {type(node).__name__}",
                getattr(node, "span", None))
        return method(node)
