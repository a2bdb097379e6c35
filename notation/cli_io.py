"""The command line's input and output (SPEC §7): the program from an argument, ``-f FILE``
or standard input, read up to the length limit; ``-o FILE`` written only once the output
is complete, atomically; the exit statuses and the errors of bad usage and of output.
"""

from __future__ import annotations

import os
import sys

USAGE_ERROR = 2
INPUT_ERROR = 1


class UsageError(Exception):
    """Bad usage that argparse cannot see (an unreadable file, a malformed --sizes)."""


# ---------------------------------------------------------------------------- input, output

NOTEBOOK_CHARS = 50_000_000     # a notebook's JSON holds its outputs too (pictures as base64)


def _read_bounded(stream, what: str, limit: int | None = None) -> str:
    """At most one character more than the parser reads (so that it can say the text is too
    long), decoded as UTF-8: `-f /dev/zero` or 200 MB on stdin cost a megabyte, not all of it.
    Editors on Windows start UTF-8 files with a byte order mark, which is no part of the
    program: "utf-8-sig" drops it there, and only there (a U+FEFF inside the text is still an
    unexpected character)."""
    import codecs
    from .parser import MAX_SOURCE_CHARS
    bound = MAX_SOURCE_CHARS if limit is None else limit
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pieces, count = [], 0
    try:
        while count <= bound:
            chunk = stream.read(1 << 16)
            text = decoder.decode(chunk, final=not chunk)
            pieces.append(text)
            count += len(text)
            if not chunk:
                break
    except UnicodeDecodeError as e:
        raise UsageError(f"cannot read {what}: it is not UTF-8 text ({e.reason})") from None
    return "".join(pieces)[:bound + 1]


def read_file(path: str, notebook: bool = False) -> str:
    """A text file's contents (at most the parser's limit and one character more; a
    notebook's JSON, up to NOTEBOOK_CHARS)."""
    try:
        with open(path, "rb") as f:
            return _read_bounded(f, path, NOTEBOOK_CHARS if notebook else None)
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None


def _read_stdin() -> str:
    # Bytes, decoded as a file is: non-UTF-8 input is bad usage (2) either way.
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:                          # a StringIO put in place by a test
        return sys.stdin.read().removeprefix("\ufeff")
    try:
        return _read_bounded(stream, "standard input")
    except OSError as e:
        raise UsageError(f"cannot read standard input: {e.strerror or e}") from None


def read_source(args) -> str:
    if args.file is not None and args.source is not None:
        raise UsageError("give the program as an argument or with -f, not both")
    if args.file is not None:
        if args.file == "-":
            return _read_stdin()
        return read_file(args.file, notebook=args.file.lower().endswith(".ipynb"))
    if args.source == "-":                  # '-' is standard input, as for cat and black
        return _read_stdin()
    if args.source is not None:
        return args.source
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError("no program given: pass it as an argument, with -f FILE, or on stdin")
    return _read_stdin()


class OutputError(Exception):
    """The output could not be written (a full disk, a file-size limit): exit status 1."""


def write_output(text: str, path: str | None) -> None:
    """Print, or write ``path`` atomically: a temporary file renamed into place on success.

    A path that is a device, a pipe or a socket (``/dev/stdout``, a FIFO) is written
    through, never replaced; a symbolic link keeps pointing where it did, and the file it
    points to is written as any file is; a folder, an empty name and a file without write
    permission (even for root) are refused."""
    if not text.endswith("\n"):
        text += "\n"
    if path is None or path == "-":
        _write_stream(sys.stdout, text, "standard output")
        return
    import stat
    if path == "":
        raise UsageError("-o needs a file name")
    target = os.path.realpath(path)              # a link is followed, and stays a link
    if os.path.abspath(path).startswith(("/dev/", "/proc/")) and os.path.exists(path):
        target = path              # /dev/stdout on a pipe resolves to no path: open it as is
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(f"cannot write {path}: it is a folder; give a file name")
    special = any(p.startswith(("/dev/", "/proc/"))
                  for p in (os.path.abspath(path), target))
    if st is not None and (special or not stat.S_ISREG(st.st_mode)):
        # A terminal, /dev/null, a pipe, /dev/stdout (a link to whatever standard output
        # is, a file perhaps): written through, as a shell's > would, never replaced.
        try:
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
        return
    if st is not None and not st.st_mode & 0o222:
        # Root may replace any file; a file that nobody may write is still not replaced.
        raise UsageError(f"cannot write {path}: the file is read-only")
    _replace_atomically(text, path, target, st)


def _write_stream(stream, text: str, what: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        # Nothing more can reach this stream: point it at /dev/null, so that Python's own
        # flush at exit does not fail a second time with a traceback.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        raise OutputError(f"cannot write {what}: {e.strerror or e}") from None


def _replace_atomically(text: str, path: str, target: str, st) -> None:
    import signal
    import tempfile
    folder = os.path.dirname(target)

    def stop(signum, frame):                    # SIGTERM, SIGHUP: clean up, then end
        raise SystemExit(128 + signum)
    handled = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            try:
                handled[sig] = signal.signal(sig, stop)
            except (ValueError, OSError):       # not the main thread
                pass
    tmp = None
    try:
        try:
            fd, tmp = tempfile.mkstemp(prefix=".notation-", dir=folder)
        except OSError as e:
            raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            # mkstemp makes the file private (0600); give it the mode any new file would
            # get, or keep the mode of the file it replaces.
            if st is not None:
                mode = st.st_mode & 0o7777
            else:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            os.replace(tmp, target)
            tmp = None
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        # A signal now would stop the clean-up itself: hold it until the temporary file is
        # gone and the previous handlers are back, then let it act.
        blocked = hasattr(signal, "pthread_sigmask") and handled
        if blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, set(handled))
        try:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
            for sig, previous in handled.items():
                signal.signal(sig, previous)
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, set(handled))
