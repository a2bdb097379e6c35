"""The grammar ships inside the wheel: build it, install it in a fresh venv, parse with it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .tools import missing

ROOT = Path(__file__).resolve().parent.parent


def _run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


def _need(result, what):
    if result.returncode != 0:
        # e.g. no network for the build backend on a laptop
        missing(f"{what} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


@pytest.mark.slow
def test_wheel_carries_the_grammar_and_parses_in_a_fresh_venv(tmp_path):
    wheels = tmp_path / "wheels"
    _need(_run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                str(ROOT)]), "building the wheel")
    [wheel] = list(wheels.glob("notation-*.whl"))

    import zipfile
    names = zipfile.ZipFile(wheel).namelist()
    assert "notation/grammar/notation.lark" in names and "notation/_tables.py" in names

    venv = tmp_path / "venv"
    _need(_run([sys.executable, "-m", "venv", str(venv)]), "creating a venv")
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _need(_run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)]),
          "installing the wheel")

    code = ("import notation, notation.parser as p; "
            "print(p.grammar_path()); "
            "print(notation.parse('l2=relu( l_0 W_{0} ) W1').algebra())")
    # Run from an empty folder so that the repository cannot be imported by accident.
    r = _run([str(python), "-c", code], cwd=tmp_path,
             env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": ""})
    assert r.returncode == 0, r.stderr
    grammar_file, algebra = r.stdout.splitlines()
    assert Path(grammar_file).is_relative_to(venv)
    assert algebra == "l2 = relu(l0W0)W1"

    notation_exe = venv / "bin" / "notation"
    r = _run([str(notation_exe), "algebra", "W1 -= α l1^T δ2"], cwd=tmp_path,
             env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": ""})
    assert (r.returncode, r.stdout) == (0, "W1 -= αl1ᵀδ2\n"), r.stderr
