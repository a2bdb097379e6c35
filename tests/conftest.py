"""The two runs of the suite.

``pytest`` (the default, for a change being made) deselects the tests marked ``slow`` and
runs each hypothesis property on a tenth of its examples (``tools.examples``; 10 for a
property without settings of its own): it needs no tool beyond the ``[test]`` extra.

``pytest --slow`` (what ``.ci/run`` does) runs every test, the slow ones too, and every
property at its full count. The slow tests are the ones that build a wheel and a venv, call
pdflatex or headless Chromium, or work through inputs of ten thousand factors and more.
``pytest -m slow`` runs only those.
"""

from hypothesis import settings

from . import tools

settings.register_profile("quick", max_examples=10)
settings.register_profile("full", max_examples=100)


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true",
                     help="run every test, the slow ones too, and hypothesis at full counts")


def pytest_configure(config):
    if config.getoption("slow"):
        config.option.markexpr = ""          # overrides addopts' -m "not slow"
        tools.FULL = True
    settings.load_profile("full" if tools.FULL else "quick")
