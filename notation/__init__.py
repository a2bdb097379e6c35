"""notation: the algebra of neural networks, as in Grokking Deep Learning, chapter 7.

>>> import notation
>>> notation.parse("l2=relu( l_0 W_{0} ) W1").algebra()
'l2 = relu(l0W0)W1'
"""

from .errors import (NotationError, NotationNameError, NotationShapeError, NotationSyntaxError,
                     NotationTranslationError)
from .nodes import Program
from .parser import parse

__all__ = ["parse", "Program", "NotationError", "NotationSyntaxError", "NotationNameError",
           "NotationShapeError", "NotationTranslationError"]
__version__ = "0.1.0"
