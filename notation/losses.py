"""The losses backward trains with: one record per loss, holding every fact about it.

The CLI's ``--loss`` choices, :func:`notation.backward.backward`, the oracle tests
(``tests/test_backward_autodiff.py``, ``tests/test_losses.py``) and the table in
``docs/backward.md`` all come from :data:`LOSSES`. A loss is added in one place: one
:class:`Loss` entry (docs/architecture.md, "Adding a loss").

>>> lookup("mse").seed
'through'
>>> lookup("cross-entropy").name
'cross_entropy'
>>> names()
('mse', 'cross_entropy')
"""

from __future__ import annotations

from dataclasses import dataclass

# The sign of the output delta: the gradient (l - y, updates -=), or the book's chapters 6
# and 8, y - l with updates +=: the same step.
DELTAS = ("l-y", "y-l")

# How the delta at the output is seeded from the error e = l - y (or y - l, over n with
# --mean): "through" the output's activation (δ = e ⊙ f'(…), by the function record's chain
# rule), or "cancelled": the loss's gradient with respect to the pre-activation is e itself,
# for the output activations in ``cancels`` (and any other output is refused).
SEEDS = ("through", "cancelled")


@dataclass(frozen=True, slots=True)
class Loss:
    """One loss, every fact about it.

    ``numpy``, ``latex`` and ``algebra`` write the loss of an output ``l`` (NumPy:
    ``output``) against the target ``y``, summed over the batch; ``by_output`` gives the
    other forms for an output activation whose loss is written otherwise (the binary
    cross-entropy of a sigmoid output), as (numpy, latex, algebra). ``seed`` says how the
    output's delta is formed from the error (:data:`SEEDS`); ``cancels`` are the output activations whose
    derivative the loss cancels; ``errors`` the error at the output, in the notation, for
    each sign convention; ``refuses`` holds (activation, message, hint) for an output
    activation the loss cannot train (None: any activation a "cancelled" seed does not
    cancel). ``deltas`` are the sign conventions it allows, ``mean``
    whether ``--mean`` divides it by the batch size n.
    """

    name: str
    spellings: tuple[str, ...]
    description: str
    numpy: str
    latex: str
    algebra: str
    seed: str = "through"
    cancels: tuple[str, ...] = ()
    refuses: tuple[tuple[str | None, str, str], ...] = ()
    by_output: tuple[tuple[str, tuple[str, str, str]], ...] = ()
    # The error e at the output, in the notation, in l (the output) and y (the target), for
    # each sign convention of DELTAS: the gradient of the loss with respect to l ("through")
    # or to the pre-activation ("cancelled"), negated for y-l.
    errors: tuple[tuple[str, str], ...] = (("l-y", "l - y"), ("y-l", "y - l"))
    mean: bool = True

    @property
    def deltas(self) -> tuple[str, ...]:
        """The sign conventions the loss allows (--delta)."""
        return tuple(d for d, _ in self.errors)

    def error(self, delta: str) -> str:
        """The error at the output for this sign convention, in l and y.

        >>> lookup("mse").error("y-l")
        'y - l'
        """
        return dict(self.errors)[delta]

    def forms(self, activation: str | None) -> tuple[str, str, str]:
        """(numpy, latex, algebra) of the loss for an output with this activation.

        >>> lookup("cross_entropy").forms("sigmoid")[0]
        '-np.sum(y * np.log(output) + (1 - y) * np.log(1 - output))'
        """
        return dict(self.by_output).get(activation, (self.numpy, self.latex, self.algebra))

    def refusal(self, activation: str | None) -> tuple[str, str] | None:
        """(message, hint) refusing an output with this activation, or None if it trains.

        >>> lookup("mse").refusal("softmax")[1]
        'use --loss cross_entropy'
        >>> lookup("mse").refusal("relu") is None
        True
        """
        for refused, message, hint in self.refuses:
            if refused == activation and activation is not None:
                return message, hint
        if self.seed == "cancelled" and activation not in self.cancels:
            (message, hint), = [(m, h) for a, m, h in self.refuses if a is None]
            return message, hint
        return None


LOSSES: tuple[Loss, ...] = (
    # The book's squared error (chapters 4-9): δ = (l - y) ⊙ f'(…) at the output. A softmax
    # output has no derivative helper of its own: it is trained with cross-entropy only.
    Loss("mse", ("MSE", "squared_error"), "the squared error, ½ Σ (l − y)²",
         "0.5 * np.sum((output - y) ** 2)", r"\tfrac{1}{2}\sum (l - y)^2", "½Σ(l - y)²",
         refuses=(("softmax", "a softmax output is trained with the cross-entropy loss",
                   "use --loss cross_entropy"),)),
    # Cross-entropy against a softmax output (chapter 9) or, binary, against a sigmoid: both
    # cancel the output's derivative, so δ = l - y.
    Loss("cross_entropy", ("cross-entropy", "CE"),
         "cross-entropy: −Σ y log l (softmax), −Σ y log l + (1 − y) log(1 − l) (sigmoid)",
         "-np.sum(y * np.log(output))", r"-\sum y \log l", "-Σy log l",
         seed="cancelled", cancels=("softmax", "sigmoid"),
         refuses=((None, "cross-entropy needs a softmax or sigmoid output layer",
                   "use --loss mse, or end the network in softmax(…)"),),
         by_output=(("sigmoid", ("-np.sum(y * np.log(output) + (1 - y) * np.log(1 - output))",
                                 r"-\sum y \log l + (1 - y) \log(1 - l)",
                                 "-Σy log l + (1 - y) log(1 - l)")),)),
)


def names() -> tuple[str, ...]:
    """The losses' names, in the table's order: the CLI's ``--loss`` choices."""
    return tuple(loss.name for loss in LOSSES)


def lookup(name) -> Loss | None:
    """The loss named ``name`` or one of its spellings; None for any other value.

    >>> lookup("squared_error").name, lookup("hinge")
    ('mse', None)
    """
    for loss in LOSSES:
        if name == loss.name or name in loss.spellings:
            return loss
    return None


def markdown_table() -> str:
    """The table of losses in docs/backward.md (a test checks the file holds it)."""
    rows = ["| loss | also spelled | loss of an output l | δ at the output | output activations |",
            "|---|---|---|---|---|"]
    for loss in LOSSES:
        forms = [f"`{loss.algebra}`"] + [f"`{f[2]}` ({a})" for a, f in loss.by_output]
        seed = "e ⊙ f′(…), e = l − y" if loss.seed == "through" else "e = l − y (f′ cancels)"
        outputs = (", ".join(loss.cancels) if loss.seed == "cancelled" else
                   "any but " + ", ".join(a for a, _, _ in loss.refuses if a))
        rows.append(f"| `{loss.name}` | {', '.join(f'`{s}`' for s in loss.spellings)} | "
                    f"{'; '.join(forms)} | {seed} | {outputs} |")
    return "\n".join(rows)
