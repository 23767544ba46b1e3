"""Writing outputs safely: paths checked before any work, files replaced whole or not at all.

A command that writes checks its output path first (:func:`check_file`, :func:`check_folder`),
so a bad path fails in a second, not after a long computation. Files are written under a hidden
temporary name beside the target and renamed over it (:func:`replacing`, :class:`Outputs`); the
temporary file is removed on any error, Ctrl-C or SIGTERM (the CLI turns SIGTERM into an
exception so that ``finally`` runs). Several files are renamed together with SIGINT and SIGTERM
held back, so a report is never left half old and half new.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> with replacing(target) as tmp:
...     _ = tmp.write_text("done")
>>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
('done', ['out.txt'])
"""

from __future__ import annotations

import contextlib
import os
import signal
import uuid
from pathlib import Path

from ..errors import InputError

_HELD = {signal.SIGINT, signal.SIGTERM}


def _nearest_existing(path: Path) -> Path:
    p = path
    while not p.exists():
        if p.parent == p:
            break
        p = p.parent
    return p


def _unwritable(folder: Path) -> str | None:
    """Why nothing can be written in ``folder`` (tried with a probe file), or None."""
    probe = folder / f".{os.getpid()}.{uuid.uuid4().hex[:8]}.probe"
    try:
        fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(fd)
    probe.unlink(missing_ok=True)
    return None


def check_file(path, *, what: str = "output file", suffixes: tuple[str, ...] = ()) -> Path:
    """``path`` as a :class:`~pathlib.Path` if a file can be written there, else an InputError.

    Rejected: an existing folder, a missing or non-folder parent, a folder or file that is not
    writable, and a suffix outside ``suffixes`` (when given).

    Examples
    --------
    >>> check_file("/nonexistent-folder/x.parquet")
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: /nonexistent-folder/x.parquet: output file's folder /nonexistent-folder does not exist; create it first
    """
    p = Path(path)
    if str(path).strip() == "":
        raise InputError(f"{what} path is empty")
    if suffixes and p.suffix.lower() not in suffixes:
        raise InputError(f"{p}: {what} must end in {' or '.join(suffixes)}")
    if p.is_dir():
        raise InputError(f"{p}: is a folder; give a file name for the {what}")
    parent = p.parent
    if not parent.exists() and _nearest_existing(parent).is_dir():
        raise InputError(f"{p}: {what}'s folder {parent} does not exist; create it first")
    _check_writable_in(p, _nearest_existing(parent), f"{what} path")
    return p


def check_folder(path, *, what: str = "output folder") -> Path:
    """``path`` as a :class:`~pathlib.Path` if it is, or can be made, a writable folder.

    The folder is not created here (nothing is written before the work succeeds).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a-file"
    >>> _ = f.write_text("x")
    >>> check_folder(f / "report")
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: .../a-file/report: .../a-file is a file, not a folder; choose another output folder
    """
    p = Path(path)
    if str(path).strip() == "":
        raise InputError(f"{what} path is empty")
    if p.exists() and not p.is_dir():
        raise InputError(f"{p}: is a file, not a folder; choose another {what}")
    _check_writable_in(p, _nearest_existing(p), what)
    return p


def _check_writable_in(path: Path, folder: Path, what: str) -> None:
    """InputError unless ``folder`` (the nearest existing one on ``path``) takes new files."""
    if not folder.is_dir():
        raise InputError(f"{path}: {folder} is a file, not a folder; choose another {what}")
    why = _unwritable(folder)
    if why:
        raise InputError(f"{path}: cannot write in folder {folder} ({why}); choose another {what}")


def temporary_name(target: Path) -> Path:
    """A hidden, unique name beside ``target`` for writing it (same file system, so the final
    rename is atomic)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


@contextlib.contextmanager
def held_signals():
    """Hold SIGINT and SIGTERM back for the duration (they are delivered after)."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    except (AttributeError, ValueError, OSError):  # pragma: no cover - no sigmask here
        old = None
    try:
        yield
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def replacing(target):
    """Yield a temporary path beside ``target``; on success it replaces ``target``, on any
    error or interruption it is removed and ``target`` is left as it was."""
    target = Path(target)
    tmp = temporary_name(target)
    try:
        yield tmp
        with held_signals():
            os.replace(tmp, target)
    finally:
        with held_signals():
            tmp.unlink(missing_ok=True)


class Outputs:
    """Several output files written under temporary names and renamed together.

    Use as a context manager: :meth:`path` gives the temporary path to write for a target
    (:meth:`text` writes text); leaving the block without an error renames every file with
    SIGINT and SIGTERM held back; an error or interruption removes them all.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with Outputs() as out:
    ...     out.text(d / "a.txt", "A")
    ...     out.text(d / "b.txt", "B")
    >>> sorted(p.name for p in d.iterdir())
    ['a.txt', 'b.txt']
    """

    def __init__(self):
        self._pending: dict[Path, Path] = {}
        self._made: list[Path] = []

    def folder(self, path) -> Path:
        """Create folder ``path`` (and its parents) for outputs; folders made here are removed
        again, if still empty, when the outputs are not committed."""
        path = Path(path)
        missing = []
        p = path
        while not p.exists():
            missing.append(p)
            p = p.parent
        path.mkdir(parents=True, exist_ok=True)
        self._made.extend(reversed(missing))
        return path

    def path(self, target) -> Path:
        target = Path(target)
        if target not in self._pending:
            self._pending[target] = temporary_name(target)
        return self._pending[target]

    def text(self, target, text: str) -> None:
        self.path(target).write_text(text, encoding="utf-8")

    def discard(self, target) -> None:
        """Forget ``target`` (its temporary file, if written, is removed)."""
        tmp = self._pending.pop(Path(target), None)
        if tmp is not None:
            tmp.unlink(missing_ok=True)

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        committed = False
        try:
            if exc_type is None:
                with held_signals():
                    for target, tmp in self._pending.items():
                        os.replace(tmp, target)
                    committed = True
        finally:
            with held_signals():
                for tmp in self._pending.values():
                    tmp.unlink(missing_ok=True)
                if not committed:
                    for folder in reversed(self._made):
                        with contextlib.suppress(OSError):
                            folder.rmdir()  # only when empty
            self._pending.clear()
            self._made.clear()
