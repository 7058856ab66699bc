"""Writing the pipeline's files: atomically, byte-for-byte reproducibly, with logs."""

import glob
import html
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

__all__ = [
    "DamagedFileError",
    "ReportedError",
    "configure_logging",
    "damaged",
    "read_csv",
    "read_json",
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
    return DamagedFileError(
        f"cannot read the {what} {path} ({error}); it is damaged or from another "
        "version: delete it and run snakemake again to rebuild it"
    )


def read_json(path, what="metrics file"):
    """Read a JSON file written by ``write_json``; a damaged file gets a clear error."""
    try:
        return json.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise damaged(path, error, what) from error


def read_csv(path, columns, what="loss history"):
    """Read a CSV table that must have ``columns``; a damaged one gets a clear error."""
    try:
        table = pd.read_csv(path)
    except (
        OSError,
        UnicodeDecodeError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
    ) as error:
        raise damaged(path, error, what) from error
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise damaged(path, f"no column(s) {', '.join(missing)}", what)
    return table


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
