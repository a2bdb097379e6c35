"""``notation run PROGRAM --inputs FILE.npz``: the inputs read, the values printed.

An input may be stored under its notation name (``l0``, ``W0``, ``δ2``, ``W_out``) or under
its identifier in either naming scheme (``layer_0``, ``weights_0_1``, ``delta_2``); arrays the
program does not read are ignored. A 0-d array is a scalar. Integers and booleans are read
as float64, so every style prints the same numbers; complex arrays are refused.
"""

from __future__ import annotations


def aliases(name) -> list[str]:
    """Every key an input may be stored under: ``['W0', 'weights_0_1']``."""
    from .emit.algebra import algebra
    from .naming import BOOK, PLAIN
    from .shapes import symbol_text
    out: list[str] = []
    for key in (symbol_text(name), algebra(name), BOOK.python(name), PLAIN.python(name)):
        if key not in out:
            out.append(key)
    return out


def load_inputs(paths, names, usage_error, *, start: dict | None = None) -> dict:
    """``{keyword: array}`` for the compiled function's inputs ``names``, from .npz files.

    ``paths`` is one path or a list of them (a file object for standard input); a later
    file's array wins. ``start`` (initial weights, ``{"W0": array}``) gives what no file holds.
    """
    import numpy as np
    from .compile import keyword
    if isinstance(paths, str) or hasattr(paths, "read"):
        paths = [paths]
    files = [(_label(p), _open_npz(p, usage_error)) for p in paths]
    # each file's keys as a set: NpzFile.files is a list, and a look-up in it for every
    # alias of every input was quadratic (36,905 layers' weights: 5.3 s)
    present = [set(data.files) for _, data in files]
    start = start or {}
    label = " and ".join(name for name, _ in files) or "the initial weights"
    out, missing = {}, []
    try:
        for name in names:
            k = keyword(name)
            found = None
            for (path, data), keys in zip(reversed(files), reversed(present)):
                found = next((a for a in aliases(name) if a in keys), None)
                if found is not None:
                    # Only the arrays the program reads are decompressed, each once its
                    # header has been checked against the bytes the file holds for it.
                    value = _read_array(data, found, path, usage_error)
                    out[k] = _input_value(value, found, path, usage_error)
                    break
            if found is not None:
                continue
            found = next((a for a in aliases(name) if a in start), None)
            if found is None:
                missing.append(" or ".join(aliases(name)))
                continue
            out[k] = _input_value(np.asarray(start[found]), found, "the initial weights",
                                  usage_error)
    finally:
        for _, data in files:
            data.close()
    if missing:
        stored = sorted({k for _, data in files for k in data.files} | set(start))
        raise usage_error(f"{label} has no array for {', '.join(missing)}"
                          f" (it has {', '.join(stored) or 'nothing'})")
    return out


_ZIP = (b"PK\x03\x04", b"PK\x05\x06")     # an .npz file is a zip archive
_NPY = b"\x93NUMPY"


def _label(path) -> str:
    return path if isinstance(path, str) else "standard input"


def _open_npz(path, usage_error):
    """An open NpzFile, or a plain usage error saying what the file is instead."""
    import zipfile

    import numpy as np
    label = _label(path)
    try:
        if isinstance(path, str):
            with open(path, "rb") as f:
                head = f.read(8)
        else:
            head = path.read(8)
            path.seek(0)
    except OSError as e:
        raise usage_error(f"cannot read {label}: {e.strerror or e}") from None
    if head.startswith(_NPY):
        # An .npy file is one array, with no names to match the inputs by.
        raise usage_error(f"{label} is one array (an .npy file); give an .npz file of named "
                          f"arrays, as np.savez(path, l0=x, W0=w) writes")
    if not head.startswith(_ZIP):
        what = "text" if _is_text(head) else "not NumPy arrays"
        raise usage_error(
            f"{label} is not an .npz file ({what}); --inputs takes named arrays, as "
            f"`notation init PROGRAM -o weights.npz` or np.savez(path, l0=x) write them"
            + (" (a program goes as the argument or with -f)" if what == "text" else ""))
    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise usage_error(f"cannot read {label} as an .npz file of arrays")
        return data
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise usage_error(f"cannot read {label} as an .npz file of arrays: {e}") from None


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_array(data, key: str, path: str, usage_error):
    """One array of an .npz file, refused when its header claims more bytes than the file
    holds for it (a 2.6 MB file whose header says 728 TiB) or when memory runs out."""
    import zipfile

    import numpy as np
    fmt = np.lib.format
    try:
        info = data.zip.getinfo(key + ".npy")
        with data.zip.open(info) as f:
            version = fmt.read_magic(f)
            read_header = fmt.read_array_header_1_0 if version == (1, 0) \
                else fmt.read_array_header_2_0
            shape, _, dtype = read_header(f)
        count = 1
        for d in shape:
            count *= d
        claimed = count * dtype.itemsize
        if claimed > info.file_size:
            raise usage_error(f"the array {key} in {path} claims {claimed:,} bytes "
                              f"({'×'.join(map(str, shape))} of {dtype}), but the file holds "
                              f"{info.file_size:,} for it")
        return data[key]
    except KeyError:
        return data[key]                       # not stored as key.npy: NumPy finds it
    except MemoryError:
        raise usage_error(f"the array {key} in {path} does not fit in memory") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise usage_error(f"cannot read the array {key} in {path}: {e}") from None


def _input_value(value, found: str, path: str, usage_error):
    import numpy as np
    if value.dtype.kind not in "biufc":
        # Text, dates or records would reach NumPy's arithmetic and fail there.
        raise usage_error(f"the array {found} in {path} holds {value.dtype} values, "
                          f"not numbers")
    if value.dtype.kind == "c":
        # The notation's values are real: the plan style refuses complex arrays, and the
        # book style's update of a float array by a complex value fails in NumPy.
        raise usage_error(f"the array {found} in {path} holds {value.dtype} values, "
                          f"not real numbers")
    if value.dtype.kind in "biu":
        # Computed in float64, whatever the style: the book's code turns integers into
        # floats as soon as it mixes them with one, and an update such as W1 -= αl1ᵀδ2
        # cannot write floats into an integer array.
        value = value.astype(np.float64)
    return value.item() if value.ndim == 0 else value


def show_values(values: dict) -> str:
    """Each assigned value under its name and shape."""
    import numpy as np
    blocks = []
    for key, value in values.items():
        shape = getattr(value, "shape", ())
        if shape == ():
            blocks.append(f"{key} = {value}")
            continue
        head = f"{key} : {'×'.join(str(d) for d in shape)}"
        body = np.array2string(np.asarray(value), max_line_width=100, threshold=400)
        blocks.append(head + "\n" + "\n".join("  " + line for line in body.splitlines()))
    return "\n".join(blocks) if blocks else "(the program assigns nothing)"
