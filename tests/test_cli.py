"""The command line, run as a user runs it: in a subprocess (SPEC §6, §7)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .tools import missing

BOOK = "l2 = relu(l0W0)W1"


def run(*args, stdin=None, cwd=None):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "notation", *args], input=stdin,
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=60)


def test_algebra_from_an_argument():
    r = run("algebra", "l2=relu( l_0 W_{0} ) W1")
    assert (r.returncode, r.stdout, r.stderr) == (0, "l2 = relu(l0W0)W1\n", "")


def test_algebra_from_stdin():
    r = run("algebra", stdin="δ1 = δ2 W1^T * relu'(l1)\n")
    assert (r.returncode, r.stdout) == (0, "δ1 = δ2W1ᵀ ⊙ relu'(l1)\n")


def test_algebra_from_a_file(tmp_path):
    f = tmp_path / "net.nn"
    f.write_text("# the book's network\nl1 = relu(l0 W0)\nl2 = l1 W1\n", encoding="utf-8")
    r = run("algebra", "-f", str(f))
    assert (r.returncode, r.stdout) == (0, "l1 = relu(l0W0)\nl2 = l1W1\n")


def test_ascii_algebra():
    r = run("algebra", "--ascii", "W1 -= αl1ᵀδ2")
    assert (r.returncode, r.stdout) == (0, "W1 -= \\alpha l1^T\\delta_2\n")


def test_bad_input_exits_1_with_the_rendered_error_and_no_traceback():
    r = run("algebra", "l2 = relu(l0W0")
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr == (
        "error: unclosed parenthesis\n"
        "  --> line 1, column 10\n"
        "   |\n"
        " 1 | l2 = relu(l0W0\n"
        "   |          ^ this ( is never closed\n"
        "   |               ^ the statement ends here\n"
        "   = add ')' to close it\n")


@pytest.mark.parametrize("command", ["algebra", "check", "show"])
@pytest.mark.parametrize("source", ["", "layer", "l2 = rleu(x)", "x +", "(" * 5000, "\x00",
                                    "l_{", "\\left( x )", "a ! b", "l0 : 1x2x3"])
def test_every_command_answers_bad_input_with_status_1(command, source):
    r = run(command, stdin=source)
    assert r.returncode == 1, r.stderr
    assert r.stdout == ""
    assert r.stderr.startswith("error: ")
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("args", [
    [], ["nonsense"], ["algebra", "--no-such-option", "x"], ["algebra", "x", "-f", "y.nn"],
    ["algebra", "-f", "/no/such/file.nn"], ["show", "x", "--sizes", "3,,1"],
    ["show", "x", "--sizes", "3,a-b"], ["check", "x", "--dims", "l0"],
    ["check", "l1 = l0W0", "--dims", "l0=3,l0=4"],
])
def test_bad_usage_exits_2(args):
    r = run(*args, stdin="")
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert "Traceback" not in r.stderr


def test_a_file_that_is_not_utf8_is_bad_usage(tmp_path):
    f = tmp_path / "latin1.nn"
    f.write_bytes("l2 = µ".encode("latin-1"))
    r = run("algebra", "-f", str(f))
    assert r.returncode == 2 and "UTF-8" in r.stderr


def test_a_byte_order_mark_at_the_start_of_a_file_is_not_part_of_the_program(tmp_path):
    # Windows editors save UTF-8 with a BOM; it used to be "unexpected character '\ufeff'".
    f = tmp_path / "net.nn"
    f.write_bytes("\ufeffl1 = relu(l0 W0)\nl2 = l1 W1\n".encode("utf-8"))
    r = run("algebra", "-f", str(f))
    assert (r.returncode, r.stdout, r.stderr) == (0, "l1 = relu(l0W0)\nl2 = l1W1\n", "")
    r = run("algebra", "-f", "-", stdin="\ufeffl2 = l1W1\n")
    assert (r.returncode, r.stdout, r.stderr) == (0, "l2 = l1W1\n", "")
    book = tmp_path / "book.py"
    book.write_bytes("\ufefflayer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)\n"
                     .encode("utf-8"))
    algebra = tmp_path / "net2.nn"
    algebra.write_bytes(("\ufeff" + BOOK + "\n").encode("utf-8"))
    r = run("compare", str(algebra), str(book))
    assert r.returncode == 0, r.stderr
    assert "equivalent" in r.stdout


def test_a_byte_order_mark_inside_the_text_is_still_an_error(tmp_path):
    f = tmp_path / "net.nn"
    f.write_bytes("\ufeffl1 = relu(l0 W0)\n\ufeffl2 = l1 W1\n".encode("utf-8"))
    r = run("algebra", "-f", str(f))
    assert r.returncode == 1 and r.stdout == ""
    assert "unexpected character '\\ufeff'" in r.stderr and "line 2, column 1" in r.stderr
    assert "Traceback" not in r.stderr


def test_output_file_is_written_on_success(tmp_path):
    out = tmp_path / "out.txt"
    r = run("algebra", BOOK, "-o", str(out))
    assert (r.returncode, r.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == BOOK + "\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary left behind


def test_a_failed_command_leaves_an_existing_output_untouched(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("precious\n", encoding="utf-8")
    r = run("algebra", "l2 = relu(", "-o", str(out))
    assert r.returncode == 1
    assert out.read_text(encoding="utf-8") == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failed_command_creates_no_output(tmp_path):
    out = tmp_path / "new.txt"
    r = run("algebra", "x +", "-o", str(out))
    assert r.returncode == 1 and not out.exists()


def test_show_prints_the_readme_command():
    r = run("show", BOOK, "--sizes", "3,4,1")
    assert r.returncode == 0, r.stderr
    assert "l2 = relu(l0W0)W1" in r.stdout


def test_check_reports_success():
    r = run("check", "l1 = relu(l0W0); l2 = l1W1")
    assert r.returncode == 0 and r.stdout.startswith("ok")


def test_the_console_script_is_installed():
    # pip puts the script beside the interpreter that installed the package; PATH may not
    # hold that directory (an interpreter run by its full path).
    beside = Path(sys.executable).with_name("notation")
    exe = str(beside) if beside.exists() else shutil.which("notation")
    if exe is None:
        missing("the console script notation is not installed beside the interpreter")
    r = subprocess.run([exe, "algebra", BOOK], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (0, BOOK + "\n")


def test_the_process_ends_with_its_output_whole(tmp_path):
    # The command leaves with os._exit (cli.entry), once main has written and flushed its
    # output: 80,000 lines through a pipe, an error on stderr and -o all arrive whole.
    program = "\n".join(f"l{k + 1} = relu(l{k}W{k})" for k in range(20_000))
    (tmp_path / "net.nn").write_text(program, encoding="utf-8")
    r = run("numpy", "-f", str(tmp_path / "net.nn"))
    assert r.returncode == 0 and r.stdout == numpy_of(program) + "\n"
    r = run("plan", "-f", str(tmp_path / "net.nn"), "-o", str(tmp_path / "plan.txt"))
    assert r.returncode == 0 and (tmp_path / "plan.txt").read_text(encoding="utf-8") \
        == plan_of(program) + "\n"
    r = run("check", "l0 : 1×3\nl1 = l0l0")
    assert r.returncode == 1 and r.stderr.startswith("error: ") and r.stderr.endswith("\n")
    assert r.stderr.count("\n") > 3 and "Traceback" not in r.stderr


def numpy_of(program: str) -> str:
    from notation import parse
    return parse(program).numpy()


def plan_of(program: str) -> str:
    from notation import parse
    return str(parse(program).plan())


@pytest.mark.parametrize("command", ["algebra", "numpy", "latex"])
def test_the_cli_imports_neither_numpy_nor_sympy_nor_lark(command):
    # The parser's tables are plain data committed in notation/_tables.py.
    code = ("import sys; from notation.cli import main; "
            f"main([{command!r}, 'l2 = relu(l0W0)W1']); main([{command!r}, 'l2 = relu(l0W0)W1']); "
            "print(sorted(m for m in ('numpy', 'sympy', 'lark') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "[]"


def test_a_run_writes_nothing_to_the_cache_folder(tmp_path):
    # The parser's tables are committed (notation/_tables.py): nothing is built or cached.
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    r = subprocess.run([sys.executable, "-m", "notation", "algebra", "l2=relu(l0 W0)W1"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert (r.returncode, r.stdout) == (0, "l2 = relu(l0W0)W1\n")
    assert list(tmp_path.iterdir()) == []


def test_backward_in_every_view():
    r = run("backward", BOOK)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-2:] == ["W1 -= αl1ᵀδ2", "W0 -= αl0ᵀδ1"]
    r = run("backward", BOOK, "--to", "numpy")
    assert r.returncode == 0, r.stderr
    assert "layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)" in r.stdout
    r = run("backward", BOOK, "--to", "latex")
    assert r.returncode == 0 and "\\delta_{1} &= \\delta_{2} W_{1}^{\\top}" in r.stdout
    r = run("backward", BOOK, "--to", "plan", "--sizes", "3,4,1")
    assert r.returncode == 0, r.stderr
    assert "W0 -= " in r.stdout


def test_backward_refusals_exit_1():
    r = run("backward", "l2 = softmax(l1W1)")
    assert r.returncode == 1
    assert r.stderr.startswith("error: a softmax output is trained with the cross-entropy loss")
    assert "--loss cross_entropy" in r.stderr


def test_output_file_gets_ordinary_permissions(tmp_path):
    out = tmp_path / "out.txt"
    r = run("algebra", BOOK, "-o", str(out))
    assert r.returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    out.chmod(0o640)
    assert run("algebra", BOOK, "-o", str(out)).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o640


def test_show_fits_in_100_columns_without_colour_when_piped():
    long = "l1 = relu(l0W0 + b0) ⊙ M1; l2 = softmax(l1W1 + b1); " \
           "l3 = l2W2 + l2W3 + l2W4 + l2W5 + l2W6 + l2W7 + l2W8 + l2W9 + l2W10 + l2W11"
    r = run("show", long, "--sizes", "784,40,10,10", "--batch", "b")
    assert r.returncode == 0, r.stderr
    assert "\x1b[" not in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 100
    for title in ("algebra", "NumPy", "LaTeX", "plan", "diagram"):
        assert f"── {title} ─" in r.stdout


def test_show_is_coloured_on_a_terminal_unless_no_color(tmp_path):
    import pty
    code = ("import sys; from notation.cli import main; "
            "sys.exit(main(['show', 'l2 = relu(l0W0)W1', '--sizes', '3,4,1']))")

    def on_a_terminal(env):
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(sys.executable, [sys.executable, "-c", code], env)
        chunks = []
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.waitpid(pid, 0)
        return b"".join(chunks).decode("utf-8", "replace")

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm"
    assert "\x1b[1;36m── algebra" in on_a_terminal(env)
    assert "\x1b[" not in on_a_terminal({**env, "NO_COLOR": "1"})


def test_show_html_and_diagram_svg_files(tmp_path):
    import xml.etree.ElementTree as ET
    page = tmp_path / "net.html"
    r = run("show", BOOK, "--sizes", "3,4,1", "--html", "-o", str(page))
    assert r.returncode == 0, r.stderr
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    picture = tmp_path / "net.svg"
    r = run("diagram", BOOK, "--sizes", "3,4,1", "-o", str(picture))
    assert r.returncode == 0, r.stderr
    ET.parse(picture)   # well-formed
    r = run("diagram", BOOK, "--sizes", "3,4,1")
    assert "l1 · layer_1 · 1×4 · relu" in r.stdout


def test_show_reports_a_shape_error_with_status_1():
    r = run("show", "l2 = relu(l0W0)W1; W1 : 5×1", "--sizes", "3,4,1")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("error: ")
