"""A Jupyter notebook read one code cell at a time, with what the cells before it define
(issue 14). The notebooks are written here (nbformat JSON built by hand), not the book's."""

import json

import numpy as np
import pytest

from notation import NotationError
from notation.emit.algebra import algebra
from notation.evaluate import evaluate
from notation.random_inputs import random_inputs
from notation.read.numpy import from_numpy, read_numpy
from notation.read.numpy.notebook import choose, is_notebook, notebook_json

HELPERS = '''import numpy as np

def relu(x):
    return (x > 0) * x

def relu2deriv(output):
    return output > 0
'''
SETTINGS = '''alpha = 0.05
hidden_size = 4
'''
STEP = '''layer_0 = data[start:end]
layer_1 = relu(np.dot(layer_0, weights_0_1))
layer_2 = np.dot(layer_1, weights_1_2)
layer_2_delta = layer_2 - goal[start:end]
layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)
weights_0_1 -= alpha * layer_0.T.dot(layer_1_delta)
'''


def notebook(*cells, markdown_between=True, tags=None):
    """nbformat 4 with a markdown cell before each code cell (they are not counted)."""
    out = []
    for index, text in enumerate(cells):
        if markdown_between:
            out.append({"cell_type": "markdown", "metadata": {}, "source": [f"# part {index}"]})
        meta = {"tags": tags[index]} if tags and tags[index] else {}
        out.append({"cell_type": "code", "metadata": meta, "execution_count": index + 1,
                    "outputs": [], "source": text.splitlines(True)})
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": out})


def test_a_cell_reads_with_the_helpers_and_constants_of_the_cells_before_it():
    nb = notebook(HELPERS, SETTINGS, STEP)
    reading = read_numpy(nb, cell=3)
    assert reading.program.algebra().splitlines() == [
        "l1 = relu(l0W0)", "l2 = l1W1", "δ2 = l2 - y", "δ1 = δ2W1ᵀ ⊙ relu'(l1)",
        "W1 -= αl1ᵀδ2", "W0 -= αl0ᵀδ1"]
    # where each helper came from: the cell and its line
    assert "relu(x) (code cell 1, line 3) is read as relu(x)" in reading.helpers
    assert "relu2deriv(x) (code cell 1, line 6) is read as relu'(x)" in reading.helpers
    # the program's source is the cell, so spans point into it
    assert reading.program.source == STEP
    first = reading.program.statements[0]
    assert STEP[first.span.start:first.span.end].startswith("layer_1 = relu(")


def test_the_cell_alone_does_not_know_the_helpers_defined_before():
    # read alone, relu2deriv is the book's; a notebook's earlier definition replaces it
    redefined = HELPERS.replace("return output > 0", "return output >= 0")
    assert "step(l1)" in read_numpy(notebook(redefined, STEP), cell=2).program.algebra()
    assert "relu'(l1)" in from_numpy(STEP).algebra()


def test_a_later_definition_replaces_an_earlier_one_as_jupyter_runs_them():
    later = "def relu2deriv(output):\n    return output >= 0\n"
    reading = read_numpy(notebook(HELPERS, later, STEP), cell=3)
    assert "δ1 = δ2W1ᵀ ⊙ step(l1)" in reading.program.algebra()
    assert any(h.startswith("relu2deriv(x) (code cell 2, line 1)") for h in reading.helpers)
    # a definition after the cell does not count
    assert "relu'(l1)" in read_numpy(notebook(HELPERS, STEP, later), cell=2).program.algebra()


def test_a_constant_of_an_earlier_cell_makes_a_scalar():
    cell = "delta = out - target\nout_scaled = delta * shrink\n"
    alone = from_numpy(cell).algebra()
    together = read_numpy(notebook("shrink = 0.5\n", cell), cell=2).program.algebra()
    assert "⊙" in alone.splitlines()[-1]          # two arrays, elementwise
    assert "⊙" not in together.splitlines()[-1]   # scale is a number: the scaling


def test_a_function_of_an_earlier_cell_is_put_in_place_at_the_call():
    # chapter 5's shape: the earlier cell's function of two lists, called in a later cell
    earlier = ("def ele_mul(number, vector):\n    output = [0, 0, 0]\n"
               "    for i in range(len(vector)):\n        output[i] = number * vector[i]\n"
               "    return output\n")
    cell = ("weights = [0.3, 0.2, 0.9]\nwlrec = [0.65, 1.0, 1.0, 0.9]\ninput = wlrec[0]\n\n"
            "def neural_network(input, weights):\n    pred = ele_mul(input, weights)\n"
            "    return pred\n\npred = neural_network(input, weights)\n")
    with pytest.raises(NotationError, match="ele_mul"):
        from_numpy(cell)
    reading = read_numpy(notebook(earlier, cell), cell=2)
    assert reading.program.algebra().splitlines()[-1] == "l1 = l0W0"     # a number times a list
    assert "ele_mul() (code cell 1, line 1) is put in place where it is called" in reading.helpers
    # every statement is located in the cell's own text: at the call line
    last = reading.program.statements[-1]
    assert cell[last.span.start:last.span.end].startswith("pred = neural_network")
    # the same numbers as the two cells run in order, on the lists
    namespace: dict = {}
    exec(earlier + cell, namespace)
    ours = evaluate(reading.program, {name: np.array([namespace[k]]) if k == "weights" else
                                      namespace[k] for k, name in reading.legend.by_key.items()
                                      if k in ("weights", "input")})
    np.testing.assert_allclose(np.ravel(ours["l1"]), namespace["pred"], rtol=1e-12)


def test_the_round_trip_on_random_inputs_is_the_cells_run_in_order():
    nb = notebook(HELPERS, SETTINGS, STEP)
    program = read_numpy(nb, cell=3).program
    for inputs in random_inputs([program]):
        ours = evaluate(program, inputs)
        ns = {"np": np, "start": 0}
        exec(HELPERS + SETTINGS, ns)
        given = {algebra(name): value for name, value in inputs.items()}
        ns.update(data=given["l0"], goal=given["y"], weights_0_1=np.array(given["W0"]),
                  weights_1_2=np.array(given["W1"]), alpha=given["α"],
                  end=len(given["l0"]))
        exec(STEP, ns)
        for ident, name in (("layer_2", "l2"), ("layer_1_delta", "δ1"), ("weights_0_1", "W0"),
                            ("weights_1_2", "W1")):
            np.testing.assert_allclose(ns[ident], ours[name], rtol=1e-9, atol=1e-12)


LOOP = """for iteration in range(60):
    for i in range(len(lights)):
        layer_0 = lights[i:i+1]
        layer_1 = relu(np.dot(layer_0, weights_0_1))
        layer_2 = np.dot(layer_1, weights_1_2)
        layer_2_delta = (walk[i:i+1] - layer_2)
        layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
        weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
        weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)
"""


def test_a_training_loop_cell_against_backward_from_the_cli(tmp_path, capsys):
    # chapter 6's shape: helpers in one cell, settings in the next, the loop in a third
    from notation.cli import main
    path = tmp_path / "streetlights.ipynb"
    settings = "np.random.seed(1)\nalpha = 0.2\nweights_0_1 = 2 * np.random.random((3, 4)) - 1\n"
    path.write_text(notebook(HELPERS, settings, LOOP), encoding="utf-8")
    assert main(["backward", "l1 = relu(l0W0)\nl2 = l1W1", "--delta", "y-l"]) == 0
    step = capsys.readouterr().out
    status = main(["compare", "--cell", "3", str(path), step])
    out = capsys.readouterr().out
    assert status == 0 and out.startswith("equivalent"), out
    # the report says where the helpers of the loop came from
    assert ("view 1: from an earlier cell: relu2deriv(x) (code cell 1, line 6) is read as "
            "relu'(x)") in out
    # the book's sign against backward's default: the same updates, named in words
    assert main(["backward", "l1 = relu(l0W0)\nl2 = l1W1"]) == 0
    status = main(["compare", "--cell", "3", str(path), capsys.readouterr().out])
    out = capsys.readouterr().out
    assert status == 1 and "W1: the same update" in out and "the negative of" in out, out


def test_cells_by_number_tag_or_first_line():
    nb = notebook(HELPERS, "# the step\n" + STEP, tags=[None, ["train"]])
    by_number = read_numpy(nb, cell=2).program
    assert read_numpy(nb, cell="train").program == by_number
    assert read_numpy(nb, cell="# the step").program == by_number
    assert read_numpy(nb, cell="2").program == by_number
    assert choose(nb, "train").number == 2


@pytest.mark.parametrize("cell, message", [
    (None, "the notebook has 2 code cells: say which to read"),
    (0, "there is no code cell 0: the notebook has 2, counted from 1"),
    (3, "there is no code cell 3"),
    ("nothing like it", "no code cell has the tag or first line"),
    ("layer", "code cells 1, 2 have the tag or first line"),
])
def test_a_cell_that_is_not_there_is_an_error_listing_the_cells(cell, message):
    nb = notebook("layer_1 = layer_0.dot(weights)\n", "layer_2 = layer_1.dot(more)\n")
    with pytest.raises(NotationError, match=message) as e:
        read_numpy(nb, cell=cell)
    assert "1: layer_1 = layer_0.dot(weights)" in e.value.hint


def test_one_code_cell_needs_no_number_and_other_cells_are_not_counted():
    nb = notebook("layer_1 = relu(layer_0.dot(weights))\n")
    assert from_numpy(nb).algebra() == "l1 = relu(l0W0)"
    assert is_notebook(nb) and not is_notebook("{'cells': []}") and not is_notebook("x = 1")


def test_cell_without_a_notebook_is_an_error():
    with pytest.raises(NotationError, match="not one"):
        read_numpy("layer_1 = layer_0", cell=1)
    with pytest.raises(TypeError):
        read_numpy(notebook("layer_1 = layer_0\n"), cell=1.5)


def test_ipython_lines_are_skipped_and_listed():
    nb = notebook("%matplotlib inline\n!pip list\nlayer_1 = relu(layer_0.dot(weights))\n")
    reading = read_numpy(nb)
    assert reading.program.algebra() == "l1 = relu(l0W0)"
    assert [(s.line, s.why) for s in reading.skipped[:2]] == [
        (1, "an IPython command, not Python"), (2, "an IPython command, not Python")]


def test_an_error_names_the_cell_and_points_into_it():
    nb = notebook(HELPERS, "layer_1 = relu(layer_0.dot(weights))\nlayer_2 = np.clip(layer_1, 0, 1)\n")
    with pytest.raises(NotationError) as e:
        read_numpy(nb, cell=2)
    assert e.value.message.startswith("code cell 2: np.clip()")
    assert (e.value.line, e.value.column) == (2, 11)


def test_a_cell_that_does_not_parse_defines_nothing_for_later_cells():
    broken = "def relu2deriv(output):\n    return output >= 0\nthis is not = python\n"
    assert "relu'(l1)" in read_numpy(notebook(broken, STEP), cell=2).program.algebra()


def test_notebook_json_makes_a_notebook_the_reader_takes():
    nb = notebook_json(["alpha = 0.1", "weights -= alpha * grad"])
    assert read_numpy(nb, cell=2).program.algebra() == "W0 -= αδ"


def test_the_cli_reads_a_cell_of_an_ipynb_file(tmp_path, capsys):
    from notation.cli import main
    path = tmp_path / "chapter.ipynb"
    path.write_text(notebook(HELPERS, SETTINGS, STEP), encoding="utf-8")
    assert main(["algebra", "-f", str(path), "--cell", "3"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "l1 = relu(l0W0)"
    assert main(["algebra", "-f", str(path)]) == 1
    assert "say which to read" in capsys.readouterr().err
    assert main(["compare", "--cell", "3", str(path), STEP]) == 0
    capsys.readouterr()
    assert main(["algebra", "l1 = l0W0", "--cell", "2"]) == 2
    assert "--cell chooses a cell of an .ipynb notebook" in capsys.readouterr().err
    not_one = tmp_path / "broken.ipynb"
    not_one.write_text("layer_1 = layer_0\n", encoding="utf-8")
    assert main(["algebra", "-f", str(not_one)]) == 2
    assert "is not a Jupyter notebook" in capsys.readouterr().err
    assert main(["compare", str(not_one), "l1 = l0"]) == 1
    assert "is not a Jupyter notebook" in capsys.readouterr().err


def test_an_nbformat_3_notebook_is_read_too():
    v3 = {"nbformat": 3, "worksheets": [{"cells": [
        {"cell_type": "markdown", "source": ["# a title"]},
        {"cell_type": "code", "input": ["layer_1 = relu(layer_0.dot(weights))\n"]}]}]}
    assert from_numpy(json.dumps(v3)).algebra() == "l1 = relu(l0W0)"
    assert from_numpy(v3).algebra() == "l1 = relu(l0W0)"           # a parsed dict too


@pytest.mark.parametrize("cells", [
    [1, "text", None],
    [{"cell_type": "code", "source": 5}],
    [{"cell_type": "code", "metadata": {"tags": "not a list"}, "source": ["layer_1 = x\n"]},
     {"cell_type": "code", "metadata": [], "source": ["%%bash\n", "ls\n"]}],
    [{"cell_type": "code", "source": ["def f(:\n"]}, {"cell_type": "code", "source": ["y = f(x)\n"]}],
])
def test_a_malformed_notebook_is_a_notation_error(cells):
    nb = json.dumps({"nbformat": 4, "cells": cells})
    for cell in (None, 1, 2, "layer"):
        try:
            read_numpy(nb, cell=cell)
        except NotationError:
            pass
