"""The text of a definition or project file: bounded in size, UTF-8, one clear error.

Kept apart from :mod:`kpi_engine.yamlfile` so that finding the project file (which may
read a pyproject.toml) does not import the YAML parser.
"""

from __future__ import annotations

from pathlib import Path

from .limits import MAX_FILE_BYTES

__all__ = ["FileTextError", "read"]


class FileTextError(Exception):
    """A file that cannot be read as definitions text; ``line``/``column`` are 1-based."""

    def __init__(self, reason: str, line: int = 1, column: int = 1):
        super().__init__(reason)
        self.reason, self.line, self.column = reason, line, column


def read(path: str | Path) -> str:
    """The text of the file at ``path``, UTF-8 (a leading BOM is dropped).

    Raises :class:`FileTextError` (line 1, or the line of a byte that is not UTF-8) when
    the file cannot be read, is not UTF-8 or is larger than
    :data:`~kpi_engine.limits.MAX_FILE_BYTES`. Reads at most one byte more than that,
    whatever size the file claims.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise FileTextError(f"cannot read the file: {error.strerror or type(error).__name__}") from None
    if len(data) > MAX_FILE_BYTES:
        raise FileTextError(f"file is larger than {MAX_FILE_BYTES / 1_000_000:g} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise FileTextError(f"file is not UTF-8 text (byte 0x{data[error.start]:02x})", line, column) from None
