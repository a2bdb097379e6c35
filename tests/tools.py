"""Real tools that some tests need (pdflatex, chromium, a fresh venv).

On a developer's machine without the tool the test is skipped; under
NOTATION_REQUIRE_TOOLS=1 (set by .ci/run) a missing tool fails the test instead.
"""

import os
import shutil

import pytest


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
