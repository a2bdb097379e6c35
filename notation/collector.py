"""Running a function with Python's cyclic garbage collector paused.

The views and plans of a large network are built from hundreds of thousands of small
strings, tuples and records that form no cycle; the collector's passes over them (and over
the plan they hold) find nothing to free and cost more, per decade, than the work itself
(docs/performance.md, "Growth per decade"). Reference counting still frees everything.

>>> import gc
>>> @paused
... def enabled():
...     return gc.isenabled()
>>> enabled(), gc.isenabled()
(False, True)
"""

from __future__ import annotations

import functools
import gc


def paused(function):
    """``function`` run with the collector disabled, then restored as it was (a caller
    that had paused it finds it still paused)."""
    @functools.wraps(function)
    def run_paused(*args, **kwargs):
        collecting = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if collecting:
                gc.enable()
    return run_paused
