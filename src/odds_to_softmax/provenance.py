"""Which library code a workflow script runs, as one fingerprint.

Snakemake reruns a job when its script changes, but not when a module the script
imports changes. Each rule passes ``code_fingerprint(script)`` as a parameter, so
editing a module reruns exactly the jobs whose scripts import it, directly or
through other modules of this package.
"""

import ast
import hashlib
import importlib.util
from pathlib import Path

__all__ = ["code_fingerprint", "imported_modules"]

PACKAGE = "odds_to_softmax"


def _imports(source):
    """Names of this package's modules that ``source`` imports."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] == PACKAGE)
    return found


def _module_file(name):
    """The source file of module ``name`` of this package, found without importing it.

    Names that are not modules (``odds_to_softmax.data.load_split``) give None.
    """
    package = importlib.util.find_spec(PACKAGE)
    folder = Path(next(iter(package.submodule_search_locations)))
    parts = name.split(".")[1:]
    for candidate in (
        folder.joinpath(*parts, "__init__.py"),
        folder.joinpath(*parts).with_suffix(".py") if parts else None,
    ):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def imported_modules(script):
    """Files of every package module ``script`` depends on, sorted by name."""
    pending = _imports(Path(script).read_text()) | {PACKAGE}
    files = {}
    while pending:
        name = pending.pop()
        if name in files:
            continue
        path = _module_file(name)
        files[name] = path
        if path is not None:
            pending |= _imports(path.read_text()) - files.keys()
    return {name: path for name, path in sorted(files.items()) if path is not None}


def code_fingerprint(script):
    """SHA-256 (hex, 16 characters) of the package modules ``script`` imports."""
    digest = hashlib.sha256()
    for name, path in imported_modules(script).items():
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
