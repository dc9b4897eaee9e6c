"""Text repair, applied once at ingest.  STUB: the repair helper replaces this module."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pipeline.model import OffsetMap


@dataclass(slots=True)
class Repaired:
    text: str
    offsets: OffsetMap
    applied: list[str] = field(default_factory=list)


def repair(text: str, *, hints: dict[str, Any] | None = None) -> Repaired:
    out = unicodedata.normalize("NFC", text)
    return Repaired(out, OffsetMap(), ["nfc"])
