"""The commands of arrays: ``notation run`` (the program on the arrays of .npz files) and
``notation init`` (initial weights of the checked shapes, written as an .npz file)."""

from __future__ import annotations

import sys

from .cli_commands import _parse, _shape_options
from .cli_io import UsageError


def cmd_run(args) -> str:
    """Compile the program, run it on the arrays of an .npz file, print what it assigns."""
    from .run import load_inputs, show_values
    program = _parse(args)
    _shape_options(args)        # bad shape options are bad usage (2), not a traceback
    f = program.compile(style=args.style, sizes=args.sizes, dims=args.dims, batch=args.batch,
                        convention=not args.no_convention, optimize=args.optimize,
                        columns=args.columns)
    if not args.inputs and args.init is None:
        raise UsageError("give the inputs with --inputs FILE.npz (and the parameters with "
                         "--init SCHEME, or a file that notation init wrote)")
    start = None
    if args.init is not None:
        start = program.init(scheme=args.init, seed=args.seed, sizes=args.sizes, dims=args.dims,
                             batch=args.batch, convention=not args.no_convention,
                             columns=args.columns)
    inputs = load_inputs([_stdin_or(path) for path in args.inputs or []], f.plan.inputs,
                         UsageError, start=start)
    return show_values(f(**inputs))


def _stdin_or(path: str):
    """A path, or standard input's bytes for '-'."""
    if path != "-":
        return path
    import io
    return io.BytesIO(sys.stdin.buffer.read())


def cmd_init(args):
    """Initial weights of the checked shapes, written as an .npz file."""
    from .weights import save
    program = _parse(args)
    _shape_options(args)
    arrays = program.init(scheme=args.scheme, seed=args.seed, sizes=args.sizes, dims=args.dims,
                          batch=args.batch, convention=not args.no_convention,
                          columns=args.columns)
    if not arrays:
        from .errors import NotationTranslationError
        raise NotationTranslationError(
            "the program has no parameters to initialise (W… and b…)")
    if args.output in (None, "-"):
        if args.output == "-" or not sys.stdout.isatty():
            import io

            import numpy as np
            buffer = io.BytesIO()
            np.savez(buffer, **arrays)
            sys.stdout.buffer.write(buffer.getvalue())
            sys.stdout.flush()
            return None
        raise UsageError("give -o FILE.npz: the weights are binary (or -o - to pipe them)")
    save(arrays, args.output)
    lines = [f"wrote {args.output}: " + ", ".join(
        f"{k} {'×'.join(map(str, v.shape))}" for k, v in arrays.items())
        + f" ({args.scheme}" + (f", seed {args.seed})" if args.seed is not None else ")")]
    sys.stderr.write(lines[0] + "\n")
    return None
