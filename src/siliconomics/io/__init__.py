"""The files users give and the files the package writes, handled in one place.

:mod:`.read` reads TOML, JSON and CSV with size, encoding and nesting checks; :mod:`.write`
checks output paths before any work and replaces files whole or not at all.
"""

from .read import MAX_BYTES, MAX_DEPTH, depth, parse_toml, read_csv_rows, read_json, read_text, read_toml
from .write import Outputs, check_file, check_folder, held_signals, replacing, temporary_name

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Outputs", "check_file", "check_folder", "depth",
           "held_signals", "parse_toml", "read_csv_rows", "read_json", "read_text", "read_toml",
           "replacing", "temporary_name"]
