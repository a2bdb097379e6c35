"""The ``notation`` command (SPEC §7).

Reads a program from an argument, ``-f FILE`` or standard input; prints a view; writes
``-o FILE`` only once the output is complete. Exit status: 0 success, 1 bad input (the
rendered NotationError on stderr), 2 bad usage. Only what a command needs is imported, so
``notation algebra`` starts about as fast as Python can import Lark.

The parts: ``cli_io`` (input, output, exit statuses), ``cli_commands`` (reading the program,
the view subcommands built from the registry of views, show, compare, backward),
``cli_check`` (check), ``cli_arrays`` (run, init), ``cli_formats`` (-o's extension choosing
the format), ``cli_errors`` (errors and bad usage on stderr), ``cli_parser`` (the argument
parser); this module runs a command (``main``).
"""

from __future__ import annotations

import os
import sys

from .cli_io import INPUT_ERROR, USAGE_ERROR, OutputError, UsageError, write_output
from .cli_parser import COMMANDS, build_parser
from .views import NUMPY_STYLES, VIEWS  # noqa: F401 (a test reads NUMPY_STYLES here)


def entry() -> None:
    """The console script and ``python -m notation``: one command, then the process ends.

    The cyclic collector stays off throughout, and the process leaves without freeing the
    objects it made (as mypy's command does): the tree, the shapes and the plan of a large
    program are a million objects, and collecting and freeing them on the way out cost
    `plan` at the 1,000,000-character limit 0.6-0.7 of 6.4 s of CPU (docs/performance.md,
    "The collector"). The output is complete by then: ``main`` has written and flushed it.
    """
    import gc
    gc.disable()
    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):     # closed, or a reader gone: nothing more to say
            pass
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    named = argv[0] if argv and (argv[0] in COMMANDS or argv[0] in VIEWS) else None
    parser = build_parser(only=named)
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            # An option the subcommand does not know: its own usage, not the top level's.
            parser._subparsers._group_actions[0].choices[args.command].error(
                "unrecognized arguments: " + " ".join(extra))
        if getattr(args, "output", None):
            from .cli_formats import output_format
            output_format(args, parser)
    except SystemExit as e:  # argparse has printed the usage message
        return int(e.code or 0)
    import warnings
    from .errors import NotationError, NotationOptionError, NotationWarning
    try:
        with warnings.catch_warnings(record=True) as found:
            warnings.simplefilter("always", NotationWarning)
            out = args.run(args)
        # A view that runs the shape check again (show runs every view) finds the same
        # warning again: each is said once.
        raised = list({(str(w.message), getattr(w.message.span, "start", None)): w.message
                       for w in found if isinstance(w.message, NotationWarning)}.values())
        for w in found:
            if not isinstance(w.message, NotationWarning):
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        if raised and getattr(args, "strict", False):
            raise raised[0].error()
        for w in raised:
            sys.stderr.write(w.render() + "\n")
        status = 0
        if isinstance(out, tuple):          # (text, status): compare says "different" with 1
            out, status = out
        if out is not None:                 # init has written its binary file itself
            write_output(out, args.output)
    except NotationOptionError as e:         # an option the library refused: bad usage
        from .cli_errors import usage_error
        usage_error(parser, args, e.message)
        return USAGE_ERROR
    except NotationError as e:
        from .cli_errors import paint
        sys.stderr.write(paint(e.render(), sys.stderr) + "\n")
        return INPUT_ERROR
    except UsageError as e:
        from .cli_errors import usage_error
        usage_error(parser, args, str(e))
        return USAGE_ERROR
    except OutputError as e:
        sys.stderr.write(f"notation {args.command}: error: {e}\n")
        return INPUT_ERROR
    except BrokenPipeError:
        # The reader went away (`notation show … | head`); say nothing more.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    return status
