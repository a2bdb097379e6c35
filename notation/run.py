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


def load_inputs(path: str, names, usage_error) -> dict:
    """``{keyword: array}`` for the compiled function's inputs ``names``, from an .npz file."""
    import zipfile

    import numpy as np
    from .compile import keyword
    try:
        with open(path, "rb") as f:
            magic = f.read(6)
        if magic == b"\x93NUMPY":
            # An .npy file is one array, with no names to match the inputs by.
            raise usage_error(f"{path} is one array (an .npy file); give an .npz file of named "
                              f"arrays, as np.savez(path, l0=x, W0=w) writes")
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise usage_error(f"cannot read {path} as an .npz file of arrays")
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise usage_error(f"cannot read {path} as an .npz file of arrays: {e}") from None
    out, missing = {}, []
    with data:
        stored = set(data.files)
        for name in names:
            k = keyword(name)
            found = next((a for a in aliases(name) if a in stored), None)
            if found is None:
                missing.append(" or ".join(aliases(name)))
                continue
            # Only the arrays the program reads are decompressed, each once its header has
            # been checked against the bytes the file holds for it.
            value = _read_array(data, found, path, usage_error)
            out[k] = _input_value(value, found, path, usage_error)
    if missing:
        raise usage_error(f"{path} has no array for {', '.join(missing)}"
                          f" (it has {', '.join(sorted(stored)) or 'nothing'})")
    return out


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
