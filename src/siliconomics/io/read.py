"""Reading the files users give (TOML, JSON, CSV) safely: one layer for every command.

Every reader checks the path up front (missing, a directory), caps the size, decodes UTF-8 with
an error naming the byte offset, and limits nesting, so a bad file gives one clear line naming
the file instead of a traceback. Errors are raised as ``error_type`` (a
:class:`~siliconomics.errors.SiliconomicsError`), chosen by the caller.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.toml"
>>> _ = p.write_text('x = 1')
>>> read_toml(p)
{'x': 1}
"""

from __future__ import annotations

import csv
import json
import stat
import tomllib
from pathlib import Path

from ..errors import InputError

#: Largest file a reader accepts. [bytes]
MAX_BYTES = 8 * 1024 * 1024
#: Deepest nesting of tables/arrays a reader accepts.
MAX_DEPTH = 32


def read_text(path, *, what: str = "file", error_type=InputError, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path``, or ``error_type`` with one line naming the file.

    Examples
    --------
    >>> read_text("/nonexistent/x.toml", what="catalog file")
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: /nonexistent/x.toml: catalog file not found
    """
    p = Path(path)
    if p.is_dir():
        raise error_type(f"{p}: is a directory, expected a {what}")
    try:
        info = p.stat()
    except FileNotFoundError:
        raise error_type(f"{p}: {what} not found") from None
    except OSError as exc:
        raise error_type(f"{p}: cannot read {what}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise error_type(f"{p}: not a regular file (a device, pipe or socket); expected a {what}")
    if info.st_size > max_bytes:
        raise error_type(f"{p}: {what} is {info.st_size:,} bytes, more than the {max_bytes:,} accepted")
    try:
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise error_type(f"{p}: cannot read {what}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise error_type(f"{p}: {what} is more than the {max_bytes:,} bytes accepted")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error_type(
            f"{p}: {what} is not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"
        ) from None


def depth(obj, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of dicts and lists in ``obj`` (stops counting past ``limit``)."""
    stack, deepest = [(obj, 1)], 0
    while stack:
        item, d = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        stack.extend((c, d + 1) for c in children)
    return deepest


def parse_toml(text: str, *, where: str = "<text>", what: str = "file", error_type=InputError) -> dict:
    """``text`` as TOML, with the nesting limit; errors name ``where``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error_type(f"{where}: {what} is not valid TOML: {exc}") from None
    except RecursionError:
        raise error_type(f"{where}: {what} is nested too deeply (limit {MAX_DEPTH})") from None
    if depth(data) > MAX_DEPTH:
        raise error_type(f"{where}: {what} is nested too deeply (limit {MAX_DEPTH})")
    return data


def read_toml(path, *, what: str = "file", error_type=InputError, cache: bool = False) -> dict:
    """Read and parse a TOML file (see :func:`read_text` for the checks).

    With ``cache=True`` the parsed data is kept as JSON under :func:`cache_dir`, keyed by a
    hash of the text, so an unchanged file is parsed once per machine (the built-in catalog:
    a third of a command's start-up). Any problem with the cache falls back to parsing.
    """
    text = read_text(path, what=what, error_type=error_type)
    if not cache:
        return parse_toml(text, where=str(path), what=what, error_type=error_type)
    import hashlib

    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    folder = cache_dir()
    stored = None if folder is None else folder / f"{Path(path).stem}-{digest}.json"
    if stored is not None:
        try:
            return json.loads(stored.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    data = parse_toml(text, where=str(path), what=what, error_type=error_type)
    if stored is not None:
        _store(stored, data)
    return data


#: Version of the cache layout: a change makes old cache files unused.
_CACHE_VERSION = "1"


def cache_dir() -> Path | None:
    """Where parsed files are cached: ``$SILICONOMICS_CACHE``, else
    ``$XDG_CACHE_HOME/siliconomics`` or ``~/.cache/siliconomics``; None when
    ``SILICONOMICS_CACHE=off``."""
    import os

    given = os.environ.get("SILICONOMICS_CACHE")
    if given and given.lower() in ("off", "0", "no", "false"):
        return None
    if given:
        return Path(given) / f"v{_CACHE_VERSION}"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "siliconomics" / f"v{_CACHE_VERSION}"


def _store(target: Path, data) -> None:
    """Write ``data`` as JSON to ``target`` whole (temporary file, then rename), replacing
    older versions of the same file; silently nothing when it cannot."""
    import os

    try:
        text = json.dumps(data)  # TOML dates are not JSON: such files are not cached
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        stem = target.name.rsplit("-", 1)[0]
        for old in target.parent.glob(f"{stem}-*.json"):
            if old != target and old.name.rsplit("-", 1)[0] == stem:
                old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        pass


def read_json(path, *, what: str = "file", error_type=InputError):
    """Read and parse a JSON file (see :func:`read_text` for the checks)."""
    text = read_text(path, what=what, error_type=error_type)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error_type(f"{path}: {what} is not valid JSON: {exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno}") from None
    except RecursionError:
        raise error_type(f"{path}: {what} is nested too deeply (limit {MAX_DEPTH})") from None
    if depth(data) > MAX_DEPTH:
        raise error_type(f"{path}: {what} is nested too deeply (limit {MAX_DEPTH})")
    return data


def read_csv_rows(path, *, what: str = "CSV file", error_type=InputError) -> list[tuple[int, list[str]]]:
    """The rows of a CSV file as ``(line number, cells)``, blank and ``#`` comment lines left out.

    The header is the first row returned. Errors (see :func:`read_text`, and malformed quoting)
    name the file and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("# demand\\nhour,rate\\n0,10\\n")
    >>> read_csv_rows(p)
    [(2, ['hour', 'rate']), (3, ['0', '10'])]
    """
    text = read_text(path, what=what, error_type=error_type)
    if "\x00" in text:
        raise error_type(f"{path}: {what} contains NUL bytes; expected plain CSV text")
    lines = [(i, line) for i, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    try:
        rows = csv.reader((line for _, line in lines), strict=True)
        return [(i, row) for (i, _), row in zip(lines, rows)]
    except csv.Error as exc:
        raise error_type(f"{path}: {what} is not valid CSV: {exc}") from None
