"""The repros of issue 16 (an adversarial review), one test each: every one finishes quickly,
raises nothing but a NotationError from the API, and exits 0, 1 or 2 without a traceback
from the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

import notation
from notation import NotationError, parse
from notation.errors import NotationOptionError, NotationRunError

BOOK = "l2 = relu(l0W0)W1"


def quick(seconds: float = 2.0):
    """A context that fails when its body takes longer than ``seconds``."""
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()
            return self

        def __exit__(self, *exc):
            elapsed = time.perf_counter() - self.start
            assert exc[0] is not None or elapsed < seconds, f"took {elapsed:.1f} s"
            return False
    return Timer()


def cli(*args, stdin: str | bytes | None = None, **kw):
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    kw.setdefault("stdout", subprocess.PIPE)
    r = subprocess.run([sys.executable, "-m", "notation", *args], stderr=subprocess.PIPE,
                       input=stdin.encode() if isinstance(stdin, str) else stdin, env=env,
                       timeout=60, **kw)
    assert "Traceback" not in r.stderr.decode(errors="replace"), r.stderr
    return r


# ---------------------------------------------------------------------------- H3: SymPy

@pytest.mark.parametrize("number", ["1e-9999999", "1e99999999999", "9" * 5000])
def test_a_number_too_large_for_exact_arithmetic_is_refused_at_its_place(number):
    pytest.importorskip("sympy")            # its import alone can take seconds
    source = f"y = {number} x"
    with quick(), pytest.raises(notation.NotationTranslationError) as info:
        parse(source).to_sympy()
    assert info.value.span.start == 4 and info.value.source == source


def test_exact_numbers_stay_exact():
    sp = pytest.importorskip("sympy")
    value = parse("y = 0.5x + 1e-3x + 2.5e2x").to_sympy()["y"]
    x = sp.MatrixSymbol("x", *value.shape)
    assert sp.simplify(value - sp.Rational(250501, 1000) * x) == sp.ZeroMatrix(*value.shape)


# ---------------------------------------------------------------------------- M1, M2, M6: compile()

def weights():
    return np.ones((3, 4)), np.ones((4, 1))


def test_array_likes_are_converted():
    f = parse(BOOK).compile(sizes="3,4,1")
    W0, W1 = weights()
    expected = f(l0=np.array([[1., 2., 3.]]), W0=W0, W1=W1)["l2"]
    assert f(l0=[[1., 2., 3.]], W0=W0.tolist(), W1=W1)["l2"].tolist() == expected.tolist()
    assert f(l0=((1, 2, 3),), W0=W0, W1=W1)["l2"].tolist() == expected.tolist()


def test_an_np_matrix_computes_as_an_array():
    # np.matrix's * is a product: it is converted before the code runs.
    f = parse("y = x ⊙ x").compile()
    out = f(x=np.matrix([[1., 2.], [3., 4.]]))["y"]
    assert type(out) is np.ndarray and out.tolist() == [[1., 4.], [9., 16.]]


@pytest.mark.parametrize("value, what", [(None, "a NoneType"), ("abc", "a str"),
                                         (1.5, "a float"), ({"a": 1}, "a dict"),
                                         ([[1, 2], [3]], "a list"),
                                         (np.ma.masked_array(np.ones((1, 3))), "an array")])
def test_what_is_no_array_is_refused_by_name(value, what):
    f = parse(BOOK).compile(sizes="3,4,1")
    W0, W1 = weights()
    with pytest.raises(notation.NotationShapeError) as info:
        f(l0=value, W0=W0, W1=W1)
    assert info.value.message.startswith(f"l0 must be a 2-D array, but it is {what}")
    assert "l0" in str(info.value) and "^" in str(info.value)


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int8, bool])
@pytest.mark.parametrize("style", ["plan", "book", "matmul"])
def test_a_symbolic_batch_takes_arrays_of_any_real_type(dtype, style):
    program = parse("l0 : b×3\nl1 = sigmoid(l0W0)")
    f = program.compile(style=style)
    x, W = np.ones((2, 3), dtype), np.ones((3, 4), dtype)
    if dtype is bool and style != "plan":
        # The book's code runs on what it is given, and NumPy has no -x of booleans.
        with pytest.raises(NotationRunError, match="boolean negative"):
            f(l0=x, W0=W)
        return
    out = f(l0=x, W0=W)["l1"]
    assert out.shape == (2, 4)
    assert np.allclose(out, 1 / (1 + np.exp(-3.0)), rtol=1e-3)    # int8 computes in float16


def test_a_symbolic_batch_still_checks_the_shapes():
    f = parse("l0 : b×3\nl1 = sigmoid(l0W0)").compile()
    with pytest.raises(notation.NotationShapeError):
        f(l0=np.ones((2, 3), np.float32), W0=np.ones((4, 4), np.float32))


def run_error(source: str, style: str = "plan", **inputs) -> NotationError:
    f = parse(source).compile(style=style)
    with quick(), pytest.raises(NotationError) as info:
        f(**inputs)
    rendered = str(info.value)
    assert rendered.startswith("error: ") and "Traceback" not in rendered
    return info.value


@pytest.mark.parametrize("style", ["plan", "book"])
def test_numpy_errors_become_located_notation_errors(style):
    e = run_error("γ = softmax(α)", style, α=1.0)
    assert isinstance(e, NotationRunError) and e.span is not None and "scalar" in e.message
    e = run_error("γ = 1 / 0", style)
    assert e.message == "division by zero" and e.span is not None
    e = run_error("y = " + "9" * 309 + "x", style, x=np.ones((1, 1)))
    assert e.message.startswith("a number too large for a float")
    e = run_error("l1 = softmax(l0)", style, l0=np.ones((0, 0)))
    assert "no elements" in e.message


def test_an_integer_array_updated_in_the_book_style_names_the_weight():
    e = run_error("l1 = l0W0\nW0 -= αl0ᵀl1", "book", l0=np.ones((1, 3), int),
                  W0=np.ones((3, 4), int), α=0.1)
    assert e.message.startswith("W0 is updated in place, but the array passed as W0 cannot hold")
    assert e.line == 2 and "astype(float)" in e.hint


@pytest.mark.parametrize("style", ["plan", "book"])
def test_a_read_only_weight_that_is_updated(style):
    W = np.ones((3, 4))
    W.flags.writeable = False
    e = run_error("l1 = l0W0\nW0 -= αl0ᵀl1", style, l0=np.ones((1, 3)), W0=W, α=0.1)
    assert "read-only" in e.message and e.line == 2 and "copy()" in e.hint


@pytest.mark.parametrize("style", ["plan", "book"])
def test_a_complex_scalar_is_refused(style):
    e = run_error("l1 = l0W0\nW0 -= αl0ᵀl1", style, l0=np.ones((1, 3)), W0=np.ones((3, 4)),
                  α=1j)
    assert e.message.startswith("α must be a scalar (a number), but it is a complex")


def test_notation_run_shows_numpy_errors_without_traceback(tmp_path):
    path = tmp_path / "in.npz"
    np.savez(path, l0=np.ones((0, 0)))
    r = cli("run", "l1 = softmax(l0)", "--inputs", str(path))
    assert r.returncode == 1 and r.stderr.decode().startswith("error: an array with no elements")


def test_notation_run_with_float32_arrays_and_a_symbolic_batch(tmp_path):
    path = tmp_path / "f32.npz"
    np.savez(path, l0=np.ones((2, 3), np.float32), W0=np.ones((3, 4), np.float32))
    r = cli("run", "l0 : b×3\nl1 = sigmoid(l0W0)", "--inputs", str(path))
    assert r.returncode == 0 and r.stdout.decode().startswith("l1 : 2×4")


# ---------------------------------------------------------------------------- M4, M5

def test_a_hexadecimal_number_past_the_digit_limit():
    with quick(), pytest.raises(notation.NotationTranslationError, match="too many digits"):
        notation.from_numpy("x = 0x" + "f" * 4000)


def test_a_long_chain_of_transposes_in_every_html_view():
    source = "y = x" + "ᵀ" * 400
    with quick():
        html = parse(source)._repr_html_()
    assert html.count("<mo>⊤</mo>") >= 400
    r = cli("show", "--html", source)
    assert r.returncode == 0
    from notation.ipython import notation_cell
    assert "<math" in notation_cell("", source)._repr_html_()


# ---------------------------------------------------------------------------- M11, M12: options

@pytest.mark.parametrize("line", ['--sizes "3', "--sizes 0", "--sizes 3,x,"])
def test_bad_options_of_the_cell_magic_are_shown(line):
    from notation.ipython import notation_cell
    shown = notation_cell(line, BOOK)
    assert "error" in shown._repr_html_() or "usage" in shown._repr_html_()


@pytest.mark.parametrize("call", [
    lambda p: p.plan(sizes="0"),
    lambda p: p.plan(dtype="float8"),
    lambda p: p.numpy(style="x"),
    lambda p: p.numpy(naming="x"),
    lambda p: p.compile(style="x"),
    lambda p: p.backward(lr=[0.1]),
    lambda p: p.backward(lr=float("nan")),
    lambda p: p.backward(target=3),
    lambda p: p.backward(loss=["mse"]),
    lambda p: notation.compare(BOOK),
    lambda p: notation.compare(BOOK, 5),
    lambda p: parse(5),
])
def test_bad_api_options_raise_a_notation_error(call):
    with pytest.raises(NotationError) as info:
        call(parse(BOOK))
    if isinstance(info.value, NotationOptionError):
        # Still the errors Python gives a bad argument, for code that catches those.
        assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


def test_a_number_is_a_learning_rate():
    assert parse(BOOK).backward(lr=0.1).algebra().endswith("W0 -= 0.1l0ᵀδ1")


def test_an_option_error_from_the_library_is_bad_usage_in_the_cli():
    r = cli("plan", "--dtype", "float64", "--sizes", "0", BOOK)
    assert r.returncode == 2 and r.stderr.decode().startswith("notation plan: error: --sizes")


# ---------------------------------------------------------------------------- L1, L3

def test_control_characters_in_the_source_are_shown_as_signs():
    r = cli("check", "y = x \x1b[31mred\x1b[0m \u202e")
    err = r.stderr.decode()
    assert r.returncode == 1 and "\x1b" not in err and "\u202e" not in err and "␛[31m" in err


def test_backward_without_a_forward_pass_is_located():
    with pytest.raises(notation.NotationTranslationError) as info:
        parse("W0 : 3×4").backward()
    assert info.value.span is not None and " --> line 1, column 9" in str(info.value)


# ---------------------------------------------------------------------------- H6, M7, L2: -o

def temporaries(folder) -> list:
    return [p for p in os.listdir(folder) if p.startswith(".notation-")]


def test_o_writes_through_a_fifo_and_never_replaces_it(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    r = cli("algebra", "y = x", "-o", str(fifo))
    assert r.returncode == 0 and reader.communicate(timeout=30)[0] == b"y = x\n"
    assert os.path.exists(fifo) and not os.path.isfile(fifo) and not temporaries(tmp_path)


def test_o_dev_stdout_writes_to_standard_output():
    r = cli("algebra", "y = x", "-o", "/dev/stdout")
    assert (r.returncode, r.stdout) == (0, b"y = x\n")


def test_o_dev_null_stays_a_device():
    r = cli("algebra", "y = x", "-o", "/dev/null")
    assert r.returncode == 0 and not os.path.isfile("/dev/null")


def test_o_through_a_symbolic_link_writes_its_target(tmp_path):
    (tmp_path / "real.txt").write_text("old\n")
    os.symlink("real.txt", tmp_path / "link.txt")
    r = cli("algebra", "y = x", "-o", str(tmp_path / "link.txt"))
    assert r.returncode == 0 and os.path.islink(tmp_path / "link.txt")
    assert (tmp_path / "real.txt").read_text() == "y = x\n" and not temporaries(tmp_path)


def test_o_refuses_a_read_only_file_even_for_root(tmp_path):
    path = tmp_path / "ro.txt"
    path.write_text("keep\n")
    path.chmod(0o444)
    r = cli("algebra", "y = x", "-o", str(path))
    assert r.returncode == 2 and b"read-only" in r.stderr and path.read_text() == "keep\n"


@pytest.mark.parametrize("target, message", [(".", b"it is a folder"), ("", b"needs a file name")])
def test_o_refuses_a_folder_and_an_empty_name(tmp_path, target, message):
    r = cli("algebra", "y = x", "-o", target, cwd=tmp_path)
    assert r.returncode == 2 and message in r.stderr and not temporaries(tmp_path)


def test_a_failed_write_is_an_error_and_leaves_no_temporary(tmp_path):
    import resource
    big = "y = " + "x + " * 3000 + "x"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
    r = cli("algebra", big, "-o", str(tmp_path / "out.txt"), preexec_fn=limit)
    assert r.returncode == 1 and b"File too large" in r.stderr
    assert not os.path.exists(tmp_path / "out.txt") and not temporaries(tmp_path)


def test_standard_output_on_a_full_device():
    with open("/dev/full", "wb") as full:
        r = cli("algebra", "y = x", stdout=full)
    assert r.returncode == 1 and b"No space left on device" in r.stderr
    assert b"Exception ignored" not in r.stderr


def test_sigterm_at_the_rename_leaves_no_temporary(tmp_path):
    # os.replace sends the process SIGTERM, as a signal arriving at that moment would.
    code = ("import os, signal, sys; from notation import cli\n"
            "real = os.replace\n"
            "def replace(a, b):\n"
            "    os.kill(os.getpid(), signal.SIGTERM)\n"
            "    real(a, b)\n"
            "os.replace = replace\n"
            f"sys.exit(cli.main(['algebra', 'y = x', '-o', {str(tmp_path / 'out.txt')!r}]))\n")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60)
    assert r.returncode == 128 + 15 and b"Traceback" not in r.stderr
    assert temporaries(tmp_path) == [] and not os.path.exists(tmp_path / "out.txt")


# ---------------------------------------------------------------------------- M10, L4: input

def test_an_endless_file_is_read_only_up_to_the_limit():
    with quick(10):
        r = cli("algebra", "-f", "/dev/zero")
    assert r.returncode == 1 and b"notation reads at most 1,000,000" in r.stderr


def test_a_large_standard_input_is_not_held_whole():
    code = ("import resource, subprocess, sys, os\n"
            "p = subprocess.Popen([sys.executable, '-m', 'notation', 'algebra'],"
            " stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
            "chunk = b'x' * (1 << 20)\n"
            "try:\n"
            "    for _ in range(200):\n"
            "        p.stdin.write(chunk)\n"
            "    p.stdin.close()\n"
            "except BrokenPipeError:\n"
            "    pass\n"
            "p.wait()\n"
            "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=120)
    status, rss_kib = map(int, r.stdout.split())
    assert status == 1 and rss_kib < 150_000, (status, rss_kib)


def test_non_utf8_bytes_are_bad_usage_from_stdin_and_from_a_file(tmp_path):
    (tmp_path / "bad.nn").write_bytes(b"y = \xff")
    from_file = cli("algebra", "-f", str(tmp_path / "bad.nn"))
    from_stdin = cli("algebra", stdin=b"y = \xff")
    assert from_file.returncode == from_stdin.returncode == 2
    assert b"not UTF-8" in from_file.stderr and b"not UTF-8" in from_stdin.stderr


def test_a_byte_order_mark_on_stdin_is_dropped():
    assert cli("algebra", stdin="\ufeffy = x").stdout == b"y = x\n"


@pytest.mark.parametrize("dims, ok", [("δ2=3", True), ("l_{in}=3", True), ("€=3", False),
                                      ("ŵ=3", False)])
def test_dims_names_are_the_notation_s_letters(dims, ok):
    r = cli("check", "--dims", dims, "y = δ2 + l_{in}")
    assert r.returncode == (0 if ok else 2)
    assert ok or b"is not a name such as l0, W1 or" in r.stderr


# ---------------------------------------------------------------------------- M8: .npz

def test_an_npz_header_claiming_a_huge_array_is_refused(tmp_path):
    import io
    import zipfile
    fmt = np.lib.format
    honest = io.BytesIO()
    fmt.write_array(honest, np.ones((1, 3)))
    header = fmt.header_data_from_array_1_0(np.ones((1, 3)))
    header["shape"] = (10_000_000, 10_000_000)         # 728 TiB of float64
    forged = io.BytesIO()
    fmt.write_array_header_1_0(forged, header)
    with zipfile.ZipFile(tmp_path / "f.npz", "w") as z:
        z.writestr("l0.npy", forged.getvalue() + b"\0" * 24)
        z.writestr("W0.npy", honest.getvalue())
    with quick(20):           # a process that imports NumPy: seconds on a loaded machine
        r = cli("run", "l1 = l0W0", "--inputs", str(tmp_path / "f.npz"))
    assert r.returncode == 2 and b"claims 800,000,000,000,000 bytes" in r.stderr


def test_arrays_the_program_does_not_read_are_not_decompressed(tmp_path):
    from notation.run import load_inputs
    np.savez_compressed(tmp_path / "f.npz", l0=np.ones((1, 3)), W0=np.ones((3, 4)),
                        unused=np.zeros((3000, 3000)))
    program = parse("l1 = l0W0")
    f = program.compile()
    import tracemalloc
    tracemalloc.start()
    inputs = load_inputs(str(tmp_path / "f.npz"), f.plan.inputs, ValueError)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert sorted(inputs) == ["W0", "l0"] and peak < 10_000_000      # the unused 72 MB: never


def test_backward_refuses_a_layer_it_cannot_name_a_delta_for():
    # Found by the grammar fuzzer: the delta of δ2 was named δ_{δ2}, which no parser reads.
    with pytest.raises(notation.NotationTranslationError) as info:
        parse("δ2 = W2").backward()
    assert info.value.span is not None and info.value.source == "δ2 = W2"


# ---------------------------------------------------------------------------- M9, M13: compare

def test_a_numeric_check_of_huge_declared_sizes_uses_stand_ins():
    with quick():
        result = notation.compare("A : 100000×100000\ny = (AB)C", "y = A(BC)")
    assert result.equivalent and "stand-in sizes (100,000 by" in result.report()
    with quick():
        assert not notation.compare("A : 100000×100000\ny = (AB)C", "y = (AB)Cᵀ").equivalent


def test_inline_text_that_reads_both_ways_is_read_as_its_plausible_view():
    r = cli("compare", "y = Π1x", "y = Pi_1 * x")
    assert r.returncode == 0 and b"it was read as NumPy" in r.stdout


@pytest.mark.parametrize("text", ["y = B^{\\top}0.5E", "y = Bᵀ 0.5 E ⊙ A", "y = 2xᵀ ⊙ x"])
def test_a_program_is_equivalent_to_its_own_matmul_numpy(text):
    # fuzz seed 3, input 68,855: `y = B.T * 0.5 @ E` also reads as algebra (Bᵀ ⊙ 0.5E, `*`
    # being ⊙ and looser than the product), and compare took that reading: "different".
    program = parse(text)
    for style in ("book", "matmul"):
        result = notation.compare(program, program.numpy(style=style))
        assert result.equivalent, (style, result.report())


# ------------------------------------------------------------------ fuzz findings (seed 7)

def test_a_decorated_input_is_a_keyword_of_the_compiled_function():
    # fuzz seed 7, input 815: ŷ is y + U+0302 in the tree, but Python reads the identifier
    # of `def run(*, ŷ)` in NFKC form (U+0177): the keyword the library gave matched nothing.
    from notation.compile import keyword
    f = parse("M1 ∈ R^{k×k}\ny = \\hat{y} * M1").compile()
    assert f.inputs == tuple(keyword(n) for n in f.plan.inputs)
    out = f(**{k: np.full((2, 2), 2.0) for k in f.inputs})
    assert np.array_equal(out["y"], np.full((2, 2), 4.0))


@pytest.mark.parametrize("code", ["layer_2 = relu(layer_" + "6" * 30 + ")",
                                  "weights_1_2 -= a" + "8" * 30 + " * layer_1.T.dot(d)"])
def test_an_identifier_with_a_too_long_index_reads_back(code):
    # fuzz seed 7, inputs 539 and 652: layer_666…6 was read as l with a 30-digit index,
    # which the algebra printed and the parser refuses (at most 18 digits).
    program = notation.from_numpy(code)
    assert parse(program.algebra()) == program


def test_sympy_refusing_a_product_is_a_located_error():
    # fuzz seed 1, input 45,513: sigmoid′ of a 1×1 array times a matrix is a product SymPy
    # does not implement (NotImplementedError: noncommutative scalars in MatMul).
    program = parse("z = A\ny = sigmoid′(A) B")
    with pytest.raises(NotationError) as e:
        program.to_sympy(dims="A=1x1")
    assert "SymPy cannot represent" in e.value.message
    assert e.value.span.start == program.source.index("y")


def test_a_compiled_chain_of_many_inputs_checks_every_shape():
    # 300 inputs: the slow path is called with a dict of them and the fast check is split in
    # runs of 200 comparisons (a 10,000-keyword call took 1.3 s to compile; issue 16 R4).
    f = parse("l1 = l0" + "".join(f"W{k}" for k in range(300))).compile()
    assert "_slow(**{" in f.source and "_ok = _ok and" in f.source
    arrays = {k: np.full((2, 2), 0.5) for k in f.inputs}
    assert np.allclose(f(**arrays)["l1"], np.full((2, 2), 0.5))
    arrays["W250"] = np.ones((3, 2))
    with pytest.raises(NotationError, match="shape mismatch"):
        f(**arrays)


@pytest.mark.parametrize("text", ["E = EB\n(1e-3 + C ⊙ E)ᵀ", "y = AB\n(x)", "y = ABC\n  (x)"])
def test_a_letter_run_at_the_end_of_a_line_is_no_call_of_the_next(text):
    # fuzz seed 1, input 304,030: from_numpy's algebra 'E = EB' then '(1e-3 + C ⊙ E)ᵀ' on
    # the next line did not parse: the lookahead of a function name looked past the newline
    # and took EB for a function called on the next line's parentheses.
    program = parse(text)
    assert len(program.statements) == 2
    assert parse(program.algebra()) == program


def test_a_numeric_check_that_does_not_fit_in_memory_is_a_notation_error(monkeypatch):
    # benchmarks/growth.py: compare of a 100,000-factor chain with its NumPy (past the
    # structural check's 200,000 nodes) drew random arrays of 45,730×70,892 for its 100,000
    # distinct dimensions: numpy's _ArrayMemoryError escaped compare.
    import importlib
    compare_module = importlib.import_module("notation.compare_values")

    def no_memory(programs):
        raise MemoryError("Unable to allocate 24.2 GiB")
    monkeypatch.setattr(compare_module, "random_inputs", no_memory)
    with pytest.raises(NotationError, match="too many distinct dimensions"):
        notation.compare("y = (AB)C", "y = A(BC)")


# ------------------------------------------------------- the length limit in every view

def test_a_numpy_or_latex_file_past_the_limit_is_refused_as_too_long(tmp_path):
    # The CLI reads one character past the limit; a .py or .tex file cut there was read
    # on and refused as broken ("'(' was never closed", "\[ is never closed"). (The API's
    # from_numpy has no limit: compare(p, p.numpy()) reads a program's own NumPy, which is
    # twice as long as the program.)
    from notation.parser import MAX_SOURCE_CHARS
    line = "layer_2 = relu(layer_1.dot(weights_1_2) + b_1)\n"
    code = line * (MAX_SOURCE_CHARS // len(line) + 10)
    (tmp_path / "big.py").write_text(code, encoding="utf-8")
    tex = ("\\documentclass{article}\n\\begin{document}\n\\[\n\\begin{aligned}\n"
           + "l_{2} &= l_{1} W_{1} \\\\\n" * (MAX_SOURCE_CHARS // 24) + "\\end{aligned}\n\\]\n"
           "\\end{document}\n")
    (tmp_path / "big.tex").write_text(tex, encoding="utf-8")
    for name in ("big.py", "big.tex"):
        r = cli("algebra", "-f", str(tmp_path / name))
        assert r.returncode == 1 and r.stderr.decode().startswith(
            "error: the program is at least 1,000,001 characters long; notation reads at "
            "most 1,000,000"), (name, r.stderr[:200])
    small = line * 3
    assert notation.from_numpy(small).algebra() == "l2 = relu(l1W1 + b1)\n" * 2 + \
        "l2 = relu(l1W1 + b1)"
