"""The pipeline's files: written atomically and reproducibly, read back checked."""

import glob
import html
import io
import json
import logging
import math
import os
import struct
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "METRICS_KEYS",
    "DamagedFileError",
    "ReportedError",
    "configure_logging",
    "damaged",
    "read_csv",
    "read_json",
    "read_npz",
    "write_atomically",
    "write_csv",
    "write_html_table",
    "write_json",
]

# Read once: os.umask can only be read by setting it.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomically(path, write, suffix=""):
    """Call ``write(handle)`` on a temporary file beside ``path``, then rename it.

    A reader never sees a half-written file, whatever interrupts the writer, and a
    failed write leaves nothing behind. The file gets the usual permissions (0666
    less the umask), not the private ones of a temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A writer killed outright (SIGKILL) cannot clean up: the next one does.
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{suffix}"):
        stale.unlink(missing_ok=True)
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.name}.", suffix=suffix, delete=False
        ) as handle:
            temporary = Path(handle.name)
            write(handle)
        temporary.chmod(0o666 & ~_UMASK)
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise


def write_json(path, data):
    """Write ``data`` as indented JSON with sorted keys and a final newline."""
    text = json.dumps(data, indent=2, sort_keys=True, allow_nan=False) + "\n"
    write_atomically(path, lambda handle: handle.write(text.encode()))


def write_csv(path, table, float_format="%.17g"):
    """Write a pandas DataFrame as CSV, by default with full float precision."""
    text = table.to_csv(index=False, float_format=float_format, lineterminator="\n")
    write_atomically(path, lambda handle: handle.write(text.encode()))


_TABLE_STYLE = """
body { font-family: sans-serif; font-size: 14px; margin: 1em; color: #222; }
table { border-collapse: collapse; }
th, td { padding: 0.3em 0.6em; border-bottom: 1px solid #ccc; text-align: right; }
th { background: #f2f2f2; }
tbody th { text-align: left; }
"""


def write_html_table(path, table, title):
    """Write a pandas DataFrame as a small standalone HTML page with a title.

    The page shows the table turned on its side, one column per row of ``table``
    headed by its first column, so that it stays narrow however many columns the
    table has; underscores in the names become spaces.
    """
    turned = table.set_index(table.columns[0]).T
    turned.index = [str(name).replace("_", " ") for name in turned.index]
    turned.columns.name = None
    body = turned.to_html(border=0)
    text = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_TABLE_STYLE}</style>\n"
        f"</head>\n<body>\n<h2>{html.escape(title)}</h2>\n{body}\n</body>\n</html>\n"
    )
    write_atomically(path, lambda handle: handle.write(text.encode()))


class ReportedError(Exception):
    """An error whose message says all a reader needs: no traceback is shown."""


class DamagedFileError(ReportedError, ValueError):
    """An intermediate file cannot be read; the message says how to rebuild it."""


def damaged(path, error, what):
    """The error for an intermediate file that cannot be read, with the fix."""
    # One line, whatever the reader's own message spans.
    error = " ".join(str(error).split())
    return DamagedFileError(
        f"cannot read the {what} {path} ({error}); it is damaged or from another "
        "version: delete it and run snakemake again to rebuild it"
    )


# What the figures and the metrics table read from a model's metrics.json (written
# by training.train_configured_model), and of which kind: see read_json.
METRICS_KEYS = {
    "model_type": str,
    "settings": {
        "dataset": str,
        "features": (str, list),
        "learning_rate": float,
        "epochs": int,
        "l2": float,
    },
    "train_accuracy": float,
    "test_accuracy": float,
    "train_cross_entropy": float,
    "test_cross_entropy": float,
    "diverged": bool,
    "epochs_with_rising_loss": int,
}

_KIND_WORDS = {
    float: "a finite number",
    int: "an integer",
    bool: "true or false",
    str: "a string",
    list: "a list",
    dict: "an object",
}


def read_json(path, what="metrics file", keys=None):
    """Read a JSON file written by ``write_json``; a damaged file gets a clear error.

    ``keys`` (optional) describes the object the caller needs: a dict from each key
    to its kind, one of float (any finite number, integers included), int, bool,
    str, list, a tuple of those (any of them) or a dict of the same form for a
    nested object, e.g. ``{"settings": {"epochs": int}}``. The file must then hold
    a JSON object with at least those keys, each of its kind: a file that parses
    but is not that shape is as damaged as one that does not parse.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    # ValueError covers JSONDecodeError and an integer too long to convert.
    except (OSError, ValueError) as error:
        raise damaged(path, error, what) from error
    if keys is not None:
        problem = _shape_problem(data, keys, "")
        if problem:
            raise damaged(path, problem, what)
    return data


def _shape_problem(value, keys, prefix):
    """What keeps ``value`` from being an object with ``keys``, or None."""
    if not isinstance(value, dict):
        where = f"key {prefix.removesuffix('.')}" if prefix else "the file"
        return f"{where} holds {_json_kind(value)}, not a JSON object"
    for key, kind in keys.items():
        name = f"{prefix}{key}"
        if key not in value:
            return f"no key {name}"
        if isinstance(kind, dict):
            problem = _shape_problem(value[key], kind, f"{name}.")
            if problem:
                return problem
        elif not _is_kind(value[key], kind):
            kinds = kind if isinstance(kind, tuple) else (kind,)
            allowed = " or ".join(_KIND_WORDS[each] for each in kinds)
            return f"key {name} holds {_json_kind(value[key])}, not {allowed}"
    return None


def _is_kind(value, kind):
    if isinstance(kind, tuple):
        return any(_is_kind(value, each) for each in kind)
    # JSON's true and false are Python bools, which are also ints.
    if kind is float:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
        )
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _json_kind(value):
    """The JSON name of a parsed value's kind: null, true, a number, a string..."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return f"the number {value!r}"
    return {str: "a string", list: "a list", dict: "an object"}[type(value)]


def read_csv(path, columns, what="loss history", epochs=None):
    """Read a loss history written by ``write_csv``; a damaged one gets a clear error.

    The table must have ``columns`` and an ``epoch`` column that counts its rows
    0, 1, ..., n - 1, end with a newline, and hold only finite numbers. A history
    holds the losses after 0, 1, ..., epochs steps; the pipeline always tracks the
    test loss too, and ``fit`` stops on any loss that is not finite, so a NaN (say
    from an emptied field) is damage. With ``epochs`` given, n must be
    epochs + 1, so that a history cut after whole rows is refused rather than
    drawn short.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise damaged(path, error, what) from error
    # write_csv ends every row with a newline: without one, the last row was cut
    # mid-way, and pandas would read its missing or shortened fields as valid.
    if text and not text.endswith("\n"):
        raise damaged(path, "its last line is cut short", what)
    try:
        table = pd.read_csv(io.StringIO(text))
    except (ValueError, pd.errors.EmptyDataError) as error:
        raise damaged(path, error, what) from error
    problem = _history_problem(table, ["epoch", *columns], epochs)
    if problem:
        raise damaged(path, problem, what)
    return table


def _history_problem(table, columns, epochs):
    """What keeps ``table`` from being a whole loss history, or None."""
    missing = [column for column in dict.fromkeys(columns) if column not in table]
    if missing:
        return f"no column(s) {', '.join(missing)}"
    if table.empty:
        return "it has a header but no rows"
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(
            values
        ):
            bad = next(
                (
                    (row, value)
                    for row, value in enumerate(values)
                    if not _is_number(value)
                ),
                None,
            )
            if bad is None:
                # Fields Python reads as numbers but pandas does not, e.g. "1_000".
                return f"{column} does not hold numbers only"
            # Line 1 is the header.
            return f"line {bad[0] + 2}: {column} is {bad[1]!r}, not a number"
    finite = np.isfinite(table.to_numpy(dtype=np.float64))
    if not finite.all():
        row, position = np.argwhere(~finite)[0]
        column = table.columns[position]
        return (
            f"line {row + 2}: {column} is {table[column].iloc[row]}, "
            "not a finite number"
        )
    counted = np.flatnonzero(table["epoch"].to_numpy() != np.arange(len(table)))
    if counted.size:
        row = counted[0]
        return (
            f"line {row + 2}: epoch is {table['epoch'].iloc[row]:g} where {row} "
            "should be: the epochs must count 0, 1, 2, ..."
        )
    if epochs is not None and len(table) != epochs + 1:
        return (
            f"it holds epochs 0 to {len(table) - 1}, but the model was trained "
            f"for {epochs} epochs: 0 to {epochs} expected"
        )
    return None


def _is_number(value):
    """Whether one CSV field parsed as a number (NaN included), not as text."""
    if isinstance(value, bool | np.bool_):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


# An .npz archive is a zip file: it starts with a local file header, or, with no
# arrays in it, with the end of the central directory.
_ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")
_NOT_AN_ARCHIVE = "not a valid .npz archive written by this workflow"
# What reading a damaged zip archive or .npy member can raise, besides OSError.
_ARCHIVE_ERRORS = (
    EOFError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    zipfile.BadZipFile,
    zlib.error,
)
_DTYPE_WORDS = {
    "f": ("a single float", "floats"),
    "iu": ("a single integer", "integers"),
    "fiu": ("a single number", "numbers"),
    "U": ("a single string", "strings"),
    "iuU": ("a single label", "labels (integers or strings)"),
}


def read_npz(path, what, arrays):
    """Read every array of an ``.npz`` archive that ``np.savez`` wrote, checked.

    ``arrays`` maps each name the archive must hold, and no other, to (dtype
    kinds, number of dimensions): ``("f", 2)`` is a 2-D float array, ``("iu", 0)``
    a single integer, ``("U", 1)`` a 1-D array of strings; None dimensions allow
    any. Each member's CRC-32 is checked first, so that a flipped byte is refused
    even where it would still parse. Returns {name: array}; anything else gets
    the damaged-file error.
    """
    path = Path(path)
    try:
        loaded = _load_npz(path)
    except OSError as error:
        raise damaged(path, error, what) from error
    except _ARCHIVE_ERRORS as error:
        raise damaged(path, f"{_NOT_AN_ARCHIVE}: {error}", what) from error
    problem = _arrays_problem(loaded, arrays)
    if problem:
        raise damaged(path, problem, what)
    return loaded


def _load_npz(path):
    """{name: array} of an .npz archive whose every member passes its CRC-32."""
    # np.load leaks its file handle on a damaged archive: own the handle.
    with open(path, "rb") as handle:
        start = handle.read(4)
        if not start:
            raise ValueError("the file is empty")
        # Anything else np.load would try to unpickle, and say so misleadingly.
        if start not in _ZIP_STARTS:
            raise ValueError("it is not a zip archive")
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            corrupt = archive.testzip()
        if corrupt is not None:
            raise zipfile.BadZipFile(f"member {corrupt} fails its CRC-32 check")
        handle.seek(0)
        with np.load(handle, allow_pickle=False) as archive:
            loaded = {name: archive[name] for name in archive.files}
    for name, array in loaded.items():
        # np.load hands back a member that is not in .npy format as raw bytes.
        if not isinstance(array, np.ndarray):
            raise ValueError(f"member {name} is not a NumPy array")
    return loaded


def _arrays_problem(loaded, arrays):
    """What keeps ``loaded`` from holding exactly ``arrays``, or None."""
    missing = [name for name in arrays if name not in loaded]
    if missing:
        return f"no array(s) {', '.join(missing)}"
    unexpected = [name for name in loaded if name not in arrays]
    if unexpected:
        return f"unexpected array(s) {', '.join(unexpected)}"
    for name, (kinds, ndim) in arrays.items():
        array = loaded[name]
        if array.dtype.kind in kinds and ndim in (None, array.ndim):
            continue
        single, plural = _DTYPE_WORDS[kinds]
        if ndim == 0:
            expected = single
        elif ndim is None:
            expected = f"an array of {plural}"
        else:
            expected = f"a {ndim}-D array of {plural}"
        return f"{name} has shape {array.shape} and dtype {array.dtype}, not {expected}"
    return None


def configure_logging(path):
    """Send this process's log records (INFO and up) to ``path``, replacing it.

    Warnings and errors also go to standard error, so that Snakemake shows them
    on the console, and an uncaught error is logged before the process ends.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=path,
        filemode="w",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(console)
    # Font subsetting for pdf output logs every glyph at INFO.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _log_and_report


def _log_and_report(kind, error, traceback):
    """Log an uncaught error, to the log file and the console alike.

    A ``ReportedError`` says all in its message; any other error keeps its
    traceback.
    """
    expected = isinstance(error, ReportedError)
    logging.getLogger("odds_to_softmax").critical(
        "%s: %s",
        kind.__name__,
        error,
        exc_info=None if expected else (kind, error, traceback),
    )
