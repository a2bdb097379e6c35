"""Initial weights of the checked shapes (``notation init``, ``Program.init``).

The shapes come from the plan, so they are the shapes ``check`` and ``plan`` report; the
arrays are drawn in parameter order (the order the program first uses them: W0, then W1).

- ``book``: the book's ``2 * np.random.random(shape) - 1``, uniform in [-1, 1), for every
  parameter. With ``seed=1`` the numbers are the book's: ``np.random.seed(1)`` and then
  ``2*np.random.random((3, 4)) - 1`` for weights_0_1 and ``(4, 1)`` for weights_1_2. The
  stream is a ``RandomState(seed)`` of its own: NumPy's global state is left alone.
- ``xavier`` (or ``glorot``): Glorot and Bengio's uniform, U(-a, a) with
  a = sqrt(6 / (fan_in + fan_out)); biases zero.
- ``he``: He et al.'s normal, N(0, 2 / fan_in); biases zero.

A weight matrix is inputs × outputs (SPEC §2), so fan_in is its rows and fan_out its columns
(under ``columns=True``, outputs × inputs: the other way round).
"""

from __future__ import annotations

SCHEMES = ("book", "xavier", "glorot", "he")


def init_weights(program, *, scheme: str = "book", seed: int | None = None, sizes=None,
                 dims=None, batch=None, convention: bool = True, params=None,
                 columns: bool = False, **names) -> dict:
    """``{"W0": array, "W1": array}``: a start for every parameter, of its checked shape.

    >>> from notation import parse
    >>> w = init_weights(parse("l2 = relu(l0W0)W1"), sizes=(3, 4, 1), seed=1)
    >>> {k: v.shape for k, v in w.items()}
    {'W0': (3, 4), 'W1': (4, 1)}
    """
    import numpy as np

    from .emit.algebra import algebra
    from .errors import NotationOptionError, NotationShapeError
    if scheme not in SCHEMES:
        raise NotationOptionError(f"scheme={scheme!r} is none of {', '.join(SCHEMES)}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)
                             or not 0 <= seed < 2 ** 32):
        raise NotationOptionError(f"seed={seed!r} is not a whole number from 0 to 2**32 - 1")
    plan = program.plan(sizes=sizes, dims=dims, batch=batch, convention=convention,
                        params=params, columns=columns, **names)
    shapes = plan.to_dict()["shapes"]
    random = np.random.RandomState(seed)
    out = {}
    for name, _ in plan.trained:
        key = algebra(name)
        shape = shapes[key]["shape"]
        if not all(isinstance(d, int) for d in shape):
            raise NotationShapeError(
                f"{key} is {'×'.join(str(d) for d in shape)}: an initial value needs every "
                f"dimension as a number",
                hint="give the units with --sizes (sizes=) or --dims (dims=), and the batch "
                     "as a number")
        shape = tuple(shape)
        fans = shape[::-1] if columns else shape         # --columns: W is outputs × inputs
        out[key] = _draw(scheme, random, shape, fans, is_bias=name.letter == "b")
    return out


def _draw(scheme: str, random, shape: tuple, fans: tuple, is_bias: bool):
    import numpy as np
    if scheme == "book":
        return 2 * random.random_sample(shape) - 1
    if is_bias:
        return np.zeros(shape)
    fan_in, fan_out = fans if len(fans) == 2 else (1, fans[0] if fans else 1)
    if scheme in ("xavier", "glorot"):
        a = np.sqrt(6.0 / (fan_in + fan_out))
        return random.uniform(-a, a, shape)
    return random.normal(0.0, np.sqrt(2.0 / fan_in), shape)


def save(arrays: dict, path: str) -> None:
    """Write ``arrays`` as an .npz file at ``path``, only once it is complete."""
    import io
    import os
    import tempfile

    import numpy as np
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".notation-", suffix=".npz", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(buffer.getvalue())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
