"""The one data model every stage reads and returns.

A :class:`Document` is built by the ingest stage, enriched by the extract stage and read by
the aggregate stage.  Every extracted value carries a half-open character span
``[start, end)`` into :attr:`Document.text`, the text after repair; :class:`OffsetMap` maps
those offsets back to the text the reader produced.

This module imports nothing beyond the standard library so that every stage, the JSON
Lines files between stages and the tests can use it cheaply.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

Span = tuple[int, int]
"""A half-open ``(start, end)`` character interval over :attr:`Document.text`."""


@dataclass(slots=True)
class OffsetMap:
    """Maps offsets in the repaired text back to offsets in the reader's raw text.

    Stored as anchors: from ``norm[i]`` on, the raw offset is ``raw[i] + (pos - norm[i])``,
    so a text whose repair changed nothing costs one anchor.
    """

    norm: list[int] = field(default_factory=lambda: [0])
    raw: list[int] = field(default_factory=lambda: [0])

    @classmethod
    def from_positions(cls, positions: list[int] | Any) -> OffsetMap:
        """Compress a per-character list (raw offset of each normalised character)."""
        norm: list[int] = []
        raw: list[int] = []
        prev = None
        for i, r in enumerate(positions):
            if prev is None or r != prev + 1:
                norm.append(i)
                raw.append(int(r))
            prev = int(r)
        if not norm:
            norm, raw = [0], [0]
        return cls(norm=norm, raw=raw)

    def to_raw(self, pos: int) -> int:
        """Raw offset of the normalised offset ``pos``."""
        i = bisect.bisect_right(self.norm, pos) - 1
        if i < 0:
            return pos
        return self.raw[i] + (pos - self.norm[i])

    def to_raw_span(self, span: Span) -> Span:
        """The raw interval that produced ``span``: from its first character to where the next begins.

        Mapping the end as the start of what follows (not the last character plus one) keeps
        whole a character that repair composed from several raw ones (NFD ``I`` + U+0323).
        """
        start, end = span
        if end <= start:
            r = self.to_raw(start)
            return (r, r)
        return (self.to_raw(start), max(self.to_raw(end - 1) + 1, self.to_raw(end)))

    def to_list(self) -> list[list[int]]:
        return [[n, r] for n, r in zip(self.norm, self.raw, strict=True)]

    @classmethod
    def from_list(cls, pairs: list[list[int]]) -> OffsetMap:
        if not pairs:
            return cls()
        return cls(norm=[p[0] for p in pairs], raw=[p[1] for p in pairs])


@dataclass(slots=True, kw_only=True)
class Source:
    """Where a document came from: the file, its content hash and the reader used."""

    path: str
    sha256: str
    format: str
    size: int = 0


@dataclass(slots=True, kw_only=True)
class Number:
    """A number-and-symbol (số, ký hiệu), e.g. ``329/BC-UBND`` or ``904-CV/BTGTU``.

    ``style`` is ``state`` (ND30), ``party`` (HD36) or ``normative`` (``06/2024/QĐ-UBND``).
    ``seq`` is ``None`` for the blank sequence of a draft (``/BC-UBND``).
    """

    text: str
    seq: str | None = None
    year: int | None = None
    type: str | None = None
    issuers: list[str] = field(default_factory=list)
    style: str = "state"
    span: Span | None = None


@dataclass(slots=True, kw_only=True)
class Issuer:
    """The issuing body as printed in the header, and the parent body printed above it."""

    name: str
    parent: str | None = None
    span: Span | None = None
    parent_span: Span | None = None


@dataclass(slots=True, kw_only=True)
class Section:
    """One heading of the body and the text it governs.

    ``span`` covers the heading line through the end of the section; ``heading_span`` the
    heading text alone.  ``level`` 1 is the top level used in the document.
    """

    id: int
    parent: int | None
    level: int
    number: str | None
    heading: str
    span: Span
    heading_span: Span | None = None
    marker: str = ""  # the numbering style: "phan", "roman", "arabic", "decimal", "alpha", "dash", "plus", ...


@dataclass(slots=True, kw_only=True)
class Recipient:
    text: str
    span: Span


@dataclass(slots=True, kw_only=True)
class Signature:
    """The signature block: ``TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name``."""

    authority: list[str] = field(default_factory=list)
    on_behalf_of: str | None = None
    position: str | None = None
    signer: str | None = None
    span: Span | None = None
    signer_span: Span | None = None
    esign: dict[str, Any] | None = None  # {"signer", "time", "span"} of a "Ký bởi ..." box


@dataclass(slots=True, kw_only=True)
class Appendix:
    title: str
    span: Span


@dataclass(slots=True, kw_only=True)
class Document:
    """One administrative document and everything the stages found in it."""

    source: Source
    text: str = ""
    offsets: OffsetMap = field(default_factory=OffsetMap)
    status: str = "ok"
    error: str | None = None
    schema_version: str = SCHEMA_VERSION
    # header
    system: str | None = None  # "state" (Quốc hiệu) or "party" (ĐẢNG CỘNG SẢN VIỆT NAM)
    doc_type: str | None = None
    type_name: str | None = None  # the type line as printed, e.g. "BÁO CÁO"
    number: Number | None = None
    issuer: Issuer | None = None
    place: str | None = None
    date: str | None = None  # ISO, or YYYY-MM / YYYY for drafts with blanks
    title: str | None = None
    addressees: list[str] = field(default_factory=list)  # Kính gửi
    urgency: str | None = None
    secrecy: str | None = None
    spans: dict[str, Span] = field(default_factory=dict)  # span of each header field
    # body and closing
    body_span: Span | None = None
    sections: list[Section] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    signature: Signature | None = None
    appendices: list[Appendix] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # which text repairs were applied
    # extract stage (filled by pipeline.nlp.extract); None = not run
    extracted: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return self.source.sha256[:16]

    def span_text(self, span: Span | None) -> str:
        return "" if span is None else self.text[span[0] : span[1]]

    def section_at(self, pos: int) -> Section | None:
        """The deepest section whose span contains ``pos``."""
        best = None
        for s in self.sections:
            if s.span[0] <= pos < s.span[1] and (best is None or s.level >= best.level):
                best = s
        return best
