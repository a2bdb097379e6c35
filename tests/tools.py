"""Real tools that some tests need (pdflatex, chromium, a fresh venv).

On a developer's machine without the tool the test is skipped; under
NOTATION_REQUIRE_TOOLS=1 (set by .ci/run) a missing tool fails the test instead.
"""

import os
import shutil

import pytest

# Set by ``pytest --slow`` (tests/conftest.py): properties run at their full counts.
FULL = os.environ.get("NOTATION_SLOW") == "1"


def missing(message: str):
    """A tool the test needs is not here: skip, or fail under NOTATION_REQUIRE_TOOLS=1."""
    if os.environ.get("NOTATION_REQUIRE_TOOLS") == "1":
        pytest.fail(message + " and NOTATION_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)


def require_tool(name: str) -> str:
    """The path of the executable ``name``, or skip (fail under NOTATION_REQUIRE_TOOLS=1)."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed")
    return path


def examples(n: int) -> int:
    """Hypothesis' max_examples for a property: ``n`` under ``pytest --slow`` (.ci/run),
    a tenth of it (at least 10) in the default run, which must stay quick."""
    return n if FULL else max(10, n // 10)
