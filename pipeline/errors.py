"""Errors of the pipeline.  Bad input and bugs are different errors.

:class:`InputError` and its subclasses describe a file we cannot read; their message is one
line that names the reason, and :func:`one_line` prefixes the file.  Anything else that
escapes a stage is a bug, reported as ``internal error: …`` in batch runs.
"""

from __future__ import annotations


class BaocaoError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(BaocaoError):
    """The input file cannot be read; ``str(err)`` is the reason, one line."""

    code = "input"


class EmptyDocument(InputError):
    code = "empty"


class CorruptDocument(InputError):
    code = "corrupt"


class UnsupportedFormat(InputError):
    code = "unsupported"


class NotSupportedYet(UnsupportedFormat):
    """A format we will support later (scanned PDF, legacy .doc)."""

    code = "not-supported-yet"

    def __init__(self, what: str) -> None:
        super().__init__(f"not supported yet: {what}")


class LimitExceeded(InputError):
    """The file is larger, deeper or slower than the configured limits allow."""

    code = "limit"


class Encrypted(InputError):
    code = "encrypted"


def one_line(path: object, err: BaseException) -> str:
    """``path: reason`` on one line, for the console and the error records."""
    reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    if not isinstance(err, BaocaoError):
        reason = f"internal error: {type(err).__name__}: {reason}"
    return f"{path}: {reason}"
