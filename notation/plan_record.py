"""The base of ``plan.Plan``, where notation/api.py attaches the plan's methods.

A plan is built by notation/plan.py as a record of figures; printing it (``str(plan)``,
``plan.json()``) and running it (``plan(l0=x)``) belong to the views and the runner, above
the plan stage. notation/api.py attaches those methods here when ``notation`` is imported,
before any plan exists, so the plan stage imports neither views nor runner, and importing
``notation`` does not load the plan stage.
"""


class PlanRecord:
    """Methods from notation/api.py: ``text``, ``summary``, ``to_dict``, ``json``,
    ``__str__`` and ``__call__``."""

    __slots__ = ()
