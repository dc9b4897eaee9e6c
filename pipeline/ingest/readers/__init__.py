"""Readers: one module per input format, each turning a file into a :class:`RawDocument`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import EmptyDocument, LimitExceeded
from pipeline.ingest.limits import Limits
from pipeline.model import Source


@dataclass(slots=True, kw_only=True)
class RawDocument:
    """What a reader returns: the text in reading order, before any repair.

    ``hints`` tells the repair step what the format knows (``{"legacy": "tcvn3"}`` when a
    .docx run is set in a ``.VnTime`` font, ``{"markup": "markdown"}``, ...).
    """

    source: Source
    text: str
    hints: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read(path: Path, *, limits: Limits) -> RawDocument:
    """Read ``path`` with the backend its content (not only its name) calls for."""
    from pipeline.ingest.readers.detect import detect_format, reader_for

    size = path.stat().st_size
    if size == 0:
        raise EmptyDocument("empty file")
    if size > limits.max_bytes:
        raise LimitExceeded(f"file too large: {size / 2**20:.0f} MiB > {limits.max_bytes / 2**20:.0f} MiB limit")
    data = path.read_bytes()
    fmt = detect_format(path, data)
    src = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format=fmt, size=size)
    raw = reader_for(fmt)(data, src, limits)
    if not raw.text.strip():
        raise EmptyDocument("no text in file")
    return raw
