"""The README's walk-through and tour, run as written (issue 17): every ``$ command`` of its
``console`` blocks runs, in order, in one fresh directory, through the installed ``notation``
command, and prints what the README shows after it. A shown ``…`` stands for lines left out;
a command shown with no output must succeed (``-o`` commands, the tour's ``run``)."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .test_first_hour import notation_cmd

README = Path(__file__).resolve().parent.parent / "README.md"


def console_blocks(text: str) -> list[list[str]]:
    """The lines of each ```console block."""
    return [block.splitlines() for block in re.findall(r"```console\n(.*?)```", text, re.S)]


def commands(lines: list[str]) -> list[tuple[str, list[str]]]:
    """(command, the output shown after it) for each ``$ `` line of a block; a command
    whose quotes are open goes on to the next line, as the shell reads it."""
    out: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("$ "):
            out[-1][1].append(line)
            i += 1
            continue
        command = line[2:]
        while _open_quote(command):
            i += 1
            command += "\n" + lines[i]
        out.append((command, []))
        i += 1
    return [(c, _trim(shown)) for c, shown in out]


def _open_quote(command: str) -> bool:
    try:
        shlex.split(command, comments=True)
    except ValueError:
        return True
    return False


def _trim(shown: list[str]) -> list[str]:
    while shown and not shown[-1].strip():
        shown.pop()
    return shown


def matches(shown: list[str], printed: list[str]) -> bool:
    """The printed lines are the shown ones, where each ``…`` line stands for any lines."""
    pattern = "".join(".*?\n" if line.strip() == "…" else re.escape(line.rstrip()) + "\n"
                      for line in shown)
    text = "".join(line.rstrip() + "\n" for line in printed)
    return re.fullmatch(pattern.replace(".*?\n", "(?:.*\n)*?"), text) is not None


def all_commands() -> list[tuple[str, list[str]]]:
    return [c for block in console_blocks(README.read_text(encoding="utf-8"))
            for c in commands(block)]


def test_the_readme_parses_into_commands():
    found = all_commands()
    assert len(found) >= 20
    assert any(c.startswith("notation init ") for c, _ in found)
    assert any(c.startswith("notation backward ") for c, _ in found)
    # a command with a newline inside its quotes is one command
    assert any(c.startswith('notation check "l2 = relu(l0W0)W1\nW1 : 5×1"') for c, _ in found)
    assert matches(["a", "…", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "…"], ["a", "b"]) and not matches(["a", "c"], ["a", "b"])


@pytest.mark.slow
def test_every_readme_command_prints_what_the_readme_shows(tmp_path):
    # the README's `notation` is the installed console script, and `python` this interpreter
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "notation").symlink_to(notation_cmd())
    (bin_dir / "python").symlink_to(sys.executable)
    env = dict(os.environ, NO_COLOR="1", COLUMNS="100",
               PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    env.pop("FORCE_COLOR", None)
    work = tmp_path / "work"
    work.mkdir()
    failures = []
    for command, shown in all_commands():
        r = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True,
                           text=True, timeout=120)
        printed = (r.stdout + r.stderr).splitlines()
        if "Traceback" in r.stderr:
            failures.append(f"$ {command}\n  a traceback:\n{r.stderr}")
        elif not shown:
            if r.returncode != 0:
                failures.append(f"$ {command}\n  exit {r.returncode}:\n{r.stderr}")
        elif not matches(shown, printed):
            failures.append(f"$ {command}\n  shown:\n" + "\n".join(shown)
                            + "\n  printed:\n" + "\n".join(printed))
    assert not failures, "\n\n".join(failures)
