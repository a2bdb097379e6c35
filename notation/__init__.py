"""notation: the algebra of neural networks, as in Grokking Deep Learning, chapter 7.

>>> import notation
>>> notation.parse("l2=relu( l_0 W_{0} ) W1").algebra()
'l2 = relu(l0W0)W1'
"""

from .errors import (NotationError, NotationNameError, NotationShapeError, NotationSyntaxError,
                     NotationTranslationError, NotationWarning)
from .api import Program, parse

__all__ = ["parse", "from_numpy", "compare", "init_weights", "Program", "NotationError", "NotationSyntaxError",
           "NotationNameError", "NotationShapeError", "NotationTranslationError",
           "NotationWarning"]

# Loaded on first use, so that `import notation` (and the CLI's start-up) pays for neither
# Python's ast nor NumPy.
_LAZY = {"from_numpy": ("notation.read.numpy", "from_numpy"),
         "compare": ("notation.comparing", "compare"),
         "init_weights": ("notation.weights", "init_weights")}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'notation' has no attribute {name!r}")


def load_ipython_extension(ipython):
    """``%load_ext notation``: registers the ``%%notation`` cell magic."""
    from .ipython import load_ipython_extension as load
    load(ipython)


__version__ = "0.1.0"
