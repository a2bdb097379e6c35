"""Every command of ``notation`` answers bad input and bad usage as SPEC §6 and §7 say.

Run as a user runs it, in a subprocess:

- bad input (a syntax error, an unknown function, shapes that disagree, arrays or files that
  do not fit): status 1, nothing on stdout, the rendered error on stderr, no traceback;
- bad usage (an unknown option, a missing argument, a file that cannot be read): status 2,
  nothing on stdout, no traceback;
- ``-o FILE`` on a command that fails leaves an existing FILE as it was, and creates none.

tests/test_cli.py runs ten bad programs through algebra, check and show; here every command
gets the bad programs that matter to it, and the inputs only some commands read (.npz files
for ``run``; .nn, .tex and .py files for ``compare``).
"""

import os
import re
import subprocess
import sys

import numpy as np
import pytest

BOOK = "l2 = relu(l0W0)W1"
SIZES = ("--sizes", "3,4,1")
# Shapes that disagree: W1 declared 5×1 where l1 is 1×4.
SHAPE_ERROR = "l2 = relu(l0W0)W1; W1 : 5×1"
# The same without --sizes, for commands that take no shape options.
DECLARED_SHAPE_ERROR = "l0 : 1×3; W0 : 4×4; l1 = l0W0"

# The commands `notation --help` lists; test_the_table_has_every_command keeps them in step.
COMMANDS = ["show", "diagram", "algebra", "check", "plan", "run", "numpy", "latex", "compare",
            "backward", "init"]
WITH_OUTPUT = [c for c in COMMANDS if c != "check"]          # the commands that take -o FILE
WITH_FILE = [c for c in COMMANDS if c != "compare"]          # ... that read -f FILE and stdin
WITH_SHAPES = ["show", "diagram", "check", "plan", "run", "backward", "init"]   # --sizes and --dims


class In(str):
    """An argument that names a file of the ``files`` fixture: ``In("good.npz")``."""


def run(*args, stdin="", cwd=None, files=None):
    args = [str(files / a) if isinstance(a, In) else a for a in args]
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "notation", *args], input=stdin,
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=60)


def assert_bad_input(r):
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert r.stdout == ""
    assert r.stderr.startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr


def assert_bad_usage(r):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stdout == ""
    assert "error: " in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Input files, good and bad, made once for the module."""
    folder = tmp_path_factory.mktemp("inputs")
    rng = np.random.default_rng(0)
    x, w0, w1 = (rng.standard_normal(shape) for shape in ((1, 3), (3, 4), (4, 1)))
    arrays = {
        "good.npz": dict(l0=x, W0=w0, W1=w1),
        "three_d.npz": dict(l0=x.reshape(1, 1, 3), W0=w0, W1=w1),
        "scalar_layer.npz": dict(l0=np.float64(2.0), W0=w0, W1=w1),
        "array_alpha.npz": dict(x=x, α=np.ones((2, 2))),
        "strings.npz": dict(l0=np.array([["a", "b", "c"]]), W0=w0, W1=w1),
        "dates.npz": dict(l0=np.array([["2020-01-01"] * 3], dtype="datetime64[D]"), W0=w0, W1=w1),
        "records.npz": dict(l0=np.zeros((1, 3), dtype=[("a", "f8")]), W0=w0, W1=w1),
        "objects.npz": dict(l0=np.array([[None, 1, 2]], dtype=object), W0=w0, W1=w1),
        "complex.npz": dict(l0=x.astype(complex), W0=w0, W1=w1),
    }
    for name, contents in arrays.items():
        np.savez(folder / name, **contents)
    np.save(folder / "one_array.npy", x)
    (folder / "garbage.npz").write_bytes(b"garbage")
    (folder / "a_folder.npz").mkdir()
    texts = {
        "net.nn": BOOK + "\n",
        "syntax.nn": "l2 = relu(l0W0\n",
        "unknown.nn": "l2 = rleu(l0W0)W1\n",
        "nul.nn": "l2 = relu(l0W0)W1\x00\n",
        "empty.nn": "",
        "input.tex": "\\[ l_{2} = \\input{/etc/passwd} \\]\n",
        "unbalanced.tex": "\\[ l_{2} = \\left( l_{0} W_{0} \\]\n",
        "syntax.py": "def f(:\n",
        "nul.py": "layer_2 = layer_0\x00\n",
        "unterminated.py": 'layer_2 = """\n',
        "import.py": "import os\nos.system('touch pwned')\n",
        "dunder.py": "__import__('os').system('touch pwned')\n",
        "exec.py": "exec('open(\"pwned\", \"w\")')\n",
        "eval.py": "def run(*, layer_0):\n    return {'l2': eval('layer_0')}\n",
        "comment.py": "# nothing but a comment\n",
        "deep.py": "layer_2 = layer_0" + ".T" * 100_000 + "\n",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "latin1.py").write_bytes("layer_2 = µ".encode("latin-1"))
    (folder / "a_folder.py").mkdir()
    return folder


def test_the_table_has_every_command():
    r = run("--help")
    assert r.returncode == 0
    listed = re.findall(r"^ {4}(\w+) ", r.stdout.split("positional arguments:")[1], re.M)
    assert listed == COMMANDS


# ---------------------------------------------------------------------------- bad input: status 1

# Programs no command reads; the cases of test_cli.py for algebra, check and show, here for the
# others. (NUL cannot be an argument: it comes on stdin, or in a file for compare.)
BAD_PROGRAMS = ["l2 = relu(l0W0", "l2 = rleu(l0W0)W1", "layer", "l2 = x\x00", "",
                "W1 -= αl1ᵀδ2\n" + "(" * 3000, "l0 : 1x2x3", "l2 = x \\input{/etc/passwd}"]
OTHER_COMMANDS = ["diagram", "plan", "run", "numpy", "latex", "backward"]


@pytest.mark.parametrize("command", OTHER_COMMANDS)
@pytest.mark.parametrize("source", BAD_PROGRAMS, ids=repr)
def test_every_command_answers_a_bad_program_with_status_1(command, source, files):
    extra = ("--inputs", str(files / "good.npz")) if command == "run" else ()
    assert_bad_input(run(command, *extra, stdin=source))


@pytest.mark.parametrize("name", ["syntax.nn", "unknown.nn", "nul.nn", "empty.nn"])
def test_compare_answers_a_bad_program_with_status_1(name, files):
    assert_bad_input(run("compare", BOOK, str(files / name)))


# Each command that checks shapes, as it is asked to.
SHAPE_ERRORS = [
    ["check", SHAPE_ERROR, *SIZES],
    ["plan", SHAPE_ERROR, *SIZES],
    ["plan", SHAPE_ERROR, *SIZES, "--json"],
    ["show", SHAPE_ERROR, *SIZES],
    ["show", SHAPE_ERROR, *SIZES, "--html"],
    ["diagram", SHAPE_ERROR, *SIZES],
    ["diagram", SHAPE_ERROR, *SIZES, "--svg"],
    ["run", SHAPE_ERROR, *SIZES, "--inputs", In("good.npz")],
    ["run", SHAPE_ERROR, "--inputs", In("good.npz"), "--style", "book"],
    ["numpy", DECLARED_SHAPE_ERROR, "--style", "plan"],
    ["numpy", DECLARED_SHAPE_ERROR, "--style", "plan", "--module"],
    ["backward", SHAPE_ERROR, *SIZES, "--to", "plan"],
    # compare checks shapes when it runs the views on random arrays (two views whose trees
    # are equal are equivalent at once, whatever their declarations say)
    ["compare", "l0 : 1×3; W0 : 4×4; l2 = l0W0", BOOK],
]


@pytest.mark.parametrize("args", SHAPE_ERRORS, ids=" ".join)
def test_every_command_that_checks_shapes_reports_a_mismatch(args, files):
    r = run(*args, files=files)
    assert_bad_input(r)
    assert re.search("shape|×", r.stderr.splitlines()[0]), r.stderr


# Arrays that do not fit the program: the shape error, at the name.
RUN_INPUT_ERRORS = [
    (BOOK, "three_d.npz", "error: l0 must be a 2-D array, but it is an array of shape (1, 1, 3)"),
    (BOOK, "scalar_layer.npz", "error: l0 must be a 2-D array, but it is a float"),
    ("y = αx", "array_alpha.npz", "error: α must be a scalar (a number)"),
]


@pytest.mark.parametrize("source,name,first_line", RUN_INPUT_ERRORS)
def test_run_reports_arrays_that_do_not_fit_with_status_1(source, name, first_line, files):
    r = run("run", source, "--inputs", str(files / name))
    assert_bad_input(r)
    assert r.stderr.startswith(first_line)


# Files compare cannot read as a view. None of them runs: compare reads Python with ast.
COMPARE_INPUT_ERRORS = [
    ("input.tex", "error: unknown command \\input"),
    ("unbalanced.tex", "error: "),
    ("syntax.py", "error: the Python source does not parse"),
    ("nul.py", "error: the Python source does not parse"),
    ("unterminated.py", "error: the Python source does not parse"),
    # imports are skipped (a notebook cell imports sys, keras…); the call is what is refused
    ("import.py", "error: this call cannot be read"),
    ("dunder.py", "error: this call cannot be read into the notation"),
    ("exec.py", "error: exec() is not a function of the notation"),
    ("eval.py", "error: "),
    ("comment.py", "error: there is no statement to read"),
    ("deep.py", "error: the Python source nests too deeply to read"),
]


@pytest.mark.parametrize("name,start", COMPARE_INPUT_ERRORS)
def test_compare_reports_a_view_it_cannot_read_with_status_1(name, start, files, tmp_path):
    r = run("compare", BOOK, str(files / name), cwd=tmp_path)
    assert_bad_input(r)
    assert r.stderr.startswith(start)
    assert list(tmp_path.iterdir()) == []            # nothing ran: no file "pwned"


# ---------------------------------------------------------------------------- bad usage: status 2

def command(name, *rest):
    """``notation name *rest``, with the --inputs that run requires (so that the usage error
    tested is the one in ``rest``)."""
    return [name, *rest, *(("--inputs", In("good.npz")) if name == "run" else ())]


USAGE = (
    [command(c, "--no-such-option", BOOK) for c in COMMANDS]
    + [command(c, "-f") for c in WITH_FILE]
    + [command(c, "-f", "/no/such/file.nn") for c in WITH_FILE]
    + [command(c, BOOK, "-f", In("net.nn")) for c in WITH_FILE]
    + [command(c, BOOK, "--sizes", "3,,1") for c in WITH_SHAPES if c not in ("show", "check")]
    + [command(c, BOOK, "--dims", "l0") for c in WITH_SHAPES if c != "check"]
    + [command(c, BOOK, "--batch", "0") for c in WITH_SHAPES]
    + [command(c, BOOK, "--dims", "W0=3") for c in WITH_SHAPES]     # a matrix needs two dims
    + [command(c, BOOK, "-o") for c in WITH_OUTPUT]
    + [
        ["run", BOOK],                                        # --inputs is required
        command("run", BOOK, "--style", "nosuch"),
        ["numpy", BOOK, "--style", "nosuch"],
        ["numpy", BOOK, "--naming", "nosuch"],
        ["numpy", BOOK, *SIZES],                              # numpy checks no shapes
        ["latex", BOOK, *SIZES],
        ["plan", BOOK, "--dtype", "int8"],
        ["backward", BOOK, "--loss", "hinge"],
        ["backward", BOOK, "--to", "html"],
        ["compare"],
        ["compare", BOOK],
        ["compare", BOOK, BOOK, "--naming", "nosuch"],
        ["compare", BOOK, "/no/such/file.py"],
        ["compare", BOOK, In("latin1.py")],
        ["compare", BOOK, In("a_folder.py")],
        ["compare", BOOK, "-f", In("net.nn")],
    ]
)


@pytest.mark.parametrize("args", USAGE, ids=" ".join)
def test_bad_usage_exits_2(args, files):
    assert_bad_usage(run(*args, files=files))


# A file of inputs that is no .npz of numbers: bad usage, as a missing -f file is.
RUN_USAGE_ERRORS = [
    ("missing.npz", "cannot read"),
    ("garbage.npz", "is not an .npz file"),      # issue 17: says so plainly
    ("a_folder.npz", "cannot read"),
    ("objects.npz", "cannot read"),
    ("one_array.npy", "is one array (an .npy file)"),
    ("strings.npz", "holds <U1 values, not numbers"),
    ("dates.npz", "holds datetime64[D] values, not numbers"),
    ("records.npz", "not numbers"),
    ("complex.npz", "holds complex128 values, not real numbers"),
]


@pytest.mark.parametrize("name,says", RUN_USAGE_ERRORS)
def test_run_refuses_a_file_of_inputs_it_cannot_use_with_status_2(name, says, files):
    r = run("run", BOOK, "--inputs", str(files / name))
    assert_bad_usage(r)
    assert r.stderr.startswith("notation run: error: ") and says in r.stderr


# Every kind of array an .npz holds, through a program that computes activations, derivatives
# and an update in place. Integers and booleans run as float64, in every style, and print what
# the same floats print; the rest is bad usage. (In this process, for speed: a traceback would
# be an exception out of main.)
TRAINING = ("l1 = sigmoid(l0W0)\nδ1 = (l1 - y) ⊙ relu'(l1)\nW0 -= αl0ᵀδ1\n"
            "z = tanh(l1) ⊙ l1 / l1")
WHOLE = ["?", "i1", "i8", "u1", "u8"]
REAL = WHOLE + ["f2", "f4", "f8", "g"]
UNUSABLE = ["c8", "c16", "U1", "S1", "M8[D]", "m8[s]", "V8"]


@pytest.mark.parametrize("style", ["plan", "book", "matmul"])
def test_run_answers_arrays_of_every_dtype_without_a_traceback(style, tmp_path, capsys):
    from notation.cli import main

    def run_with(dtype):
        arrays = {k: np.ones(s).astype(dtype)
                  for k, s in [("l0", (2, 3)), ("W0", (3, 4)), ("y", (2, 4)), ("α", ())]}
        path = tmp_path / f"{dtype}.npz"
        np.savez(path, **arrays)
        status = main(["run", TRAINING, "--inputs", str(path), "--style", style])
        return status, *capsys.readouterr()

    floats = run_with("f8")
    assert floats[0] == 0, floats
    for dtype in REAL:
        status, out, err = run_with(dtype)
        assert status == 0, (dtype, err)
        if dtype in WHOLE:
            assert (out, err) == floats[1:], dtype
    for dtype in UNUSABLE:
        status, out, err = run_with(dtype)
        assert (status, out) == (2, ""), (dtype, err)
        assert err.startswith("notation run: error: ") and "numbers" in err, (dtype, err)


# ---------------------------------------------------------------------------- -o FILE

FAILING = {
    "show": ["show", SHAPE_ERROR, *SIZES],
    "diagram": ["diagram", SHAPE_ERROR, *SIZES],
    "algebra": ["algebra", "l2 = relu("],
    "plan": ["plan", SHAPE_ERROR, *SIZES],
    "run": ["run", BOOK, "--inputs", In("strings.npz")],
    "numpy": ["numpy", "l2 = rleu(l0W0)W1"],
    "latex": ["latex", "l2 = x \\input{y}"],
    "compare": ["compare", BOOK, In("dunder.py")],
    "backward": ["backward", "l2 = softmax(l1W1)"],
    "init": ["init", SHAPE_ERROR, *SIZES],
}


def test_the_failing_table_has_every_command_with_output():
    assert sorted(FAILING) == sorted(WITH_OUTPUT)


@pytest.mark.parametrize("command", WITH_OUTPUT)
def test_a_failed_command_leaves_an_existing_output_untouched(command, files, tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("precious\n", encoding="utf-8")
    args = FAILING[command]
    r = run(*args, "-o", str(out), files=files)
    assert r.returncode in (1, 2) and r.stdout == "" and "Traceback" not in r.stderr
    assert out.read_text(encoding="utf-8") == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]    # no temporary left behind
    new = tmp_path / "new.txt"
    assert run(*args, "-o", str(new), files=files).returncode in (1, 2)
    assert not new.exists()


def test_show_cuts_a_long_line_into_pieces_of_the_width():
    # issue 16: the rest of a long line was copied for each piece (quadratic: show of a
    # 999,993-character chain took over 40 s); the pieces are what that loop made.
    import random
    import time

    from notation.cli_commands import _fit

    def by_the_rest(line, width):
        if len(line) <= width:
            return [line]
        pieces, rest = [line[:width]], line[width:]
        while rest:
            pieces.append("↪ " + rest[:width - 2])
            rest = rest[width - 2:]
        return pieces

    rng = random.Random(3)
    for _ in range(500):
        width = rng.randint(3, 30)
        line = "".join(rng.choice("ab ·") for _ in range(rng.randint(0, 200)))
        assert _fit(line, width) == by_the_rest(line, width), (line, width)
    start = time.process_time()
    pieces = _fit("W" * 2_000_000, 80)
    assert len(pieces) == 1 + -(-(2_000_000 - 80) // 78) and time.process_time() - start < 2
