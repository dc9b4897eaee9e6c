"""Ingest stage: read a file, repair its text once, and parse its structure.

>>> from pipeline.ingest import ingest_text
>>> doc = ingest_text("ỦY BAN NHÂN DÂN\\nTỈNH BÌNH PHƯỚC\\nSố: 12/BC-UBND\\n")
>>> doc.number.text
'12/BC-UBND'
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.limits import Limits
from pipeline.ingest.parse import parse_structure
from pipeline.ingest.readers import RawDocument, read
from pipeline.ingest.repair import repair as repair_text
from pipeline.model import Document, Source

__all__ = ["Limits", "RawDocument", "ingest", "ingest_raw", "ingest_text", "parse_structure", "read"]


def ingest_raw(raw: RawDocument) -> Document:
    """Repair the reader's text and parse it into a :class:`Document`."""
    fixed = repair_text(raw.text, hints=raw.hints)
    doc = Document(source=raw.source, text=fixed.text, offsets=fixed.offsets)
    doc.repairs = list(fixed.applied)
    doc.warnings.extend(raw.warnings)
    return parse_structure(doc)


def ingest(path: str | Path, *, limits: Limits | None = None) -> Document:
    """Read one file and return its :class:`Document`.

    Raises :class:`~pipeline.errors.InputError` (one-line reason) for files that cannot be read.
    """
    return ingest_raw(read(Path(path), limits=limits or Limits()))


def ingest_text(text: str, *, path: str = "<text>", fmt: str = "txt") -> Document:
    """Ingest text already in memory (tests, notebooks)."""
    import hashlib

    data = text.encode("utf-8")
    src = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format=fmt, size=len(data))
    return ingest_raw(RawDocument(source=src, text=text))
