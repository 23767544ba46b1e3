"""Reading the files users give (TOML, JSON) safely: one layer for every command.

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

import json
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
        size = p.stat().st_size
    except FileNotFoundError:
        raise error_type(f"{p}: {what} not found") from None
    except OSError as exc:
        raise error_type(f"{p}: cannot read {what}: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise error_type(f"{p}: {what} is {size:,} bytes, more than the {max_bytes:,} accepted")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise error_type(f"{p}: cannot read {what}: {exc.strerror or exc}") from None
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


def read_toml(path, *, what: str = "file", error_type=InputError) -> dict:
    """Read and parse a TOML file (see :func:`read_text` for the checks)."""
    text = read_text(path, what=what, error_type=error_type)
    return parse_toml(text, where=str(path), what=what, error_type=error_type)


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
