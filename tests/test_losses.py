"""Every loss of the table (notation/losses.py) through every consumer: the CLI's --loss
choices, backward (each spelling, each convention, each refusal), the oracle of
tests/test_backward_autodiff.py (a formula of its own for each loss, a step equal to
autograd's gradient for each output activation the loss trains), the record's own NumPy
form against that oracle, and the table in docs/backward.md. Like tests/test_registry.py
for the functions: a loss added to the table alone fails here, naming what is missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from notation import losses, parse
from notation.backward import backward
from notation.cli import build_parser, main
from notation.errors import NotationError

NAMES = losses.names()
DOCS = Path(__file__).resolve().parent.parent / "docs" / "backward.md"


def _network(loss: losses.Loss, activation: str | None) -> str:
    """A two-layer network whose output has this activation (None: the loss's first)."""
    if activation is None:
        activation = loss.cancels[0] if loss.seed == "cancelled" else "relu"
    return f"l1 = relu(l0W0)\nl2 = {activation}(l1W1)"


def _outputs(loss: losses.Loss) -> list[str]:
    """The output activations a loss trains, as the tests try them."""
    return list(loss.cancels) if loss.seed == "cancelled" else ["relu", "sigmoid", "tanh"]


def test_the_table_has_unique_names_and_spellings():
    every = [n for loss in losses.LOSSES for n in (loss.name, *loss.spellings)]
    assert len(every) == len(set(every))
    for loss in losses.LOSSES:
        assert loss.seed in losses.SEEDS, loss.name
        assert set(loss.deltas) <= set(losses.DELTAS), loss.name
        assert loss.numpy and loss.latex and loss.algebra and loss.description, loss.name
        if loss.seed == "cancelled":
            assert loss.cancels, f"{loss.name}: a cancelled seed names what it cancels"


def test_the_cli_offers_every_loss_and_nothing_else():
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    (option,) = [a for a in sub.choices["backward"]._actions if a.dest == "loss"]
    assert tuple(option.choices) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_the_cli_derives_with_every_loss(name, capsys):
    loss = losses.lookup(name)
    assert main(["backward", _network(loss, None), "--loss", name, "--to", "numpy"]) == 0
    assert "weights_0_1" in capsys.readouterr().out


@pytest.mark.parametrize("name", NAMES)
def test_every_spelling_derives_the_same_step(name):
    loss = losses.lookup(name)
    program = parse(_network(loss, None))
    step = backward(program, loss=name).algebra()
    for spelling in loss.spellings:
        assert backward(program, loss=spelling).algebra() == step, spelling


@pytest.mark.parametrize("name", NAMES)
def test_every_convention_the_loss_allows_derives(name):
    loss = losses.lookup(name)
    program = parse(_network(loss, None))
    for delta in loss.deltas:
        text = backward(program, loss=name, delta=delta, mean=loss.mean).algebra()
        assert ("+=" in text) == (delta == "y-l"), (name, delta)
        assert ("/ n" in text or "/n" in text) == loss.mean, (name, text)


@pytest.mark.parametrize("name", NAMES)
def test_every_refusal_of_the_record_is_raised_at_the_output(name):
    loss = losses.lookup(name)
    refused = [a for a, _, _ in loss.refuses if a is not None]
    if loss.seed == "cancelled":
        refused.append("relu" if "relu" not in loss.cancels else "tanh")
    for activation in refused:
        message, hint = loss.refusal(activation)
        program = parse(_network(loss, activation))
        with pytest.raises(NotationError) as info:
            backward(program, loss=name)
        assert message in str(info.value) and hint in str(info.value), (name, activation)
        assert info.value.span == program.statements[1].span, "the caret is at the output"


def test_an_unknown_loss_is_refused_naming_the_table():
    with pytest.raises(NotationError, match="the losses are " + ", ".join(NAMES)):
        backward(parse("l2 = relu(l0W0)W1"), loss="hinge")


def test_the_generator_draws_every_loss_and_the_oracle_has_each():
    oracle = pytest.importorskip("tests.test_backward_autodiff")
    assert set(oracle.GENERATED_LOSSES) == set(NAMES)


@pytest.mark.parametrize("name, activation",
                         [(n, a) for n in NAMES for a in _outputs(losses.lookup(n))])
@pytest.mark.parametrize("batch", [1, 3])
def test_every_loss_steps_by_the_oracles_gradient(name, activation, batch):
    oracle = pytest.importorskip("tests.test_backward_autodiff")
    case = oracle._case_of(_network(losses.lookup(name), activation), batch=batch)
    case.loss = name
    case.mean = batch > 1
    oracle.check(case, seed=batch)


@pytest.mark.parametrize("name, activation",
                         [(n, a) for n in NAMES for a in _outputs(losses.lookup(n))])
def test_the_records_numpy_form_is_the_oracles_loss(name, activation):
    """The record's NumPy form of the loss, on an output and a target, equals the value the
    oracle differentiates (from the logits, for a cancelled loss)."""
    oracle = pytest.importorskip("tests.test_backward_autodiff")
    from notation.nodes import Name
    loss = losses.lookup(name)
    rng = np.random.default_rng(0)
    program = parse(_network(loss, activation))
    values = {Name("l", "0"): rng.uniform(-1, 1, (3, 2)), Name("W", "0"): rng.uniform(-1, 1, (2, 4)),
              Name("W", "1"): rng.uniform(-1, 1, (4, 3))}
    env = dict(values)
    for s in program.statements:
        env[s.target] = oracle._evaluate(s.value, env)
    output = env[Name("l", "2")]
    if activation == "softmax":
        y = np.eye(3)[rng.integers(0, 3, 3)]
    elif loss.seed == "cancelled":
        y = rng.integers(0, 2, (3, 3)).astype(float)
    else:
        y = rng.uniform(-1, 1, (3, 3))
    values[Name("y")] = y
    trained = [Name("W", "0"), Name("W", "1")]
    expected = oracle.oracle_loss(program, name, False, values, trained)(
        values[Name("W", "0")], values[Name("W", "1")])
    got = eval(loss.forms(activation)[0], {"np": np, "output": output, "y": y})  # noqa: S307
    assert got == pytest.approx(float(expected), rel=1e-12)


def test_the_docs_table_is_the_records():
    assert losses.markdown_table() in DOCS.read_text(encoding="utf-8"), \
        "docs/backward.md: paste notation.losses.markdown_table() under 'The losses'"
